"""Assertions on comments read fresh from the database."""

from html.parser import HTMLParser

from ideas.comments.models import Comment
from ideas.extensions import db
from ideas.ideation.models import Idea


def comment_count_is_exact(idea) -> bool:
    """`comment_count` equals the rows that are not deleted, read fresh from the database."""
    stored = db.session.scalar(db.select(Idea.comment_count).where(Idea.id == idea.id))
    counted = db.session.scalar(db.select(db.func.count()).select_from(Comment).where(
        Comment.idea_id == idea.id, Comment.deleted_at.is_(None)))
    return stored == counted


def stored_count(idea) -> int:
    return db.session.scalar(db.select(Idea.comment_count).where(Idea.id == idea.id))


# What an attacker types in a comment (SECURITY-CHECKLIST A.1–A.5).
HOSTILE = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](java&#x09;script:alert(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert(1)>",
    '![x](x" onerror="alert(1))',
    '<div hx-post="/commentaires/1/supprimer" hx-trigger="load">x</div>',
]
_UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")


class _ActiveHtml(HTMLParser):
    """Collects what a browser would run: scripts not served by us, event handlers, unsafe
    link targets, htmx triggers firing on load (our templates never use one)."""

    def __init__(self, allowed_tags):
        super().__init__(convert_charrefs=True)
        self.allowed_tags = set(allowed_tags)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.found.append("inline <script>")
        if tag in _DANGEROUS_TAGS - self.allowed_tags:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if _is_active(name, "".join((value or "").split()).lower()):
                self.found.append(f"{name}={value}" if value else f"{name}=")


_DANGEROUS_TAGS = {"svg", "math", "iframe", "object", "embed", "base", "meta", "style", "form"}


def _is_active(name: str, compact_value: str) -> bool:
    if name.startswith("on"):
        return True
    if name in ("href", "src", "action", "formaction"):
        return compact_value.startswith(_UNSAFE_SCHEMES)
    return name in ("hx-trigger", "data-hx-trigger") and "load" in compact_value


def active_html(html: str, allowed_tags=()) -> list[str]:
    """Everything dangerous in `html`; `allowed_tags` for a full page (which has our forms)."""
    parser = _ActiveHtml(allowed_tags)
    parser.feed(html)
    return parser.found
