"""The one sanitiser for user text: Markdown → HTML through markdown-it (raw HTML off), then
nh3 (ammonia) with an allow-list. Whatever the input, no script, handler, style, hx-* attribute
or unsafe URL scheme survives (SECURITY-CHECKLIST A.1–A.9)."""

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable("strikethrough")

ALLOWED_TAGS = {"p", "br", "strong", "em", "del", "a", "ul", "ol", "li", "blockquote", "code",
                "pre", "hr", "h3", "h4", "h5", "h6"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel="noopener noreferrer ugc",
                     strip_comments=True)


def render_markdown(text: str) -> str:
    """Safe HTML for storage (`body_html`) and previews."""
    tokens = _markdown.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            # The page owns h1/h2: a "# Title" in an idea becomes an h3.
            token.tag = f"h{min(int(token.tag[1]) + 2, 6)}"
    return sanitize_html(_markdown.renderer.render(tokens, _markdown.options, {}))


def safe_html(stored_html: str) -> Markup:
    """Mark stored, already sanitised HTML as safe for Jinja (sanitised again: defence in depth
    against rows written by an older sanitiser or by hand)."""
    return Markup(sanitize_html(stored_html or ""))  # noqa: S704 - sanitised just above
