"""What pages call: search, suggestions, similar ideas — for a user, checked against the database.

The backend gets the communities the user may read and those they moderate (`visibility`) and
returns idea ids; those ids are then loaded with `visible_ideas_filter(user)` (communities,
moderation), so an index that is stale or wrong can hide an idea but never show one the user
may not see.

Every function may raise `SearchUnavailable` (index missing, corrupt, being rebuilt): the page
shows "la recherche est indisponible / en cours de reconstruction" instead of an error.
"""

from dataclasses import dataclass, field

from ideas.extensions import db
from ideas.ideation.models import Idea, IdeaStatus
from ideas.ideation.queries import visible_ideas_filter, with_card_details
from ideas.search.engine import (
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
