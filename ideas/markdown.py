"""The one sanitiser for user text: Markdown → HTML through markdown-it (raw HTML off), then
nh3 (ammonia) with an allow-list. Whatever the input, no script, handler, style, hx-* attribute
or unsafe URL scheme survives (SECURITY-CHECKLIST A.1–A.9)."""

import functools
import html
import re
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable("strikethrough")

ALLOWED_TAGS = {"p", "br", "strong", "em", "del", "a", "ul", "ol", "li", "blockquote", "code",
                "pre", "hr", "h3", "h4", "h5", "h6"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def _safe_url(value: str) -> str | None:
    """The URL, or None when it could name another scheme than ours once decoded: nh3 passes
    `java%09script:…` as a relative path (harmless today, as browsers do not decode it), but
    what a link means should not depend on such subtleties (SECURITY-CHECKLIST A.2)."""
    decoded = _INVISIBLE.sub("", html.unescape(unquote(value))).lower()
    scheme = _SCHEME.match(decoded)
    if scheme and scheme.group(1) not in URL_SCHEMES:
        return None
    return value


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "href":
        return _safe_url(value)
    return value


def sanitize_html(html_text: str) -> str:
    return nh3.clean(html_text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel="noopener noreferrer ugc",
                     strip_comments=True, attribute_filter=_filter_attribute)


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
    return Markup(_sanitized(stored_html or ""))  # noqa: S704 - sanitised just above


@functools.lru_cache(maxsize=4096)
def _sanitized(stored_html: str) -> str:
    """The same text always comes out the same: a thread or a list shown again is not
    sanitised again (a 200-comment thread: 200 nh3 passes a view)."""
    return sanitize_html(stored_html)
