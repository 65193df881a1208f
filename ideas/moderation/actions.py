"""Moderation tools on ideas (lock, pin, merge, clearer title), actions on several items at
once, and hiding everything an agent wrote. Adds and flushes; the view commits. Each tool is a
conditional UPDATE on the state it starts from (see services.py)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from ideas.comments.models import Comment
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.ideation.models import TITLE_MAX, TITLE_MIN, Idea, IdeaRevision, IdeaStatus
from ideas.ideation.permissions import can_view_idea
from ideas.moderation import items
from ideas.moderation.models import ActionKind, ModerationAction, Resolution
from ideas.moderation.permissions import can_manage_suspensions
from ideas.moderation.services import (
    ModerationConflict,
    ModerationRefused,
    _resolve_reports,
    clean_reason,
    dismiss_reports,
    hide_item,
    record,
    require_moderator,
    restore_item,
)
from ideas.utils import clean_line, clean_text, utcnow
from ideas.workflow.services import move_idea

# column → (action when set, action when cleared, message when already so)
_FLAGS = {
    "locked_at": (ActionKind.LOCK, ActionKind.UNLOCK,
                  _l("Cette idée est déjà verrouillée."), _l("Cette idée n'est pas verrouillée.")),
    "pinned_at": (ActionKind.PIN, ActionKind.UNPIN,
                  _l("Cette idée est déjà épinglée."), _l("Cette idée n'est pas épinglée.")),
}


def _set_flag(user, idea: Idea, column: str, on: bool) -> ModerationAction:
    require_moderator(user, idea)
    set_action, clear_action, already_set, already_clear = _FLAGS[column]
    attribute = getattr(Idea, column)
    condition = attribute.is_(None) if on else attribute.is_not(None)
    changed = db.session.execute(
        db.update(Idea).where(Idea.id == idea.id, condition)
        .values({column: utcnow() if on else None})
        .execution_options(synchronize_session=False)).rowcount
    db.session.expire(idea, [column])
    if changed != 1:
        raise ModerationConflict(already_set if on else already_clear)
    return record(user, set_action if on else clear_action, idea)


def lock_idea(user, idea: Idea) -> ModerationAction:
    """No new comment or support; those already there stay."""
    return _set_flag(user, idea, "locked_at", True)


def unlock_idea(user, idea: Idea) -> ModerationAction:
    return _set_flag(user, idea, "locked_at", False)


def pin_idea(user, idea: Idea) -> ModerationAction:
    """First in its community's list."""
    return _set_flag(user, idea, "pinned_at", True)


def unpin_idea(user, idea: Idea) -> ModerationAction:
    return _set_flag(user, idea, "pinned_at", False)


def merge_idea(user, idea: Idea, target: Idea | None) -> ModerationAction:
    """A duplicate merged into another idea, through the workflow (its `merged` state: supports
    and followers move over once each); the reports on it are closed."""
    require_moderator(user, idea)
    if target is None or not can_view_idea(user, target):
        raise ModerationRefused(_l("Indiquez le numéro d'une idée existante que vous pouvez "
                                   "consulter."), 422, field="merge_into")
    move_idea(user, idea, IdeaStatus.MERGED, merge_into=target)
    closed = _resolve_reports(user, idea, Resolution.MERGED)
    return record(user, ActionKind.MERGE, idea, after=f"#{target.id} {target.title}",
                  report_count=closed)


def edit_title(user, idea: Idea, title: str | None, expected: str | None = None,
               reason: str | None = "") -> ModerationAction:
    """A clearer title, traced: the log keeps before and after, the idea's revisions the old
    text. `expected` is the title the moderator saw: if it changed meanwhile, refused."""
    require_moderator(user, idea)
    new = clean_line(title)
    if not TITLE_MIN <= len(new) <= TITLE_MAX:
        raise ModerationRefused(_l("Le titre doit faire entre %(min)d et %(max)d caractères.",
                                   min=TITLE_MIN, max=TITLE_MAX), 422, field="title")
    before = idea.title
    if expected is not None and clean_line(expected) != before:
        raise ModerationConflict(_l("Le titre a été modifié entre-temps. Rechargez la page."))
    if new == before:
        raise ModerationRefused(_l("Le titre n'a pas changé."), 422, field="title")
    changed = db.session.execute(
        db.update(Idea).where(Idea.id == idea.id, Idea.title == before)
        .values(title=new, version=Idea.version + 1)  # an author's open edit form is stale
        .execution_options(synchronize_session=False)).rowcount
    db.session.expire(idea, ["title", "version"])
    if changed != 1:
        raise ModerationConflict(_l("Le titre a été modifié entre-temps. Rechargez la page."))
    db.session.add(IdeaRevision(idea_id=idea.id, editor_id=user.id, title=before,
                                body=idea.body, created_at=utcnow()))
    return record(user, ActionKind.EDIT_TITLE, idea, reason=clean_text(reason)[:2000],
                  before=before, after=new)


# -- Several items at once

BULK_ACTIONS = ("hide", "restore", "dismiss")


@dataclass
class BulkOutcome:
    done: int = 0
    refused: list[str] = field(default_factory=list)  # "« summary » : why"


def bulk_moderate(user, keys: list[str], action: str, reason: str | None = "") -> BulkOutcome:
    """The same decision on several queue items; each in its own savepoint, so an item
    someone else handled meanwhile is reported back without undoing the others."""
    if action not in BULK_ACTIONS:
        raise ModerationRefused(_l("Choisissez une action."), 422, field="action")
    parsed = [p for p in (items.parse_key(k) for k in dict.fromkeys(keys)) if p is not None]
    if not parsed:
        raise ModerationRefused(_l("Cochez au moins un élément de la file."), 422,
                                field="items")
    operations: dict[str, Callable] = {
        "hide": lambda item: hide_item(user, item, reason, from_queue=True),
        "restore": lambda item: restore_item(user, item, from_queue=True),
        "dismiss": lambda item: dismiss_reports(user, item),
    }
    outcome = BulkOutcome()
    for kind, item_id in parsed:
        item = items.load_item(kind, item_id)
        if item is None:
            outcome.refused.append(str(_l("Un élément de la file n'existe plus.")))
            continue
        try:
            with db.session.begin_nested():
                operations[action](item)
        except DomainError as error:
            if getattr(error, "status", None) == 422 and error.field == "reason":
                raise  # the same missing reason for every item: say it once, on the field
            outcome.refused.append(f"« {items.summary_of(item)[:60]} » : {error.message}")
        else:
            outcome.done += 1
    return outcome


def hide_all_content(user, author, reason: str | None) -> int:
    """Hide every idea and comment of this agent still shown (admins: moderators of every
    community). Each is logged like a single hiding. Returns how many were hidden."""
    if not can_manage_suspensions(user):
        raise ModerationRefused(_l("Seuls les administrateurs et administratrices peuvent "
                                   "masquer tous les contenus d'un agent."), 403)
    reason = clean_reason(reason)
    ideas = list(db.session.scalars(db.select(Idea).where(
        Idea.author_id == author.id, Idea.hidden_at.is_(None))))
    comments = list(db.session.scalars(db.select(Comment).where(
        Comment.author_id == author.id, Comment.hidden_at.is_(None),
        Comment.deleted_at.is_(None))))
    hidden = 0
    for item in [*ideas, *comments]:
        hide_item(user, item, reason)
        hidden += 1
    return hidden
