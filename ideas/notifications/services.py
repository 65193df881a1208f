"""Notification use cases: create (from the domains' signals), mark read, set email preferences.
They add and flush; the caller (a view, a command) commits.

Nobody is notified about their own action, nor about what they may not see: each notification is
built, then checked with `can_see_notification` before it is added."""

from collections.abc import Iterable

from ideas.accounts.models import User
from ideas.extensions import db
from ideas.notifications.kinds import Frequency, Kind, default_frequency
from ideas.notifications.models import EmailStatus, Notification, NotificationPreference
from ideas.notifications.permissions import can_see_notification
from ideas.utils import utcnow


def preferences_of(user_ids: Iterable[int]) -> dict[tuple[int, Kind], Frequency]:
    """The stored (non-default) choices of these users, in one query."""
    ids = list(set(user_ids))
    if not ids:
        return {}
    rows = db.session.execute(db.select(
        NotificationPreference.user_id, NotificationPreference.kind,
        NotificationPreference.frequency).where(NotificationPreference.user_id.in_(ids)))
    return {(user_id, kind): frequency for user_id, kind, frequency in rows}


def frequency_for(user_id: int, kind: Kind, stored: dict | None = None) -> Frequency:
    stored = preferences_of([user_id]) if stored is None else stored
    return stored.get((user_id, kind), default_frequency(kind))


def notify_many(entries: Iterable[tuple[User, Kind]], *, actor: User | None = None,
                **about) -> list[Notification]:
    """One notification per (recipient, kind), about the same item (`idea=`, `comment=`,
    `community=`, `status_change=`, `service=`, `action=`, `detail=`). A recipient listed twice
    keeps the first kind: callers list the most specific first."""
    chosen: dict[int, tuple[User, Kind]] = {}
    for user, kind in entries:
        if user is None or not user.is_active or user.id in chosen:
            continue
        if actor is not None and user.id == actor.id:
            continue  # one's own action is no news
        chosen[user.id] = (user, kind)
    if not chosen:
        return []
    idea = about.get("idea")
    if idea is not None and about.get("community") is None:
        about["community"] = idea.community
    stored = preferences_of(chosen)
    created = []
    for user, kind in chosen.values():
        frequency = frequency_for(user.id, kind, stored)
        notification = Notification(
            user=user, user_id=user.id, kind=kind, actor=actor,
            actor_id=actor.id if actor is not None else None, created_at=utcnow(),
            email_frequency=frequency,
            email_status=EmailStatus.SKIPPED if frequency == Frequency.NEVER
            else EmailStatus.PENDING, **_with_ids(about))
        if not can_see_notification(user, notification):
            continue
        db.session.add(notification)
        created.append(notification)
    db.session.flush()
    return created


def _with_ids(about: dict) -> dict:
    """Objects and their ids both set: the permission check reads the objects before flush."""
    values = {}
    for name in ("community", "idea", "comment", "status_change", "service"):
        item = about.get(name)
        if item is not None:
            values[name] = item
            values[f"{name}_id"] = item.id
    values["action"] = about.get("action") or ""
    values["detail"] = about.get("detail") or ""
    return values


def mark_read(user: User, notification: Notification) -> bool:
    """Returns True when it was unread. A conditional UPDATE: two tabs cannot race."""
    if notification.user_id != user.id or notification.read_at is not None:
        return False
    changed = db.session.execute(
        db.update(Notification).where(Notification.id == notification.id,
                                      Notification.read_at.is_(None))
        .values(read_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    db.session.expire(notification, ["read_at"])
    return changed == 1


def mark_all_read(user: User) -> int:
    changed = db.session.execute(
        db.update(Notification).where(Notification.user_id == user.id,
                                      Notification.read_at.is_(None))
        .values(read_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    db.session.expire_all()
    return changed


def set_preferences(user: User, choices: dict[Kind, Frequency]) -> int:
    """Store the user's choices (defaults are not stored) and apply them to the notifications
    still waiting for their email. Returns how many choices changed."""
    stored = preferences_of([user.id])
    changed = 0
    for kind, frequency in choices.items():
        kind, frequency = Kind(kind), Frequency(frequency)
        if frequency_for(user.id, kind, stored) == frequency:
            continue
        changed += 1
        row = db.session.get(NotificationPreference, (user.id, kind))
        if frequency == default_frequency(kind):
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(NotificationPreference(user_id=user.id, kind=kind,
                                                  frequency=frequency))
        else:
            row.frequency, row.updated_at = frequency, utcnow()
        _apply_to_pending(user, kind, frequency)
    db.session.flush()
    return changed


def _apply_to_pending(user: User, kind: Kind, frequency: Frequency) -> None:
    status = EmailStatus.SKIPPED if frequency == Frequency.NEVER else EmailStatus.PENDING
    db.session.execute(
        db.update(Notification).where(Notification.user_id == user.id,
                                      Notification.kind == kind,
                                      Notification.email_status == EmailStatus.PENDING)
        .values(email_frequency=frequency, email_status=status)
        .execution_options(synchronize_session=False))


def unsubscribe(user: User, kinds: Iterable[Kind]) -> int:
    """The one-click unsubscribe link of an email: these kinds are never emailed again."""
    return set_preferences(user, dict.fromkeys(kinds, Frequency.NEVER))
