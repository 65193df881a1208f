"""Erasing an account (RGPD art. 17; SECURITY-CHECKLIST item 51), by its owner or an admin.

The row stays, so that the ideas, comments, supports and official answers the community relies
on keep an author (foreign keys hold), but it keeps nothing personal: name and email become
neutral placeholders, the password and the territory go, every session ends (a new session
token), and pages, exports, notifications and emails show "Agent supprimé" (`User.display_name`).
What exists only for the agent is deleted: memberships, follows, notification preferences,
notifications and emails to them, mentions of them, suspensions, invitations to their address.

Texts keep no trace of the name either: wherever the full name is written (ideas, earlier
versions, comments and `@Prénom Nom` mentions, official answers, the moderation log and
reports, emails waiting to be sent), by the agent or by others, it becomes "Agent supprimé".
The ideas concerned are then re-indexed by the search hooks, like after any edit, so neither
Whoosh nor PostgreSQL finds the name any more.

Each erasure, once committed, appends the account's id (and its creation time, to tell it from a
later account that would get the same id) to `ERASURE_LOG`, outside the database:
`flask --app wsgi erasures reapply` erases them again after an older backup was restored.
"""

import json
import logging
import re
from datetime import datetime
from pathlib import Path

from flask import current_app, has_app_context
from markupsafe import escape
from sqlalchemy import delete, event, select, update
from sqlalchemy.orm import Session

from ideas.accounts.models import Invitation, Role, User
from ideas.comments.models import Comment
from ideas.communities.models import Community, Membership, MembershipStatus
from ideas.communities.permissions import forget_memberships
from ideas.extensions import db
from ideas.follows.models import CommunityFollow, IdeaFollow
from ideas.ideation.models import TITLE_MAX, Idea, IdeaRevision
from ideas.markdown import render_markdown
from ideas.moderation.models import SUMMARY_MAX, ModerationAction, Report, Suspension
from ideas.notifications.models import (
    CommentMention,
    Notification,
    NotificationPreference,
    OutboxEmail,
    OutboxStatus,
)
from ideas.utils import utcnow
from ideas.workflow.models import StatusChange

log = logging.getLogger(__name__)

# Stored texts are French: what they say instead of the name. Pages translate the name itself.
ERASED_NAME = "Agent supprimé"
PENDING_LOG = "privacy_erasures"
MIN_NAME_LENGTH = 3  # a shorter name would rewrite ordinary words


def erased_email(user_id: int) -> str:
    """Unique (the column is), never deliverable (RFC 2606 .invalid), names nobody."""
    return f"compte-supprime-{user_id}@supprime.invalid"


def erase_account(user: User, *, record: bool = True) -> bool:
    """Anonymise `user` everywhere. False when it was erased already (nothing changes)."""
    if user.erased_at is not None:
        return False
    name = user.stored_display_name or ""
    db.session.flush()
    _scrub_texts(user, name)
    _delete_what_is_theirs(user)
    created_at = user.created_at
    user.stored_display_name = ERASED_NAME
    user.email = erased_email(user.id)
    user.password_hash = None
    user.role = Role.AGENT
    user.territory_id = None
    user.locale = None
    user.is_active = False
    user.deactivated_at = user.deactivated_at or utcnow()
    user.last_login_at = None
    user.password_changed_at = None
    user.erased_at = utcnow()
    user.rotate_session_token()  # every session and remember-me cookie stops matching
    db.session.flush()
    forget_memberships()
    if record:
        db.session.info.setdefault(PENDING_LOG, []).append(
            {"user_id": user.id, "created_at": _iso(created_at), "erased_at": _iso(user.erased_at)})
    log.info("account erased user=%s", user.id)
    return True


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


# -- What exists only for the agent

def _delete_what_is_theirs(user: User) -> None:
    session = db.session
    active_communities = select(Membership.community_id).where(
        Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE)
    session.execute(update(Community).where(Community.id.in_(active_communities))
                    .values(member_count=Community.member_count - 1)
                    .execution_options(synchronize_session=False))
    followed = select(IdeaFollow.idea_id).where(IdeaFollow.user_id == user.id)
    session.execute(update(Idea).where(Idea.id.in_(followed))
                    .values(follower_count=Idea.follower_count - 1)
                    .execution_options(synchronize_session=False))
    for model, column in ((Membership, Membership.user_id), (IdeaFollow, IdeaFollow.user_id),
                          (CommunityFollow, CommunityFollow.user_id),
                          (NotificationPreference, NotificationPreference.user_id),
                          (Notification, Notification.user_id),
                          (OutboxEmail, OutboxEmail.user_id),
                          (CommentMention, CommentMention.user_id),
                          (Suspension, Suspension.user_id)):
        session.execute(delete(model).where(column == user.id)
                        .execution_options(synchronize_session=False))
    session.execute(delete(Invitation).where(Invitation.email == user.email)
                    .execution_options(synchronize_session=False))
    # Rows loaded earlier in this session (counters, memberships) must be read again.
    session.expire_all()


# -- The name inside texts

# Every text the platform keeps where someone may have written an agent's name, and for each
# the HTML rendered from a Markdown column. A whole-name match only (`@Prénom Nom` mentions
# included), case-insensitive: a first name alone is left, it identifies no one. A display name
# of one word ("Atelier 86" has two) could be an ordinary word: it is replaced only where it is
# a recorded mention of the agent.
TEXTS = (
    (Idea, ("title", "body", "hidden_reason"), {"body_html": "body"}),
    (IdeaRevision, ("title", "body"), {}),
    (Comment, ("body", "hidden_reason"), {"body_html": "body"}),
    (StatusChange, ("answer",), {"answer_html": "answer"}),
    (ModerationAction, ("summary", "reason", "before", "after"), {}),
    (Report, ("details",), {}),
)
LENGTHS = {(Idea, "title"): TITLE_MAX, (IdeaRevision, "title"): TITLE_MAX,
           (ModerationAction, "summary"): SUMMARY_MAX}


def _scrub_texts(user: User, name: str) -> None:
    """Replace the name everywhere it is written, by anyone; and in the emails still waiting to
    be sent to others. ORM updates: the search hooks re-index the ideas concerned."""
    name = name.strip()
    if len(name) < MIN_NAME_LENGTH:
        return
    pattern = re.compile(rf"(?<!\w){_flexible(name)}(?!\w)", re.IGNORECASE)
    lowered = name.lower()
    if len(name.split()) < 2:
        _scrub_recorded_mentions(user, name)
        return
    for model, columns, rendered in TEXTS:
        for row in _containing(model, [getattr(model, c) for c in columns], lowered):
            for column in columns:
                value = getattr(row, column)
                if value:
                    limit = LENGTHS.get((model, column))
                    setattr(row, column, pattern.sub(ERASED_NAME, value)[:limit])
            for html_column, source in rendered.items():
                setattr(row, html_column, render_markdown(getattr(row, source)))
    escaped = re.compile(rf"(?<!\w){_flexible(str(escape(name)))}(?!\w)", re.IGNORECASE)
    for email in _containing(OutboxEmail, (OutboxEmail.subject, OutboxEmail.text), lowered,
                             OutboxEmail.status == OutboxStatus.PENDING,
                             OutboxEmail.user_id != user.id):
        email.subject = pattern.sub(ERASED_NAME, email.subject)
        email.text = pattern.sub(ERASED_NAME, email.text)
        email.html = escaped.sub(ERASED_NAME, pattern.sub(ERASED_NAME, email.html))
    db.session.flush()


def _scrub_recorded_mentions(user: User, name: str) -> None:
    mention = re.compile(rf"(?<![\w@.])@{_flexible(name)}(?!\w)", re.IGNORECASE)
    mentioning = select(CommentMention.comment_id).where(CommentMention.user_id == user.id)
    for comment in db.session.scalars(select(Comment).where(Comment.id.in_(mentioning))):
        comment.body = mention.sub("@" + ERASED_NAME, comment.body)
        comment.body_html = render_markdown(comment.body)
    db.session.flush()


def _flexible(name: str) -> str:
    """The name as a pattern: any run of spaces (non-breaking ones too) between its words."""
    return r"[\s\u00a0]+".join(re.escape(word) for word in name.split())


def _containing(model, columns, lowered: str, *conditions):
    # One scan per table, on the rare erasure: LIKE finds the candidates, the regex decides.
    matches = db.or_(*(db.func.lower(column).contains(lowered, autoescape=True)
                       for column in columns))
    return db.session.scalars(select(model).where(matches, *conditions)).all()


# -- The erasure log, outside the database

def register(session_factory) -> None:
    """Write the log once the erasure is committed; a rolled-back one is never logged."""
    if not event.contains(session_factory, "after_commit", _after_commit):
        event.listen(session_factory, "after_commit", _after_commit)
        event.listen(session_factory, "after_soft_rollback", _after_rollback)


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    entries = session.info.pop(PENDING_LOG, None)
    if entries and has_app_context():
        append_to_log(Path(current_app.config["ERASURE_LOG"]), entries)


def _after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(PENDING_LOG, None)


def append_to_log(path: Path, entries: list[dict]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log_file:
            for entry in entries:
                log_file.write(json.dumps(entry, sort_keys=True) + "\n")
    except OSError:
        # The erasure itself is committed; only its replay after a restore is at risk.
        log.exception("could not write the erasure log %s: %s", path, entries)


def read_log(path: Path) -> list[dict]:
    if not path.exists():
        return []
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            entries.append({"user_id": int(entry["user_id"]),
                            "created_at": entry.get("created_at")})
        except (ValueError, KeyError, TypeError):
            log.warning("erasure log %s line %d unreadable: skipped", path, number)
    return entries


def reapply_erasures(path: Path) -> tuple[int, int, int]:
    """Erase again the logged accounts that a restored backup brought back.
    Returns (erased now, already erased or gone, skipped: the id is another account's now)."""
    erased = unchanged = skipped = 0
    for entry in read_log(path):
        user = db.session.get(User, entry["user_id"])
        if user is None or user.erased_at is not None:
            unchanged += 1
        elif entry["created_at"] and _iso(user.created_at) != entry["created_at"]:
            log.warning("erasure log: user %s was created at %s, not %s: not erased",
                        user.id, _iso(user.created_at), entry["created_at"])
            skipped += 1
        else:
            erase_account(user, record=False)
            erased += 1
    return erased, unchanged, skipped
