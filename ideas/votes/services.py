"""Cast and withdraw supports.

One support per agent per idea is guaranteed by the unique constraint on `votes`, not by a
read before the write: two tabs, a double click or a replayed request race to the same INSERT and
the loser finds the row already there. `ideas.vote_count` moves only by SQL increments, in the
same transaction as the row it counts, and only when a row was really inserted or deleted.
Services add and flush; the view commits.
"""

from flask_babel import gettext as _
from sqlalchemy import delete, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from ideas.accounts.permissions import is_signed_in
from ideas.communities.permissions import is_member
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.ideation.models import Idea, IdeaStatus
from ideas.ideation.permissions import can_view_idea
from ideas.moderation.suspensions import is_suspended, suspended_message
from ideas.votes.models import Vote
from ideas.votes.permissions import can_vote


def vote_refusal(user, idea: Idea) -> str | None:
    """Why this user may not support this idea, in words; None when they may.

    `can_vote` stays the rule; this only explains its refusals, for the error message and for
    the hint shown instead of the button."""
    if can_vote(user, idea):
        return None
    if not is_signed_in(user) or not can_view_idea(user, idea):
        return _("Vous n'avez pas accès à cette idée.")
    if idea.author_id == user.id:
        return _("Vous ne pouvez pas soutenir votre propre idée.")
    if is_suspended(user):
        return str(suspended_message())
    if idea.is_hidden:
        return _("Cette idée est masquée par la modération : les soutiens sont clos.")
    if idea.is_locked:
        return _("Cette idée est verrouillée par la modération : elle n'accepte plus de "
                 "nouveaux soutiens.")
    if idea.status == IdeaStatus.WITHDRAWN:
        return _("Cette idée a été retirée par son auteur : les soutiens sont clos.")
    if idea.status == IdeaStatus.MERGED:
        return _("Cette idée a été fusionnée avec une autre : les soutiens sont clos.")
    if idea.community.is_archived:
        return _("Cette communauté est archivée : ses idées ne peuvent plus être soutenues.")
    if idea.community.is_private and not is_member(user, idea.community):
        return _("Seuls les membres de cette communauté privée peuvent soutenir ses idées.")
    return _("Vous ne pouvez pas soutenir cette idée.")


def _require_can_vote(user, idea: Idea) -> None:
    reason = vote_refusal(user, idea)
    if reason is not None:
        raise DomainError(reason)


def _add_to_count(idea: Idea, delta: int) -> None:
    # Added in SQL (another request may move it at the same time), the result read back in the
    # same statement rather than by a reload.
    count = db.session.execute(
        update(Idea).where(Idea.id == idea.id)
        .values(vote_count=Idea.vote_count + delta).returning(Idea.vote_count)
        .execution_options(synchronize_session=False)).scalar_one()
    set_committed_value(idea, "vote_count", count)


def has_voted(user, idea: Idea) -> bool:
    return db.session.scalar(db.select(Vote.id).filter_by(idea_id=idea.id, user_id=user.id)
                             ) is not None


def cast_vote(user, idea: Idea) -> bool:
    """Support the idea. True if a support was added, False if the user already supported it
    (not an error: the second click of a double click). Raises DomainError if refused."""
    _require_can_vote(user, idea)
    try:
        # The savepoint keeps the rest of the request's transaction alive when the INSERT loses.
        with db.session.begin_nested():
            db.session.execute(insert(Vote).values(idea_id=idea.id, user_id=user.id))
    except IntegrityError:
        return False
    _add_to_count(idea, +1)
    return True


def withdraw_vote(user, idea: Idea) -> bool:
    """Withdraw the user's support. True if one was removed, False if there was none.
    Raises DomainError if the idea no longer accepts supports (its count is frozen)."""
    _require_can_vote(user, idea)
    result = db.session.execute(
        delete(Vote).where(Vote.idea_id == idea.id, Vote.user_id == user.id)
        .execution_options(synchronize_session=False))
    if result.rowcount == 0:  # someone (another tab) withdrew it first
        return False
    _add_to_count(idea, -result.rowcount)
    return True


def set_vote(user, idea: Idea, supported: bool) -> bool:
    """Bring the support to the wanted state; True if that changed anything. Replaying the same
    request is harmless, which a blind toggle is not."""
    return cast_vote(user, idea) if supported else withdraw_vote(user, idea)


def toggle_vote(user, idea: Idea) -> bool:
    """Flip the support; returns whether the user supports the idea afterwards. For callers that
    cannot say which state they want (views send the wanted state: see set_vote)."""
    if has_voted(user, idea):
        withdraw_vote(user, idea)
        return False
    cast_vote(user, idea)
    return True
