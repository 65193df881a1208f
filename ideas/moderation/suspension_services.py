"""Suspend an agent (for a period or until lifted) and lift a suspension. Admins only. Adds and
flushes; the view commits."""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from ideas.extensions import db
from ideas.moderation.models import ActionKind, Suspension
from ideas.moderation.permissions import can_manage_suspensions, can_suspend
from ideas.moderation.services import ModerationConflict, ModerationRefused, record
from ideas.moderation.suspensions import active_suspension, forget_suspensions
from ideas.utils import clean_text, utcnow

SUSPENSION_REASON_MAX = 2000


def suspend_user(user, target, reason: str | None, ends_at: datetime | None) -> Suspension:
    """`ends_at` (naive UTC) None: until an admin lifts it. A second suspension while one is in
    force is refused: lift or let it end first."""
    if not can_suspend(user, target):
        raise ModerationRefused(_l("Vous ne pouvez pas suspendre ce compte."), 403)
    text = clean_text((reason or "").replace("\x00", ""))
    if not text:
        raise ModerationRefused(_l("Indiquez le motif de la suspension : l'agent le lira."),
                                422, field="reason")
    if len(text) > SUSPENSION_REASON_MAX:
        raise ModerationRefused(_l("Le motif ne doit pas dépasser %(max)d caractères.",
                                   max=SUSPENSION_REASON_MAX), 422, field="reason")
    now = utcnow()
    if ends_at is not None and ends_at <= now:
        raise ModerationRefused(_l("La fin de la suspension doit être dans le futur."), 422,
                                field="ends_on")
    forget_suspensions()
    if active_suspension(target) is not None:
        raise ModerationConflict(_l("Ce compte est déjà suspendu."))
    suspension = Suspension(user_id=target.id, reason=text, created_by_id=user.id,
                            created_at=now, ends_at=ends_at)
    db.session.add(suspension)
    db.session.flush()
    forget_suspensions()
    record(user, ActionKind.SUSPEND, target_user_id=target.id, reason=text,
           after=ends_at.isoformat(sep=" ", timespec="minutes") if ends_at else "")
    return suspension


def lift_suspension(user, suspension: Suspension) -> None:
    if not can_manage_suspensions(user):
        raise ModerationRefused(_l("Seuls les administrateurs et administratrices peuvent lever "
                                   "une suspension."), 403)
    now = utcnow()
    lifted = db.session.execute(
        db.update(Suspension).where(Suspension.id == suspension.id,
                                    Suspension.lifted_at.is_(None))
        .values(lifted_at=now, lifted_by_id=user.id)
        .execution_options(synchronize_session=False)).rowcount
    db.session.expire(suspension)
    if lifted != 1:
        raise ModerationConflict(_l("Cette suspension est déjà levée."))
    forget_suspensions()
    record(user, ActionKind.LIFT_SUSPENSION, target_user_id=suspension.user_id)
