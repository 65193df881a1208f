"""Highlighted HTML for search hits: everything escaped, only our own <mark> added.

A body containing `<script>` that matches the query comes out as `&lt;script&gt;`.
"""

from markupsafe import Markup, escape
from whoosh.highlight import ContextFragmenter, Formatter, WholeFragmenter, get_text

EXCERPT_CHARS = 240
BETWEEN = " … "


class MarkFormatter(Formatter):
    """Whoosh formatter: escapes the text between and inside matches, wraps matches in <mark>."""

    between = BETWEEN

    def _text(self, text: str) -> str:
        return str(escape(text))

    def format_token(self, text, token, replace=False) -> str:
        return f"<mark>{escape(get_text(text, token, replace))}</mark>"


def title_fragmenter() -> WholeFragmenter:
    return WholeFragmenter(charlimit=None)


def excerpt_fragmenter() -> ContextFragmenter:
    return ContextFragmenter(maxchars=EXCERPT_CHARS, surround=70, charlimit=None)


def plain_excerpt(text: str, limit: int = EXCERPT_CHARS) -> Markup:
    """The start of a text, escaped, when no passage matched (a title-only hit)."""
    if len(text) <= limit:
        return escape(text)
    cut = text.rfind(" ", 0, limit)
    return escape(text[: cut if cut > limit // 2 else limit]) + Markup("…")


def escape_for_headline(text: str) -> str:
    """PostgreSQL: escape before ts_headline adds <mark>, so only the marks are markup."""
    return str(escape(text))


def trusted(html: str) -> Markup:
    """Wrap the output of MarkFormatter / ts_headline on escaped text (our <mark> only)."""
    return Markup(html)  # noqa: S704 - built from escaped text by the functions above
