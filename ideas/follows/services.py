"""Follow and unfollow ideas and communities. Idempotent: following twice is not an error.

The composite primary keys make a follow unique; the INSERT runs under a savepoint so the loser of
a race (double click, two tabs) keeps the rest of the request's transaction. `ideas.follower_count`
moves only by SQL increments next to the row it counts. Services add and flush; callers commit.
Following re-checks the permission (the view checked it already); unfollowing is always allowed:
nobody stays subscribed against their will, even to an idea they can no longer see.
"""

from flask_babel import gettext as _
from sqlalchemy import delete, insert, update
from sqlalchemy.exc import IntegrityError

from ideas.errors import DomainError
from ideas.extensions import db
from ideas.follows.models import CommunityFollow, IdeaFollow
from ideas.follows.permissions import can_follow_community, can_follow_idea
from ideas.ideation.models import Idea


def _insert(model, **values) -> bool:
    try:
        with db.session.begin_nested():
            db.session.execute(insert(model).values(**values))
    except IntegrityError:
        return False
    return True


def _add_to_follower_count(idea: Idea, delta: int) -> None:
    db.session.execute(update(Idea).where(Idea.id == idea.id)
                       .values(follower_count=Idea.follower_count + delta)
                       .execution_options(synchronize_session=False))
    db.session.expire(idea, ["follower_count"])


def follow_idea(user, idea: Idea) -> bool:
    """True if a follow was created, False if the user already followed the idea."""
    if not can_follow_idea(user, idea):
        raise DomainError(_("Vous n'avez pas accès à cette idée."))
    # An idea posted in this same transaction may not have its id yet.
    db.session.flush()
    created = _insert(IdeaFollow, user_id=user.id, idea_id=idea.id)
    if created:
        _add_to_follower_count(idea, +1)
    return created


def unfollow_idea(user, idea: Idea) -> bool:
    result = db.session.execute(delete(IdeaFollow).where(
        IdeaFollow.user_id == user.id, IdeaFollow.idea_id == idea.id)
        .execution_options(synchronize_session=False))
    if result.rowcount:
        _add_to_follower_count(idea, -result.rowcount)
    return bool(result.rowcount)


def follow_community(user, community) -> bool:
    """True if a follow was created, False if the user already followed the community."""
    if not can_follow_community(user, community):
        raise DomainError(_("Seuls les membres de cette communauté privée peuvent la suivre."))
    return _insert(CommunityFollow, user_id=user.id, community_id=community.id)


def unfollow_community(user, community) -> bool:
    result = db.session.execute(delete(CommunityFollow).where(
        CommunityFollow.user_id == user.id, CommunityFollow.community_id == community.id)
        .execution_options(synchronize_session=False))
    return bool(result.rowcount)
