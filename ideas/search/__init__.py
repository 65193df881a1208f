"""Full-text search over ideas, in French, with two backends (Whoosh, PostgreSQL).

Pages use `ideas.search.queries` (search_ideas, suggest_ideas, similar_ideas) and catch
`SearchUnavailable`; operators use `flask --app wsgi search rebuild|check [--fix]`.
"""

from ideas.search.engine import SearchFilters, SearchUnavailable
from ideas.search.registry import get_backend, init_app

__all__ = ["SearchFilters", "SearchUnavailable", "get_backend", "init_app"]
