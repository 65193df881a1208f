"""Is this agent suspended? Read once per request (kept in `g`), since every permission that
lets an agent write asks it. Imports nothing above accounts: ideation, comments and votes
permissions use it."""

from flask import g, has_app_context

from ideas.accounts.permissions import is_signed_in
from ideas.extensions import db
from ideas.moderation.models import Suspension
from ideas.utils import utcnow

_CACHE = "_suspensions"


def active_suspension(user) -> Suspension | None:
    """The suspension in force for this user (the one ending last), or None."""
    if not is_signed_in(user):
        return None
    cache = g.setdefault(_CACHE, {}) if has_app_context() else {}
    if user.id not in cache:
        now = utcnow()
        rows = db.session.scalars(db.select(Suspension).where(
            Suspension.user_id == user.id, Suspension.lifted_at.is_(None),
            db.or_(Suspension.ends_at.is_(None), Suspension.ends_at > now)))
        # An indefinite one wins; else the one ending last.
        cache[user.id] = max(rows, default=None,
                             key=lambda s: (s.ends_at is None, s.ends_at or now))
    suspension = cache[user.id]
    if suspension is not None and not suspension.is_active_at(utcnow()):
        return None  # ended during this request
    return suspension


def is_suspended(user) -> bool:
    return active_suspension(user) is not None


def forget_suspensions() -> None:
    """Call after suspending or lifting within a request."""
    if has_app_context():
        g.pop(_CACHE, None)


def suspended_message():
    """Why a suspended agent's write is refused (the banner says until when)."""
    from flask_babel import lazy_gettext as _l

    return _l("Votre compte est suspendu : vous pouvez lire, mais ni publier, ni commenter, "
              "ni soutenir, ni signaler.")
