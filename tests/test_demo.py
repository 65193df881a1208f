"""`seed-demo`: idempotent, and its ideas, comments, supports and follows are consistent data
(every denormalised counter equals the rows it counts); the status history is the workflow's,
and the catalogue and research interventions cover several years."""

from datetime import timedelta
from itertools import pairwise

import pytest

from ideas.accounts.models import User
from ideas.comments.models import Comment
from ideas.communities.models import Community, Membership, MembershipStatus
from ideas.demo import DEMO_PASSWORD, seed_demo
from ideas.demo_ideas import DEMO_IDEAS
from ideas.demo_services import DEMO_SERVICES
from ideas.extensions import db
from ideas.follows.models import CommunityFollow, IdeaFollow
from ideas.ideation.models import Idea, IdeaSdg, IdeaStatus, Tag, idea_tags, idea_themes
from ideas.moderation.models import Report
from ideas.offer.models import Service, service_ideas
from ideas.research.models import ResearchIntervention
from ideas.utils import utcnow
from ideas.votes.models import Vote
from ideas.workflow.models import StatusChange

COUNTED = [User, Community, Membership, Idea, IdeaSdg, Tag, Comment, Vote, IdeaFollow,
           CommunityFollow, Service, StatusChange, ResearchIntervention, Report]


def _counts() -> dict[str, int]:
    counts = {model.__name__: db.session.scalar(db.select(db.func.count()).select_from(model))
              for model in COUNTED}
    for table in (idea_themes, idea_tags, service_ideas):
        counts[table.name] = db.session.scalar(db.select(db.func.count()).select_from(table))
    return counts


@pytest.fixture
def seeded(db):
    seed_demo()
    db.session.commit()
    return _counts()


def _mismatches(counter, rows_query) -> list:
    actual = dict(db.session.execute(rows_query).all())
    return [(idea.id, getattr(idea, counter), actual.get(idea.id, 0))
            for idea in db.session.scalars(db.select(Idea))
            if getattr(idea, counter) != actual.get(idea.id, 0)]


def test_seed_demo_twice_creates_nothing_twice_and_counters_equal_rows(seeded):
    from_ideas = sum(1 for item in DEMO_SERVICES if item["idea"])
    # The demo ideas, one idea behind each service of the catalogue, one merged duplicate.
    assert seeded["Idea"] == len(DEMO_IDEAS) + from_ideas + 1 and len(DEMO_IDEAS) >= 30
    assert seeded["Comment"] > 40 and seeded["Vote"] > 100 and seeded["CommunityFollow"] > 0

    seed_demo()
    db.session.commit()

    assert _counts() == seeded
    assert _mismatches("vote_count", db.select(Vote.idea_id, db.func.count())
                       .group_by(Vote.idea_id)) == []
    assert _mismatches("comment_count", db.select(Comment.idea_id, db.func.count())
                       .where(Comment.deleted_at.is_(None)).group_by(Comment.idea_id)) == []
    assert _mismatches("follower_count", db.select(IdeaFollow.idea_id, db.func.count())
                       .group_by(IdeaFollow.idea_id)) == []
    active = dict(db.session.execute(
        db.select(Membership.community_id, db.func.count())
        .where(Membership.status == MembershipStatus.ACTIVE).group_by(Membership.community_id)
    ).all())
    assert {c.id: c.member_count for c in db.session.scalars(db.select(Community))} == {
        community_id: active.get(community_id, 0)
        for community_id in db.session.scalars(db.select(Community.id))}


def test_demo_ideas_are_valid_and_varied(seeded):
    ideas = list(db.session.scalars(db.select(Idea)))
    now = utcnow()
    assert {idea.status for idea in ideas} == set(IdeaStatus)
    assert len({idea.community_id for idea in ideas}) == 10
    demo_refs = {item["ref"] for item in DEMO_IDEAS}
    for idea in ideas:
        assert idea.themes and idea.body_html.startswith("<")
        assert idea.created_at < now
        if idea.external_ref in demo_refs:
            assert now - timedelta(days=731) < idea.created_at
        # The author follows their idea (unless merged: follows moved on) and never supports it.
        if idea.status != IdeaStatus.MERGED:
            assert db.session.get(IdeaFollow, (idea.author_id, idea.id)) is not None
    assert db.session.scalar(db.select(db.func.count()).select_from(Vote).join(
        Idea, Idea.id == Vote.idea_id).where(Vote.user_id == Idea.author_id)) == 0
    # Withdrawn ideas take no support nor comment; comments come after their idea.
    for idea in ideas:
        if idea.status == IdeaStatus.WITHDRAWN:
            assert idea.vote_count == 0 and idea.comment_count == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Comment).join(
        Idea, Idea.id == Comment.idea_id).where(Comment.created_at < Idea.created_at)) == 0
    replies = db.session.scalars(db.select(Comment).where(Comment.parent_id.is_not(None)))
    for reply in replies:
        assert db.session.get(Comment, reply.parent_id).created_at < reply.created_at
    # The demo agent still has a join request to approve, and ideas of her own.
    agent = db.session.scalar(db.select(User).filter_by(email="agent@demo.reseau-canope.fr"))
    pending = db.session.scalar(db.select(db.func.count()).select_from(Membership).filter_by(
        user_id=agent.id, status=MembershipStatus.PENDING))
    assert pending == 1  # the private community she asked to join: something to approve
    assert db.session.scalar(db.select(db.func.count()).select_from(Idea).filter_by(
        author_id=agent.id)) >= 3


def test_status_history_services_and_interventions(seeded):
    """Every idea that left "submitted" got there through move_idea: its history chains from
    submitted to its current state, dated after its posting and before now. Each adopted idea
    has its service; the share and the interventions of each full year mean something."""
    now = utcnow()
    changes = {}
    for change in db.session.scalars(db.select(StatusChange).order_by(StatusChange.created_at,
                                                                      StatusChange.id)):
        changes.setdefault(change.idea_id, []).append(change)
    for idea in db.session.scalars(db.select(Idea)):
        history = changes.get(idea.id, [])
        if idea.status == IdeaStatus.SUBMITTED:
            assert history == []
            continue
        assert history[0].from_status == IdeaStatus.SUBMITTED
        assert history[-1].to_status == idea.status
        for before, after in pairwise(history):
            assert before.to_status == after.from_status
        assert idea.created_at < history[0].created_at and history[-1].created_at < now
        assert idea.status_changed_at == history[-1].created_at
        if idea.status in (IdeaStatus.SELECTED, IdeaStatus.DECLINED, IdeaStatus.ADOPTED):
            assert history[-1].answer_html

    adopted = db.session.scalars(db.select(Idea).filter_by(status=IdeaStatus.ADOPTED)).all()
    linked = set(db.session.scalars(db.select(service_ideas.c.idea_id)))
    assert adopted and {idea.id for idea in adopted} <= linked
    merged = db.session.scalar(db.select(Idea).filter_by(status=IdeaStatus.MERGED))
    assert merged.merged_into.external_ref == "demo-001"

    from ideas.dashboard.indicators import Period, interventions_count, services_share

    for year in (2023, 2024, 2025):
        share = services_share(Period.year(year))
        assert share.total >= 12 and 0.6 <= share.ratio <= 0.8, (year, share)
        assert 36 <= interventions_count(Period.year(year)) <= 46
    services = db.session.scalars(db.select(Service)).all()
    assert all(service.ideas or service.stated_origin for service in services)
    assert {service.status.value for service in services} == {"planned", "launched", "retired"}


def test_demo_facilitator_has_open_reports_to_review(seeded, client):
    """Two ideas and a comment reported, none often enough to be hidden automatically."""
    assert seeded["Report"] == 4
    assert db.session.scalar(db.select(db.func.count()).select_from(Idea)
                             .where(Idea.hidden_at.is_not(None))) == 0
    facilitator = db.session.scalar(db.select(User).filter_by(
        email="animatrice@demo.reseau-canope.fr"))
    client.login(facilitator, DEMO_PASSWORD)
    queue = client.get("/moderation")
    assert queue.status_code == 200
    assert queue.text.count('class="fr-p-3w fr-mb-3w moderation-entry"') == 3
