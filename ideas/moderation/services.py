"""Reports and the decisions on them: hide, restore, dismiss. They add and flush; the view
commits. Every decision is one conditional UPDATE on the state it starts from, so two
moderators acting on the same item at once cannot both succeed: the second gets a
ModerationConflict (409) and nothing is logged twice."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ideas.accounts.permissions import is_signed_in
from ideas.comments.models import Comment
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.ideation.models import Idea
from ideas.ideation.permissions import can_view_idea
from ideas.moderation import items
from ideas.moderation.models import (
    DETAILS_MAX,
    REASON_MAX,
    ActionKind,
    ModerationAction,
    Report,
    ReportReason,
    Resolution,
)
from ideas.moderation.permissions import can_moderate_item, can_report, can_see_item
from ideas.moderation.signals import content_moderated, report_filed
from ideas.moderation.suspensions import is_suspended, suspended_message
from ideas.search.hooks import pending
from ideas.utils import clean_text, utcnow

NOT_FOUND = _l("Ce contenu n'existe pas ou ne vous est pas accessible.")
AUTO_HIDE_REASON = _l("Masqué automatiquement après plusieurs signalements, en attendant la "
                      "décision d'un animateur ou d'une animatrice.")


class ModerationRefused(DomainError):
    """A refusal with the HTTP status the view answers: 403 a missing right, 404 something the
    user may not see, 409 a state that forbids it (often: someone acted first), 422 bad input."""

    status = 403

    def __init__(self, message, status: int | None = None, field: str | None = None):
        super().__init__(message, field)
        if status is not None:
            self.status = status


class ModerationConflict(ModerationRefused):
    status = 409


# -- The audit log

def record(actor, action: ActionKind, item=None, *, community_id: int | None = None,
           target_user_id: int | None = None, reason: str = "", before: str = "",
           after: str = "", report_count: int = 0) -> ModerationAction:
    """One line of the log; `actor` None for what the platform did by itself."""
    entry = ModerationAction(
        action=action, actor_id=actor.id if actor is not None else None,
        community_id=community_id, target_user_id=target_user_id, reason=str(reason or ""),
        before=before, after=after, report_count=report_count, created_at=utcnow())
    if item is not None:
        idea = items.idea_of(item)
        entry.community_id = idea.community_id
        entry.idea_id = idea.id
        entry.comment_id = item.id if isinstance(item, Comment) else None
        entry.target_user_id = item.author_id
        entry.summary = items.summary_of(item)
    db.session.add(entry)
    db.session.flush()
    if item is not None:
        content_moderated.send(item, actor=actor, action=action.value, reason=str(reason or ""))
    return entry


# -- Reports

def report_refusal(user, item) -> ModerationRefused:
    """Why `can_report` said no, in words the reporter can act on."""
    if not is_signed_in(user) or not can_see_item(user, item):
        return ModerationRefused(NOT_FOUND, 404)
    if is_suspended(user):
        return ModerationRefused(suspended_message(), 403)
    if item.author_id == user.id:
        return ModerationRefused(_l("Vous ne pouvez pas signaler votre propre contribution."),
                                 403)
    if item.hidden_at is not None:
        return ModerationConflict(_l("Ce contenu est déjà masqué par la modération."))
    return ModerationConflict(_l("Ce commentaire a été supprimé."))


def clean_report(reason: str | None, details: str | None) -> tuple[ReportReason, str]:
    try:
        chosen = ReportReason(reason or "")
    except ValueError:
        raise ModerationRefused(_l("Choisissez un motif de signalement."), 422,
                                field="reason") from None
    text = clean_text((details or "").replace("\x00", ""))
    if chosen == ReportReason.OTHER and not text:
        raise ModerationRefused(_l("Précisez le motif du signalement."), 422, field="details")
    if len(text) > DETAILS_MAX:
        raise ModerationRefused(_l("Les précisions ne doivent pas dépasser %(max)d caractères.",
                                   max=DETAILS_MAX), 422, field="details")
    return chosen, text


def report_item(user, item, reason: str | None, details: str | None = "") -> Report:
    """One report per agent per item: the unique constraint decides, so a double click or two
    tabs give one report and a clear message, never a second row."""
    if not can_report(user, item):
        raise report_refusal(user, item)
    chosen, text = clean_report(reason, details)
    idea = items.idea_of(item)
    report = Report(item_key=items.key_of(item), idea_id=idea.id,
                    comment_id=item.id if isinstance(item, Comment) else None,
                    community_id=idea.community_id, reporter_id=user.id, reason=chosen,
                    details=text, created_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError:
        raise ModerationConflict(_l("Vous avez déjà signalé ce contenu : l'équipe d'animation "
                                    "l'examinera.")) from None
    report_filed.send(report, item=item, reporter=user)
    _hide_when_reported_enough(item)
    return report


def has_reported(user, item) -> bool:
    return is_signed_in(user) and db.session.scalar(db.select(Report.id).where(
        Report.reporter_id == user.id, Report.item_key == items.key_of(item))) is not None


def open_report_count(item) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Report).where(
        Report.item_key == items.key_of(item), Report.resolved_at.is_(None)))


def _hide_when_reported_enough(item) -> None:
    threshold = current_app.config.get("MODERATION_AUTO_HIDE_REPORTS", 3)
    if not threshold or open_report_count(item) < threshold:
        return
    if _set_hidden(item, reason=str(AUTO_HIDE_REASON), by=None):
        record(None, ActionKind.AUTO_HIDE, item, reason=str(AUTO_HIDE_REASON),
               report_count=open_report_count(item))


# -- Hidden state

def _model(item):
    return type(item)


def _set_hidden(item, reason: str, by, *, confirm_automatic: bool = False) -> bool:
    """Hide a visible item (True), or, with `confirm_automatic`, put a moderator's name and
    reason on an automatic hiding (True). False when the item was not in that state."""
    model, now = _model(item), utcnow()
    where = [model.id == item.id]
    if isinstance(item, Comment):
        # Naming the idea lets the search hooks note which document to rewrite.
        where += [Comment.idea_id == item.idea_id, Comment.deleted_at.is_(None)]
    newly = db.session.execute(
        db.update(model).where(*where, model.hidden_at.is_(None))
        .values(hidden_at=now, hidden_reason=reason, hidden_by_id=by.id if by else None)
        .execution_options(synchronize_session=False)).rowcount == 1
    confirmed = False
    if not newly and confirm_automatic:
        confirmed = db.session.execute(
            db.update(model).where(*where, model.hidden_at.is_not(None),
                                   model.hidden_by_id.is_(None))
            .values(hidden_reason=reason, hidden_by_id=by.id)
            .execution_options(synchronize_session=False)).rowcount == 1
    db.session.expire(item, ["hidden_at", "hidden_reason", "hidden_by_id"])
    if newly:
        _hidden_changed(item, -1)
    return newly or confirmed


def _clear_hidden(item, *, only_automatic: bool = False) -> bool:
    model = _model(item)
    where = [model.id == item.id, model.hidden_at.is_not(None)]
    if isinstance(item, Comment):
        where.append(Comment.idea_id == item.idea_id)
    if only_automatic:
        where.append(model.hidden_by_id.is_(None))
    cleared = db.session.execute(
        db.update(model).where(*where)
        .values(hidden_at=None, hidden_reason=None, hidden_by_id=None)
        .execution_options(synchronize_session=False)).rowcount == 1
    db.session.expire(item, ["hidden_at", "hidden_reason", "hidden_by_id"])
    if cleared:
        _hidden_changed(item, +1)
    return cleared


def _hidden_changed(item, delta: int) -> None:
    """A hidden comment leaves its idea's comment count (as a deleted one does), and the
    search index rewrites the idea's document (hidden comments are not indexed)."""
    idea_id = item.id if isinstance(item, Idea) else item.idea_id
    if isinstance(item, Comment) and item.deleted_at is None:
        db.session.execute(db.update(Idea).where(Idea.id == idea_id)
                           .values(comment_count=Idea.comment_count + delta)
                           .execution_options(synchronize_session=False))
        idea = db.session.get(Idea, idea_id)
        if idea is not None:
            db.session.expire(idea, ["comment_count"])
    pending(db.session).ideas.add(idea_id)


def _resolve_reports(user, item, resolution: Resolution) -> int:
    """Close the open reports on the item; how many were still open."""
    result = db.session.execute(
        db.update(Report).where(Report.item_key == items.key_of(item),
                                Report.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolved_by_id=user.id, resolution=resolution)
        .execution_options(synchronize_session=False))
    return result.rowcount


def require_moderator(user, item) -> None:
    if can_moderate_item(user, item):
        return
    idea = items.idea_of(item)
    if idea is None or not can_view_idea(user, idea):
        raise ModerationRefused(NOT_FOUND, 404)
    raise ModerationRefused(_l("Seuls les animateurs et animatrices de cette communauté "
                               "peuvent modérer ses contenus."), 403)


ALREADY_HANDLED = _l("Ces signalements viennent d'être traités par un autre membre de l'équipe "
                     "d'animation : la file est à jour.")


def _queue_reports(user, item, resolution: Resolution, from_queue: bool) -> int:
    """Close the item's open reports first: their rows are the lock two moderators race for.
    From the queue, finding none open means someone else decided meanwhile."""
    closed = _resolve_reports(user, item, resolution)
    if from_queue and closed == 0:
        raise ModerationConflict(ALREADY_HANDLED)
    return closed


def clean_reason(reason: str | None) -> str:
    text = clean_text((reason or "").replace("\x00", ""))
    if not text:
        raise ModerationRefused(_l("Indiquez le motif du masquage : l'auteur ou l'autrice le "
                                   "lira."), 422, field="reason")
    if len(text) > REASON_MAX:
        raise ModerationRefused(_l("Le motif ne doit pas dépasser %(max)d caractères.",
                                   max=REASON_MAX), 422, field="reason")
    return text


def hide_item(user, item, reason: str | None, *, from_queue: bool = False) -> ModerationAction:
    """Hide an item with a reason its author reads; also confirms an automatic hiding."""
    require_moderator(user, item)
    text = clean_reason(reason)
    if isinstance(item, Comment) and item.is_deleted:
        raise ModerationConflict(_l("Ce commentaire a été supprimé par son auteur : il n'y a "
                                    "plus rien à masquer."))
    closed = _queue_reports(user, item, Resolution.HIDDEN, from_queue)
    if not _set_hidden(item, text, user, confirm_automatic=True):
        raise ModerationConflict(_l("Ce contenu est déjà masqué par la modération."))
    return record(user, ActionKind.HIDE, item, reason=text, report_count=closed)


def restore_item(user, item, *, from_queue: bool = False) -> ModerationAction:
    """Show a hidden item again; its open reports are closed (the decision is: it stays)."""
    require_moderator(user, item)
    before = item.hidden_reason or ""
    closed = _queue_reports(user, item, Resolution.RESTORED, from_queue)
    if not _clear_hidden(item):
        raise ModerationConflict(_l("Ce contenu n'est pas masqué (ou vient d'être rétabli)."))
    return record(user, ActionKind.RESTORE, item, before=before, report_count=closed)


def dismiss_reports(user, item) -> ModerationAction:
    """The reports are unfounded: close them; an automatic hiding is lifted with them (a
    moderator's hiding stays)."""
    require_moderator(user, item)
    closed = _resolve_reports(user, item, Resolution.DISMISSED)
    if closed == 0:
        raise ModerationConflict(ALREADY_HANDLED)
    _clear_hidden(item, only_automatic=True)
    return record(user, ActionKind.DISMISS, item, report_count=closed)
