"""Pages of a list found ids first (ideas.pagination.IdPagination): pinned ideas before the
others across page boundaries, totals, a page past the end."""

from datetime import datetime, timedelta

from ideas.ideation import queries
from ideas.ideation.models import IdeaStatus
from tests import factories


def titles(pagination) -> list[str]:
    return [idea.title for idea in pagination.items]


def test_pinned_ideas_first_then_newest_across_pages(db, agent, open_community):
    start = datetime(2026, 1, 1)
    for n in range(9):
        factories.IdeaFactory(community=open_community, title=f"Idée {n}",
                              created_at=start + timedelta(days=n))
    for n, day in enumerate((3, 1, 2)):  # pinned ideas, the last pinned first
        factories.IdeaFactory(community=open_community, title=f"Épinglée {n}",
                              created_at=start - timedelta(days=n),
                              pinned_at=start + timedelta(days=10 + day))
    factories.IdeaFactory(community=open_community, title="Retirée",
                          status=IdeaStatus.WITHDRAWN, created_at=start + timedelta(days=20))
    db.session.commit()
    filters = queries.IdeaFilters()

    def page(n):
        return queries.search_ideas(agent, filters, n, 4, open_community)

    first, second, third = page(1), page(2), page(3)
    assert first.total == 12 and first.pages == 3
    assert titles(first) == ["Épinglée 0", "Épinglée 2", "Épinglée 1", "Idée 8"]
    assert titles(second) == ["Idée 7", "Idée 6", "Idée 5", "Idée 4"]
    assert titles(third) == ["Idée 3", "Idée 2", "Idée 1", "Idée 0"]
    assert titles(page(99)) == titles(third)  # past the end: the last page
    # Everywhere else pinning means nothing: the newest first.
    everything = queries.search_ideas(agent, filters, 1, 4)
    assert titles(everything) == ["Idée 8", "Idée 7", "Idée 6", "Idée 5"]
    assert everything.total == 12


def test_pinned_ideas_filling_more_than_a_page(db, agent, open_community):
    start = datetime(2026, 1, 1)
    for n in range(6):
        factories.IdeaFactory(community=open_community, title=f"Épinglée {n}",
                              pinned_at=start + timedelta(days=n))
    factories.IdeaFactory(community=open_community, title="Autre")
    db.session.commit()
    found = [titles(queries.search_ideas(agent, queries.IdeaFilters(), n, 4, open_community))
             for n in (1, 2)]
    assert found == [["Épinglée 5", "Épinglée 4", "Épinglée 3", "Épinglée 2"],
                     ["Épinglée 1", "Épinglée 0", "Autre"]]
