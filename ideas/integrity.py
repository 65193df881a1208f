"""Denormalised counters against the rows they count, in one SQL query each.

Each counter moves by an SQL increment in the same transaction as its row; this is how the
reliability tests, the load test and a restore check that nothing (crash, restart, load) ever
let one drift.
"""

from sqlalchemy import func, select

from ideas.comments.models import Comment
from ideas.communities.models import Community, Membership, MembershipStatus
from ideas.follows.models import IdeaFollow
from ideas.ideation.models import Idea
from ideas.votes.models import Vote


def _mismatches(connection, table, counter, rows) -> list[str]:
    counted = rows.subquery()
    actual = func.coalesce(counted.c.n, 0)
    statement = (select(table.id, counter, actual)
                 .outerjoin(counted, counted.c.key == table.id).where(counter != actual)
                 .order_by(table.id))
    name = f"{table.__tablename__}.{counter.key}"
    return [f"{name} #{row_id}: {stored} stored, {real} rows"
            for row_id, stored, real in connection.execute(statement)]


def counter_mismatches(connection) -> list[str]:
    """Every counter that differs from COUNT(*) of its rows, as readable lines (empty: exact)."""
    return [
        *_mismatches(connection, Idea, Idea.vote_count, select(
            Vote.idea_id.label("key"), func.count().label("n")).group_by(Vote.idea_id)),
        # Deleted comments and those hidden by the moderation are out of the count.
        *_mismatches(connection, Idea, Idea.comment_count, select(
            Comment.idea_id.label("key"), func.count().label("n"))
            .where(Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))
            .group_by(Comment.idea_id)),
        *_mismatches(connection, Idea, Idea.follower_count, select(
            IdeaFollow.idea_id.label("key"), func.count().label("n"))
            .group_by(IdeaFollow.idea_id)),
        *_mismatches(connection, Community, Community.member_count, select(
            Membership.community_id.label("key"), func.count().label("n"))
            .where(Membership.status == MembershipStatus.ACTIVE)
            .group_by(Membership.community_id)),
    ]
