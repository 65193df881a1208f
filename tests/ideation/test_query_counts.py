"""No N+1: the list pages and the idea page issue the same number of SQL queries whatever the
number of ideas or comments (counted on the engine with a `before_cursor_execute` listener)."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from ideas.comments.models import Comment
from ideas.extensions import db
from ideas.follows.models import IdeaFollow
from ideas.ideation.models import IdeaSdg, Tag
from ideas.reference.models import Theme
from ideas.votes.models import Vote
from tests import factories


@contextmanager
def counting_queries():
    statements: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def queries_for(client, url: str, **kwargs) -> list[str]:
    with counting_queries() as statements:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    return statements


@pytest.fixture
def themes(db):
    return db.session.scalars(db.select(Theme).order_by(Theme.position).limit(3)).all()


def add_ideas(n: int, community, reader, themes) -> None:
    """Ideas as varied as real ones: several authors, themes, tags, SDGs, some supported and
    followed by the reader, so every per-card lookup would show up as an extra query."""
    authors = [factories.UserFactory() for _ in range(4)]
    for i in range(n):
        idea = factories.IdeaFactory(community=community, author=authors[i % 4],
                                     themes=themes[: 1 + i % 3], vote_count=i,
                                     comment_count=i % 4)
        idea.tags = [Tag(name=f"mot-{community.id}-{idea.id}")]
        db.session.add(IdeaSdg(idea_id=idea.id, sdg=1 + i % 17))
        if i % 2:
            db.session.add(Vote(idea_id=idea.id, user_id=reader.id))
            db.session.add(IdeaFollow(idea_id=idea.id, user_id=reader.id))
    db.session.commit()


def add_comments(n: int, idea) -> None:
    """Top-level comments and replies by several authors, some edited or deleted."""
    from ideas.utils import utcnow

    authors = [factories.UserFactory() for _ in range(4)]
    parents = []
    for i in range(n):
        author = authors[i % 4]
        parent = parents[i % len(parents)] if i % 3 == 2 and parents else None
        comment = Comment(idea_id=idea.id, author_id=author.id,
                          parent_id=parent.id if parent else None,
                          body=f"Commentaire {i}", body_html=f"<p>Commentaire {i}</p>",
                          edited_at=utcnow() if i % 5 == 0 else None,
                          deleted_at=utcnow() if i % 7 == 0 else None)
        db.session.add(comment)
        db.session.flush()
        if parent is None:
            parents.append(comment)
    idea.comment_count = n
    db.session.commit()


# (url, request options, ideas at first): "Afficher plus" needs a second page in both runs.
LIST_URLS = [
    ("/idees", {}, 5),
    ("/idees?sort=trending", {}, 5),
    ("/idees?sort=supported&scope=followed", {}, 5),
    ("/idees", {"headers": {"HX-Request": "true", "HX-Target": "idea-results"}}, 5),
    ("/idees?page=2", {"headers": {"HX-Request": "true", "HX-Target": "idea-more"}}, 25),
    ("/communautes/{slug}/idees", {}, 5),
    ("/communautes/{slug}", {}, 5),
]


@pytest.mark.parametrize(("url", "kwargs", "first"), LIST_URLS)
def test_list_pages_issue_the_same_queries_for_few_or_50_ideas(client, agent, open_community,
                                                               themes, url, kwargs, first):
    url = url.format(slug=open_community.slug)
    factories.MembershipFactory(user=agent, community=open_community)
    client.login(agent)
    add_ideas(first, open_community, agent, themes)
    client.get(url, **kwargs)  # warm-up: caches that fill once per process
    few = queries_for(client, url, **kwargs)
    add_ideas(50 - first, open_community, agent, themes)
    many = queries_for(client, url, **kwargs)
    assert len(many) == len(few), "\n".join(many)
    # 16: the page's ids, then its rows (ideas.pagination.IdPagination: at 100,000 ideas the
    # rows are never read to count, sort or skip).
    assert len(few) <= 16, "\n".join(few)


def test_idea_page_issues_the_same_queries_for_5_or_50_comments(client, facilitator,
                                                                open_community, themes):
    idea = factories.IdeaFactory(community=open_community, themes=themes)
    idea.tags = [Tag(name="papier"), Tag(name="impression")]
    db.session.add(IdeaSdg(idea_id=idea.id, sdg=12))
    db.session.commit()
    client.login(facilitator)  # a moderator: the edit history is queried too
    url = f"/idees/{idea.id}"
    add_comments(5, idea)
    client.get(url)
    few = queries_for(client, url)
    add_comments(45, idea)
    many = queries_for(client, url)
    assert len(many) == len(few), "\n".join(many)
    # 21 (the thread's first page: its top-level comments, then their replies), plus the
    # possible duplicates a facilitator sees (search: readable and moderated communities,
    # then the similar ideas and their themes when there are some).
    assert len(few) <= 24, "\n".join(few)
