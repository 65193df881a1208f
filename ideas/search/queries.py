"""What pages call: search, suggestions, similar ideas — for a user, checked against the database.

The backend gets the communities the user may read and those they moderate (`visibility`) and
returns idea ids; those ids are then loaded with `visible_ideas_filter(user)` (communities,
moderation), so an index that is stale or wrong can hide an idea but never show one the user
may not see.

Every function may raise `SearchUnavailable` (index missing, corrupt, being rebuilt): the page
shows "la recherche est indisponible / en cours de reconstruction" instead of an error.
"""

from dataclasses import dataclass, field, replace

from ideas.extensions import db
from ideas.ideation.models import Idea, IdeaStatus
from ideas.ideation.queries import visible_ideas_filter, with_card_details
from ideas.search.engine import (
    FACETS,
    SIMILAR_LIMIT,
    SUGGEST_LIMIT,
    Hit,
    SearchFilters,
    SearchResults,
)
from ideas.search.registry import get_backend
from ideas.search.visibility import allowed_community_ids, moderated_community_ids


@dataclass
class FoundIdea:
    idea: Idea
    hit: Hit  # title_html / excerpt_html: escaped text with <mark>, safe to render as is


@dataclass
class SearchPage:
    query: str
    results: SearchResults
    items: list[FoundIdea] = field(default_factory=list)
    filters: SearchFilters = field(default_factory=SearchFilters)  # as applied

    @property
    def total(self) -> int:
        return self.results.total

    @property
    def facets(self) -> dict[str, dict]:
        return self.results.facets

    @property
    def corrected_query(self) -> str | None:
        return self.results.corrected_query


def search_ideas(user, text: str, *, filters: SearchFilters | None = None,
                 sort: str = "relevance", page: int = 1, per_page: int = 20) -> SearchPage:
    results = get_backend().search(text or "", **_scope(user),
                                   filters=filters or SearchFilters(), sort=sort, page=page,
                                   per_page=per_page)
    return SearchPage(text or "", results, _checked(user, results.hits))


def search_page(user, text: str, *, filters: SearchFilters | None = None,
                sort: str = "relevance", page: int = 1, per_page: int = 20) -> SearchPage:
    """The search page: chosen communities the user may not read are dropped, a page past the
    end shows the last one, and the counts of a facet where values are chosen ignore that
    facet's own choice (values of one facet combine with OR: the other values keep their counts
    and can be added)."""
    scope = _scope(user)
    readable = set(scope["allowed_community_ids"])
    filters = replace(filters or SearchFilters(), community_ids=tuple(
        c for c in (filters.community_ids if filters else ()) if c in readable))

    def run(chosen: SearchFilters, page: int, per_page: int) -> SearchResults:
        return get_backend().search(text or "", **scope, filters=chosen, sort=sort, page=page,
                                    per_page=per_page)

    results = run(filters, page, per_page)
    if not results.hits and results.total and page > results.pages:
        results = run(filters, results.pages, per_page)
    chosen = filters.as_dict()
    for facet in FACETS:
        if chosen[facet]:
            others = replace(filters, **{_FILTER_FIELDS[facet]: ()})
            results.facets[facet] = run(others, 1, 1).facets.get(facet, {})
    return SearchPage(text or "", results, _checked(user, results.hits), filters)


_FILTER_FIELDS = {"community": "community_ids", "theme": "theme_ids", "status": "statuses",
                  "territory": "territory_ids", "sdg": "sdgs", "year": "years"}


def suggest_ideas(user, text: str, limit: int = SUGGEST_LIMIT) -> list[FoundIdea]:
    hits = get_backend().suggest(text or "", **_scope(user), limit=limit)
    return _checked(user, hits)


def similar_ideas(user, title: str, body: str = "", *, exclude: Idea | None = None,
                  limit: int = SIMILAR_LIMIT) -> list[FoundIdea]:
    """For the new-idea form (title and body as typed) and for facilitators on an idea page
    (`exclude=idea`, with its own title and body)."""
    hits = get_backend().similar(title or "", body or "", **_scope(user),
                                 exclude_idea_id=exclude.id if exclude else None, limit=limit)
    return _checked(user, hits)


def _scope(user) -> dict:
    return {"allowed_community_ids": allowed_community_ids(user),
            "moderated_community_ids": moderated_community_ids(user)}


def _checked(user, hits: list[Hit]) -> list[FoundIdea]:
    """Keep the hits whose idea exists and the user may see, in the backend's order."""
    if not hits:
        return []
    rows = db.session.scalars(with_card_details(
        db.select(Idea).where(Idea.id.in_([hit.idea_id for hit in hits]),
                              visible_ideas_filter(user),
                              Idea.status != IdeaStatus.WITHDRAWN)))
    ideas = {idea.id: idea for idea in rows}
    return [FoundIdea(ideas[hit.idea_id], hit) for hit in hits if hit.idea_id in ideas]
