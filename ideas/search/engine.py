"""The search interface both backends implement, and the types they return.

Backends know nothing of users: the caller passes `allowed_community_ids` (whose ideas the user
may read) and `moderated_community_ids` (where the user may also find ideas hidden by the
moderation), computed from the database, and re-checks the returned ids against the database
(`ideas.search.queries`).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from markupsafe import Markup

FACETS = ("community", "theme", "status", "territory", "sdg", "year")
SORTS = ("relevance", "newest", "votes")
# Never found, whatever the filters: a withdrawn idea leaves the lists (its page stays), as in
# ideas.ideation.queries.
HIDDEN_STATUSES = ("withdrawn",)
SUGGEST_LIMIT = 5
SIMILAR_LIMIT = 5
MAX_PER_PAGE = 100
MAX_PAGE = 500  # deep pages cost the same as everything before them; nobody reads page 501


class SearchUnavailable(RuntimeError):
    """The index cannot answer (missing, corrupt, being rebuilt): pages say so instead of a 500."""


@dataclass(frozen=True)
class SearchFilters:
    """Facet choices (each narrows to any of its values). Never built from the query text."""

    community_ids: tuple[int, ...] = ()
    theme_ids: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()
    territory_ids: tuple[int, ...] = ()
    sdgs: tuple[int, ...] = ()
    years: tuple[int, ...] = ()

    def as_dict(self) -> dict[str, tuple]:
        return {"community": self.community_ids, "theme": self.theme_ids,
                "status": self.statuses, "territory": self.territory_ids, "sdg": self.sdgs,
                "year": self.years}


@dataclass
class Hit:
    idea_id: int
    title_html: Markup  # the title, escaped, matched words in <mark>
    excerpt_html: Markup  # passages of the body, escaped, matched words in <mark>
    score: float = 0.0


@dataclass
class SearchResults:
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    # facet name (FACETS) → {value: count}; values are ints except status (str)
    facets: dict[str, dict] = field(default_factory=dict)
    # "Did you mean …?": the corrected query text whose results these are, when the typed one
    # found nothing and a one-letter correction did.
    corrected_query: str | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass
class DriftReport:
    missing: list[int] = field(default_factory=list)  # in the database, not in the index
    stale: list[int] = field(default_factory=list)  # indexed, but the idea changed since
    orphans: list[int] = field(default_factory=list)  # in the index, no longer in the database
    queued: int = 0  # entries waiting in search_queue
    fixed: bool = False

    @property
    def has_drift(self) -> bool:
        return bool(self.missing or self.stale or self.orphans or self.queued)

    def summary(self) -> str:
        return (f"missing {len(self.missing)}, stale {len(self.stale)}, "
                f"orphans {len(self.orphans)}, queued {self.queued}")


Progress = Callable[[int, int], None]  # (done, total)


class SearchBackend(Protocol):
    name: str

    def index_ideas(self, connection, idea_ids: Iterable[int]) -> None:
        """(Re)index these ideas from the database; ids no longer there are removed."""

    def search(self, text: str, *, allowed_community_ids: Iterable[int],
               moderated_community_ids: Iterable[int] = (),
               filters: SearchFilters | None = None, sort: str = "relevance",
               page: int = 1, per_page: int = 20) -> SearchResults: ...

    def suggest(self, text: str, *, allowed_community_ids: Iterable[int],
                moderated_community_ids: Iterable[int] = (),
                limit: int = SUGGEST_LIMIT) -> list[Hit]: ...

    def similar(self, title: str, body: str = "", *, allowed_community_ids: Iterable[int],
                moderated_community_ids: Iterable[int] = (),
                exclude_idea_id: int | None = None, limit: int = SIMILAR_LIMIT) -> list[Hit]: ...

    def rebuild(self, connection, progress: Progress | None = None) -> int: ...

    def check(self, connection, fix: bool = False) -> DriftReport: ...

    def is_available(self) -> bool: ...

    def warm(self) -> None:
        """Read what every search needs before a worker's first request (nothing to do for
        a server-side engine)."""
