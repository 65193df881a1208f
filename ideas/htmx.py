"""htmx helpers: one place decides between a page and a fragment, and builds HX headers."""

from flask import render_template, request
from htmx_flask import make_response as _htmx_make_response
from htmx_flask.constants import RESWAPS

# htmx-flask 0.1.0 lists "beforebegin" "afterbegin" without a comma, so both are refused;
# we pass the header ourselves for those two.
_MISSING_RESWAPS = {"beforebegin", "afterbegin"}
assert not _MISSING_RESWAPS & set(RESWAPS), "htmx-flask fixed its RESWAPS list: drop the workaround"


def is_htmx() -> bool:
    """An htmx request that wants a fragment. A history restore (back button after
    hx-push-url, nothing cached: historyCacheSize is 0) swaps the whole body: it needs the page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def make_response(*args, reswap: str | None = None, **headers):
    """`htmx_flask.make_response` with every htmx swap style accepted."""
    if reswap in _MISSING_RESWAPS:
        response = _htmx_make_response(*args, **headers)
        response.headers["HX-Reswap"] = reswap
        return response
    return _htmx_make_response(*args, reswap=reswap, **headers)


def render(page: str, fragment: str, **context):
    """The full page for a normal request, the fragment it includes for an htmx one."""
    response = make_response(render_template(fragment if is_htmx() else page, **context))
    response.vary.add("HX-Request")
    return response
