"""Search pages: the results page with facets, the header's suggestions, and the similar ideas
shown while an idea is written (and to facilitators beside an idea, to merge duplicates).

Everything the user types is read through an allow-list (sorts, facet values) or cleaned (the
query: control characters out, capped); the index is asked through `queries`, which re-checks
every row against the database. A search index that cannot answer gives a message, not a 500.
"""

import logging
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ideas.accounts.views import safe_next_url
from ideas.authz import allowed, require
from ideas.follows.queries import followed_idea_ids
from ideas.htmx import is_htmx, make_response
from ideas.ideation.models import BODY_MAX, TITLE_MAX
from ideas.pagination import PageLinks
from ideas.params import choice_arg, page_arg
from ideas.search import queries
from ideas.search.engine import MAX_PAGE, SearchFilters, SearchUnavailable
from ideas.search.facets import STATUSES, build_facets
from ideas.search.permissions import can_search, can_see_duplicates
from ideas.search.query import MAX_QUERY_CHARS
from ideas.votes.queries import voted_idea_ids

log = logging.getLogger(__name__)
blueprint = Blueprint("search", __name__)

SORTS = {"relevance": _l("Pertinence"), "newest": _l("Les plus récentes"),
         "votes": _l("Les plus soutenues")}
DEFAULT_SORT = "relevance"
MAX_VALUES = 20  # per facet: more checked values than any page shows is not a real request
SUGGEST_CHARS = 200
SIMILAR_MIN_CHARS = 4  # fewer typed letters would match everything
# Control characters (tabs and newlines become spaces) and the bidirectional overrides that
# would make a query shown back on the page read differently from what was searched.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


@blueprint.before_request
@login_required
def _signed_in():
    """Search is for signed-in agents, like every idea page."""


# -- Reading the query string

@dataclass
class SearchArgs:
    q: str
    shortened: bool  # the typed text was longer than MAX_QUERY_CHARS
    filters: SearchFilters
    sort: str
    page: int

    def url_args(self, **changes) -> dict:
        """Query arguments of this search (defaults left out), some changed."""
        args = {"q": self.q or None, "community": list(self.filters.community_ids),
                "theme": list(self.filters.theme_ids), "status": list(self.filters.statuses),
                "territory": list(self.filters.territory_ids), "sdg": list(self.filters.sdgs),
                "year": list(self.filters.years),
                "sort": None if self.sort == DEFAULT_SORT else self.sort,
                "page": self.page if self.page > 1 else None}
        args.update(changes)
        return {key: value for key, value in args.items() if value not in (None, [], "")}

    @property
    def has_filters(self) -> bool:
        return any(self.filters.as_dict().values())


def clean_query(raw: str, limit: int = MAX_QUERY_CHARS) -> tuple[str, bool]:
    """The query as it is searched and shown back: no NUL or control characters, no bidi
    overrides, at most `limit` characters (cut at a space when there is one)."""
    text = _BIDI.sub("", _CONTROL.sub(" ", raw or "")).strip()
    if len(text) <= limit:
        return text, False
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].strip(), True


def _ints(name: str, minimum: int = 1, maximum: int = 2**31 - 1) -> tuple[int, ...]:
    values = [int(v) for v in request.args.getlist(name) if v.isdigit() and len(v) < 10]
    return tuple(dict.fromkeys(v for v in values if minimum <= v <= maximum))[:MAX_VALUES]


def read_args() -> SearchArgs:
    q, shortened = clean_query(request.args.get("q", ""))
    statuses = tuple(dict.fromkeys(v for v in request.args.getlist("status") if v in STATUSES))
    filters = SearchFilters(
        community_ids=_ints("community"),  # those the user may not read: dropped by the query
        theme_ids=_ints("theme"), statuses=statuses, territory_ids=_ints("territory"),
        sdgs=_ints("sdg", 1, 17), years=_ints("year", 1900, 2999))
    sort = choice_arg("sort", SORTS) or DEFAULT_SORT  # allow-list: anything else is a 400
    return SearchArgs(q, shortened, filters, sort, min(page_arg(), MAX_PAGE))


# -- The results page

@dataclass
class ResultPages(PageLinks):
    page: int
    pages: int


@blueprint.get("/recherche")
def results():
    require(can_search)
    args = read_args()
    context = {"args": args, "sorts": SORTS, "found": None, "facets": [], "unavailable": False,
               "is_htmx_request": is_htmx()}
    status = 200
    try:
        found = queries.search_page(current_user, args.q, filters=args.filters, sort=args.sort,
                                    page=args.page, per_page=current_app.config["PER_PAGE"])
    except SearchUnavailable as error:
        log.warning("search page: index unavailable: %s", error)
        context["unavailable"], status = True, 503
    else:
        ids = [item.idea.id for item in found.items]
        pages = ResultPages(found.results.page, min(found.results.pages, MAX_PAGE))
        args.page, args.filters = pages.page, found.filters
        context.update(found=found, facets=build_facets(found.facets, found.filters),
                       pages=pages, voted_ids=voted_idea_ids(current_user, ids),
                       followed_ids=followed_idea_ids(current_user, ids))
    context["page_url"] = lambda page: url_for(".results", **args.url_args(page=page))
    template = "search/_area.html" if is_htmx() else "search/results.html"
    response = make_response(render_template(template, **context), status)
    if status == 503:
        response.headers["Retry-After"] = "60"
    return response


# -- Search as you type (header)

@blueprint.get("/recherche/suggestions")
def suggestions():
    """htmx: the listbox of the header's search box. Opened directly: the results page."""
    require(can_search)
    q, _shortened = clean_query(request.args.get("q", ""), SUGGEST_CHARS)
    if not is_htmx():
        return redirect(url_for(".results", q=q or None))
    items, unavailable = [], False
    if q:
        try:
            items = queries.suggest_ideas(current_user, q)
        except SearchUnavailable as error:
            log.warning("suggestions: index unavailable: %s", error)
            unavailable = True
    return render_template("search/_suggestions.html", q=q, items=items,
                           unavailable=unavailable)


# -- Similar ideas while writing one, and possible duplicates of an idea

@dataclass
class Similar:
    items: list = field(default_factory=list)  # FoundIdea, best first
    unavailable: bool = False
    asked: bool = True  # False: too little text yet to look for anything
    voted: set = field(default_factory=set)  # ids of those the user supports, follows
    followed: set = field(default_factory=set)


def similar_while_writing(title: str, body: str = "") -> Similar:
    title, _ = clean_query(title, TITLE_MAX * 2)
    body, _ = clean_query(body, BODY_MAX)
    if len(title) + len(body) < SIMILAR_MIN_CHARS:
        return Similar(asked=False)
    try:
        items = queries.similar_ideas(current_user, title, body)
    except SearchUnavailable as error:
        log.warning("similar ideas: index unavailable: %s", error)
        return Similar(unavailable=True)
    ids = [item.idea.id for item in items]
    return Similar(items, voted=voted_idea_ids(current_user, ids),
                   followed=followed_idea_ids(current_user, ids))


@blueprint.app_template_global()
def similar_for_form(title: str | None = None, body: str | None = None) -> Similar:
    """The similar-ideas box of the new-idea form; filled on the server when the form comes
    back with what was typed (preview or errors, without JavaScript)."""
    return similar_while_writing(title or "", body or "")


@blueprint.app_template_global()
def duplicate_candidates(idea) -> Similar | None:
    """The ideas most like this one, for its facilitators and admins (None for others)."""
    if not allowed(can_see_duplicates, idea):
        return None
    try:
        return Similar(queries.similar_ideas(current_user, idea.title, idea.body, exclude=idea))
    except SearchUnavailable as error:
        log.warning("duplicates: index unavailable: %s", error)
        return Similar(unavailable=True)


@blueprint.post("/idees/similaires")
def similar():
    """htmx, from the new-idea form as the title and body are typed."""
    require(can_search)
    found = similar_while_writing(request.form.get("title", ""), request.form.get("body", ""))
    # The support and follow buttons of the list post back to the form's page without htmx.
    page = urlsplit(request.headers.get("HX-Current-URL", ""))
    next_url = safe_next_url(page.path + (f"?{page.query}" if page.query else ""))
    return render_template("search/_similar.html", similar=found, next_url=next_url)
