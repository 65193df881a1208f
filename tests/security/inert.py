"""Is this HTML inert? A parser walks pages, fragments and emails and reports anything user
content could have smuggled in: a script that is not ours, an event handler, a style, an
svg/math/iframe/object/embed/base/form of theirs, an unsafe URL, htmx attributes of theirs,
and user content outside an `hx-disable` container (SECURITY-CHECKLIST A.1–A.8)."""

import json
import re
from html.parser import HTMLParser

# What the hostile payloads carry, so our own markup never matches.
MARKER = "xss-marker"
HX_TARGET = "/xss-hx"  # where an injected htmx attribute would point
CANARY_LINK = "https://exemple.fr/canari"  # a legitimate link inside user content

FORBIDDEN_TAGS = {"svg", "math", "iframe", "object", "embed", "base", "style", "frame",
                  "frameset", "applet", "mglyph"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
UNSAFE_URL = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)", re.IGNORECASE)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
OUR_SCRIPT = re.compile(r"^/static/")


class _Checker(HTMLParser):
    def __init__(self, canary_needs_hx_disable: bool, styles_allowed: bool = False):
        super().__init__(convert_charrefs=True)
        self.styles_allowed = styles_allowed
        self.problems: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, has hx-disable)
        self.script_type: str | None = None
        self.canary_needs_hx_disable = canary_needs_hx_disable
        self.canaries = 0

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)
        if tag not in VOID:
            self.stack.append((tag, any(name == "hx-disable" for name, _ in attrs)))
        if tag == "script":
            self.script_type = dict(attrs).get("type") or "text/javascript"

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break
        if tag == "script":
            self.script_type = None

    def handle_data(self, data):
        if self.script_type == "application/json":
            try:  # a data island: user text belongs there, as JSON that did not break out
                json.loads(data)
            except ValueError:
                self.problems.append(f"broken JSON data island: {data[:120]!r}")
        elif self.script_type is not None and MARKER in data:
            self.problems.append(f"user text inside a <script>: {data[:120]!r}")

    def _check(self, tag, attrs):
        values = dict(attrs)
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> present")
        if tag == "meta" and "http-equiv" in values:
            self.problems.append(f"<meta http-equiv={values['http-equiv']}>")
        if tag == "script":
            src = values.get("src") or ""
            if values.get("type") != "application/json" and not OUR_SCRIPT.match(src):
                self.problems.append(f"foreign <script src={src!r}>")
        if tag == "form" and MARKER in (values.get("action") or ""):
            self.problems.append("injected <form>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name == "style" and not self.styles_allowed:
                self.problems.append(f"style= on <{tag}>")
            if name in URL_ATTRIBUTES and UNSAFE_URL.match(value):
                self.problems.append(f"unsafe {name}={value[:60]!r} on <{tag}>")
            if (name.startswith(("hx-", "data-hx-")) and (HX_TARGET in value or MARKER in value)):
                self.problems.append(f"injected {name}={value!r} on <{tag}>")
        if tag == "a" and values.get("href") == CANARY_LINK:
            self.canaries += 1
            if self.canary_needs_hx_disable and not any(flag for _, flag in self.stack):
                self.problems.append("user content outside an hx-disable container")
            if values.get("rel") != "noopener noreferrer ugc":
                self.problems.append(f"user link without rel=noopener noreferrer ugc: {values}")


def problems(html: str, *, hx_disable: bool = True, email: bool = False) -> list[str]:
    """`email`: our email templates style inline (mail clients ignore stylesheets); no CSP
    there, and no htmx either."""
    checker = _Checker(hx_disable and not email, styles_allowed=email)
    checker.feed(html)
    checker.close()
    return checker.problems


def assert_inert(html: str, where: str = "", *, hx_disable: bool = True,
                 email: bool = False) -> None:
    found = problems(html, hx_disable=hx_disable, email=email)
    assert not found, f"{where}: " + "; ".join(found)


def canaries(html: str) -> int:
    """How many of the user content's legitimate links the page shows (proves it was there)."""
    checker = _Checker(False)
    checker.feed(html)
    return checker.canaries


class _Hrefs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.hrefs += [value or "" for name, value in attrs if name == "href"]


def hrefs(html: str) -> list[str]:
    """The href values as a browser reads them (entities decoded)."""
    parser = _Hrefs()
    parser.feed(html)
    parser.close()
    return parser.hrefs
