"""Mentions in comments: how they are written, resolved and highlighted.

Writing: `@` followed by the display name as the profile shows it, e.g. `@Marie Martin` or
`@Jean-Pierre N'Diaye`: one to four words of letters or digits (inner `-`, `'`, `’` or `.`
allowed), separated by single spaces. Case does not matter, accents do. The `@` must not follow a
letter, a digit, `@` or `.`, so email addresses are not mentions.

Resolving: the longest run of words after `@` that is the display name of an active account
wins (`@Marie Martin a dit` names "Marie Martin" rather than "Marie"). Every active account with
that name who may see the idea is mentioned (homonyms included); nobody else is: a mention of
someone outside a private community creates nothing, and the text stays plain.

Highlighting: the names of the people resolved for a comment are wrapped in
`<span class="mention">` when the comment is shown (`highlight_mentions`), in text only (never in
links or code)."""

import re
import unicodedata
from html.parser import HTMLParser

from flask import g
from markupsafe import Markup, escape

from ideas.accounts.models import User
from ideas.comments.models import Comment
from ideas.extensions import db
from ideas.ideation.permissions import can_view_idea
from ideas.notifications.kinds import Kind
from ideas.notifications.models import CommentMention, Notification, OutboxEmail, OutboxStatus

MAX_WORDS = 4
_WORD = r"\w+(?:[-'’.]\w+)*"
MENTION = re.compile(rf"(?<![\w@.])@({_WORD}(?: {_WORD}){{0,{MAX_WORDS - 1}}})")
_SPLIT = re.compile(r" ")


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").replace("\u00a0", " ")


def candidate_names(text: str) -> list[list[str]]:
    """For each `@` in the text, the names it may stand for, longest first."""
    found = []
    for match in MENTION.finditer(_normalize(text)):
        words = _SPLIT.split(match.group(1))
        found.append([" ".join(words[:n]) for n in range(len(words), 0, -1)])
    return found


def resolve_mentions(text: str, idea, author) -> list[User]:
    """The accounts a comment text mentions and who may see `idea`, author excluded."""
    mentions = candidate_names(text)
    if not mentions:
        return []
    keys = {name.lower() for names in mentions for name in names}
    users_by_name: dict[str, list[User]] = {}
    for user in db.session.scalars(db.select(User).where(
            db.func.lower(User.display_name).in_(keys), User.is_active).order_by(User.id)):
        users_by_name.setdefault(user.display_name.lower(), []).append(user)
    mentioned: dict[int, User] = {}
    for names in mentions:
        match = next((name.lower() for name in names if name.lower() in users_by_name), None)
        for user in users_by_name.get(match, []):
            if user.id != getattr(author, "id", None) and can_view_idea(user, idea):
                mentioned.setdefault(user.id, user)
    return list(mentioned.values())


def record_mentions(comment: Comment, users: list[User]) -> list[User]:
    """Store who the comment mentions; returns those not recorded before (an edit may add)."""
    known = set(db.session.scalars(db.select(CommentMention.user_id).where(
        CommentMention.comment_id == comment.id)))
    new = [user for user in users if user.id not in known]
    db.session.add_all(CommentMention(comment_id=comment.id, user_id=user.id) for user in new)
    db.session.flush()
    _forget(comment.idea_id)
    return new


def withdraw_mentions(comment: Comment, users: list[User]) -> int:
    """An edit took names out: forget those mentions, and withdraw their notifications while
    they are unread (with the email not yet sent). Returns how many mentions were removed."""
    kept = {user.id for user in users}
    gone = [user_id for user_id in db.session.scalars(db.select(CommentMention.user_id).where(
        CommentMention.comment_id == comment.id)) if user_id not in kept]
    if not gone:
        return 0
    db.session.execute(db.delete(CommentMention).where(
        CommentMention.comment_id == comment.id, CommentMention.user_id.in_(gone)))
    unread = db.select(Notification.id).where(
        Notification.comment_id == comment.id, Notification.kind == Kind.MENTION,
        Notification.user_id.in_(gone), Notification.read_at.is_(None))
    ids = list(db.session.scalars(unread))
    if ids:
        db.session.execute(db.delete(OutboxEmail).where(
            OutboxEmail.dedup_key.in_([f"notification:{id_}" for id_ in ids]),
            OutboxEmail.status == OutboxStatus.PENDING))
        db.session.execute(db.delete(Notification).where(Notification.id.in_(ids)))
    _forget(comment.idea_id)
    return len(gone)


# -- Highlighting when a comment is shown

def _names_by_comment(idea_id: int) -> dict[int, list[str]]:
    """Every resolved mention of an idea's comments, once per request (one query per thread)."""
    cache = g.setdefault("_comment_mentions", {})
    if idea_id not in cache:
        rows = db.session.execute(
            db.select(CommentMention.comment_id, User.display_name)
            .join(User, User.id == CommentMention.user_id)
            .join(Comment, Comment.id == CommentMention.comment_id)
            .where(Comment.idea_id == idea_id))
        names: dict[int, list[str]] = {}
        for comment_id, name in rows:
            names.setdefault(comment_id, []).append(name)
        cache[idea_id] = names
    return cache[idea_id]


def _forget(idea_id: int) -> None:
    g.get("_comment_mentions", {}).pop(idea_id, None)


class _Highlighter(HTMLParser):
    """Re-emits sanitised HTML as it came, wrapping mentions found in text outside links and
    code. Tags are copied verbatim (they passed the sanitiser); text is escaped again."""

    SKIPPED = {"a", "code", "pre"}

    def __init__(self, pattern: re.Pattern):
        super().__init__(convert_charrefs=True)
        self.pattern, self.parts, self.skipping = pattern, [], 0

    def handle_starttag(self, tag, attrs):
        self.parts.append(self.get_starttag_text())
        if tag in self.SKIPPED:
            self.skipping += 1

    def handle_startendtag(self, tag, attrs):
        self.parts.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.parts.append(f"</{tag}>")
        if tag in self.SKIPPED and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if self.skipping:
            self.parts.append(str(escape(data)))
            return
        position = 0
        for match in self.pattern.finditer(data):
            self.parts.append(str(escape(data[position:match.start()])))
            self.parts.append(f'<span class="mention">{escape(match.group(0))}</span>')
            position = match.end()
        self.parts.append(str(escape(data[position:])))


def highlight(html: str, names: list[str]) -> Markup:
    """`html` must already be sanitised (it is copied tag for tag)."""
    if not names:
        return Markup(html)  # noqa: S704 - sanitised by the caller (safe_html)
    # Markdown keeps a typed non-breaking space: it separates a name's words as well.
    alternatives = "|".join(re.escape(name).replace(r"\ ", "[ \u00a0]")
                            for name in sorted(set(names), key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w@.])@(?:{alternatives})(?!\w)", re.IGNORECASE)
    parser = _Highlighter(pattern)
    parser.feed(str(html))
    parser.close()
    return Markup("".join(parser.parts))  # noqa: S704 - tags copied, text escaped


def highlight_mentions(html: Markup, comment: Comment) -> Markup:
    """Jinja filter: `comment.body_html|safe_html|highlight_mentions(comment)`."""
    if comment is None or comment.id is None:
        return html
    return highlight(html, _names_by_comment(comment.idea_id).get(comment.id, []))
