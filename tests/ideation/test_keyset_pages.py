"""Keyset pages (ideas.pagination.PageCursor): the "next page" links carry the last idea's sort
keys (`?apres=`) and the next page is sought after them; the same ideas as OFFSET pages, on
lists with ties, pinned ideas and ideas the reader may not see; a cursor altered, forged, of
another page, sort or reader is ignored, never a 500 and never a leak."""

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, tuple_

from ideas.extensions import db
from ideas.ideation import queries
from ideas.ideation.models import Idea, IdeaStatus
from ideas.ideation.views import cursor_scope
from ideas.pagination import PageCursor
from tests import factories
from tests.helpers import text
from tests.ideation.test_query_counts import counting_queries

PER_PAGE = 7
MORE = {"HX-Request": "true", "HX-Target": "idea-more"}
START = datetime(2026, 3, 1, 9, 30)


def titles(response) -> list[str]:
    return re.findall(r'<h3 class="fr-card__title"><a href="/idees/\d+">([^<]+)</a>',
                      text(response))


def more_link(response, attribute: str = "href") -> str | None:
    """The "Afficher plus" link (href: without JavaScript; hx-get: htmx)."""
    found = re.search(rf'<li class="fr-col-12 idea-more" id="idea-more">\s*<a [^>]*?'
                      rf'{attribute}="([^"]+)"', text(response))
    return found.group(1) if found else None


@pytest.fixture
def small_pages(app, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", PER_PAGE)


@pytest.fixture
def corpus(db, agent, open_community, private_community):
    """61 ideas with ties on every sort key but the id (six dates, three support and comment
    counts), three pinned, a withdrawn one, and a private community's ideas among them."""
    authors = [factories.UserFactory() for _ in range(3)]
    for n in range(61):
        factories.IdeaFactory(community=open_community, author=authors[n % 3],
                              title=f"Idée ouverte {n:02d}",
                              created_at=START + timedelta(hours=n % 6),
                              vote_count=n % 3, comment_count=(n * 7) % 3)
    for n in range(3):
        factories.IdeaFactory(community=open_community, title=f"Idée épinglée {n}",
                              created_at=START + timedelta(hours=n), vote_count=n,
                              pinned_at=START + timedelta(days=1, hours=n))
    factories.IdeaFactory(community=open_community, title="Idée retirée",
                          status=IdeaStatus.WITHDRAWN, created_at=START)
    for n in range(8):
        factories.IdeaFactory(community=private_community, title=f"Idée secrète {n}",
                              created_at=START + timedelta(hours=n % 6, minutes=1),
                              vote_count=n % 3, comment_count=n % 3)
    db.session.commit()


def walk(client, url: str, headers=None, attribute="href") -> list[tuple[str, list[str]]]:
    """Every page from the first through the "Afficher plus" links: (url, titles)."""
    pages = [(url, titles(client.get(url)))]
    response = client.get(url)
    while (link := more_link(response, attribute)) is not None:
        response = client.get(link, headers=headers)
        assert response.status_code == 200, link
        pages.append((link, titles(response)))
    return pages


LISTS = ["/idees", "/idees?sort=supported", "/idees?sort=commented", "/idees?sort=trending",
         "/idees?sort=supported&status=submitted", "/communautes/{slug}/idees",
         "/communautes/{slug}/idees?sort=supported", "/communautes/{slug}/idees?sort=commented"]


@pytest.mark.parametrize("url", LISTS)
def test_cursor_pages_are_the_offset_pages(client, agent, open_community, corpus, small_pages,
                                           url):
    url = url.format(slug=open_community.slug)
    client.login(agent)
    pages = walk(client, url)
    listed = [title for _, page in pages for title in page]
    assert len(pages) == 10 and len(listed) == 64  # 61 + 3 pinned; withdrawn, secret: no
    assert len(set(listed)) == len(listed)
    if "/communautes/" in url:
        assert sorted(listed[:3]) == ["Idée épinglée 0", "Idée épinglée 1", "Idée épinglée 2"]
    separator = "&" if "?" in url else "?"
    for number, (link, page) in enumerate(pages[1:], start=2):
        # The same ideas as the page counted to by OFFSET (no cursor).
        assert page == titles(client.get(f"{url}{separator}page={number}")), link
        assert f"page={number}" in link
        # Every sort but "trending" (computed per request) seeks the next page.
        assert ("apres=" in link) is ("trending" not in url), link
    # htmx "Afficher plus" (cards appended) walks the same pages.
    assert [page for _, page in walk(client, url, MORE, "hx-get")] == [p for _, p in pages]


def test_the_numbered_pagination_next_link_seeks_too(client, agent, corpus, small_pages):
    client.login(agent)
    page = text(client.get("/idees?page=3"))
    following = re.search(r'fr-pagination__link--next[^"]*" href="([^"]+)"', page).group(1)
    assert "page=4&apres=" in following
    assert titles(client.get(following)) == titles(client.get("/idees?page=4"))
    # Other page numbers are counted to.
    assert 'href="/idees?page=2"' in page and 'href="/idees?page=10"' in page


def test_a_cursor_page_seeks_without_offset_in_the_same_number_of_queries(
        client, agent, corpus, small_pages):
    client.login(agent)
    link = more_link(client.get("/idees?sort=supported&page=4"))
    client.get(link)  # warm-up
    with counting_queries() as sought:
        assert client.get(link).status_code == 200
    with counting_queries() as skipped:
        assert client.get("/idees?sort=supported&page=5").status_code == 200
    assert len(sought) == len(skipped)
    seek = "(ideas.vote_count, ideas.created_at, ideas.id) <"
    assert len([sql for sql in sought if seek in sql]) == 1
    assert not any(seek in sql for sql in skipped)
    # SQLite's dialect writes "OFFSET 0" when none is asked; PostgreSQL's nothing.
    page_ids = [(sql, params) for sql, params in offsets(client, link) if seek in sql]
    assert page_ids and all(offset in (None, 0) for _, offset in page_ids)
    assert any(offset == 4 * PER_PAGE for _, offset in
               offsets(client, "/idees?sort=supported&page=5"))


def offsets(client, url: str) -> list[tuple[str, int | None]]:
    """Each LIMIT query of the page and the OFFSET it was sent with (None: no OFFSET)."""
    found = []

    def record(_conn, _cursor, statement, parameters, _context, _executemany):
        if "LIMIT" in statement:  # OFFSET, when written, is the statement's last parameter
            values = list(parameters.values() if isinstance(parameters, dict) else parameters)
            found.append((statement, values[-1] if "OFFSET" in statement else None))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return found


def test_the_service_gives_the_offset_pages_and_the_next_cursor(db, agent, open_community,
                                                                corpus):
    for sort in queries.SORTS:
        filters = queries.IdeaFilters(sort=sort)
        for community in (None, open_community):
            cursor, page = PageCursor("liste"), 1
            while True:
                sought = queries.search_ideas(agent, filters, page, 5, community, cursor)
                counted = queries.search_ideas(agent, filters, page, 5, community)
                assert [i.id for i in sought.items] == [i.id for i in counted.items]
                assert sought.total == counted.total == 64
                if not sought.has_next:
                    assert sought.next_cursor is None
                    break
                token = sought.next_cursor
                # "trending" keeps OFFSET; the pinned ideas (3 < 5) end no page.
                assert (token is None) is (sort == "trending")
                cursor, page = PageCursor("liste", token), page + 1
            assert page == 13


@pytest.mark.parametrize("token", [
    "n'importe quoi", "", "a" * 5000, "W10.c2lnbmF0dXJl", "%00", "Idée.é", "[1,2]",
])
def test_garbage_cursors_are_ignored(client, agent, corpus, small_pages, token):
    client.login(agent)
    response = client.get("/idees", query_string={"page": 3, "apres": token})
    assert response.status_code == 200
    assert titles(response) == titles(client.get("/idees?page=3"))


def test_altered_or_misused_cursors_are_ignored(client, agent, open_community, corpus,
                                                small_pages):
    client.login(agent)
    link = more_link(client.get("/idees?sort=supported&page=2"))  # page 3, after page 2's last
    token = re.search(r"apres=([^&]+)", link).group(1)
    page3 = titles(client.get("/idees?sort=supported&page=3"))
    assert titles(client.get(link)) == page3
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    payload_changed = ("X" if token[0] != "X" else "Y") + token[1:]
    for url, offset_page in [
        (f"/idees?sort=supported&page=3&apres={altered}", 3),
        (f"/idees?sort=supported&page=3&apres={payload_changed}", 3),
        # Another page number than the one it was made for: that page, counted to.
        (f"/idees?sort=supported&page=7&apres={token}", 7),
        (f"/idees?sort=supported&page=1&apres={token}", 1),
        (f"/idees?sort=supported&page=9999&apres={token}", 10),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert titles(response) == titles(
            client.get(f"/idees?sort=supported&page={offset_page}")), url
    # Another sort, filter or list: ignored.
    for other in ("/idees?sort=commented", "/idees?sort=supported&status=submitted",
                  f"/communautes/{open_community.slug}/idees?sort=supported"):
        assert titles(client.get(f"{other}&page=3&apres={token}")) == titles(
            client.get(f"{other}&page=3")), other


def test_a_cursor_from_a_member_reveals_nothing_to_another_reader(
        client, make_client, agent, private_community, corpus, small_pages):
    member = factories.UserFactory()
    factories.MembershipFactory(user=member, community=private_community)
    reader = make_client(member)
    link = more_link(reader.get("/idees?page=2"))
    assert any("secrète" in t for t in titles(reader.get("/idees?page=1"))
               + titles(reader.get(link)))
    # The agent (not a member) following the member's link: its own page 3, no secret idea.
    client.login(agent)
    assert titles(client.get(link)) == titles(client.get("/idees?page=3"))
    assert not any("secrète" in t for _, page in walk(client, link) for t in page)


@pytest.mark.parametrize("keys", [
    # A (validly signed) cursor at a private idea's keys, or past every idea.
    "secret", (datetime(2100, 1, 1).isoformat(), 10**9), (datetime(1990, 1, 1).isoformat(), 1),
])
def test_a_signed_cursor_anywhere_only_seeks_among_visible_ideas(
        app, client, agent, private_community, corpus, small_pages, keys):
    if keys == "secret":
        secret = db.session.scalar(db.select(Idea).where(
            Idea.community_id == private_community.id).order_by(Idea.id).limit(1))
        keys = (secret.created_at.isoformat(), secret.id)
    client.login(agent)
    filters = queries.IdeaFilters()
    with app.test_request_context():
        token = PageCursor(cursor_scope("ideation.index", None, filters, agent)).dump(
            4, tuple(datetime.fromisoformat(k) if isinstance(k, str) else k for k in keys))
    response = client.get(f"/idees?page=4&apres={token}")
    assert response.status_code == 200
    shown = titles(response)
    assert not any("secrète" in t for t in shown)
    visible = db.session.scalars(
        db.select(Idea.title).where(Idea.id.in_(db.select(Idea.id).where(
            queries.visible_ideas_filter(agent))), Idea.status != IdeaStatus.WITHDRAWN,
            tuple_(Idea.created_at, Idea.id) < tuple_(
                datetime.fromisoformat(keys[0]), keys[1]))
        .order_by(Idea.created_at.desc(), Idea.id.desc()).limit(PER_PAGE)).all()
    assert shown == visible
    assert "64 idées" in text(response)  # the total is the reader's, whatever the cursor


@pytest.mark.parametrize("values", [
    ["2026-03-01T09:30:00"], ["2026-03-01T09:30:00", 1, 2], ["2026-03-01T09:30:00", "1"],
    ["2026-03-01T09:30:00", True], ["2026-03-01T09:30:00", 1.5], ["mardi", 1], [None, 1],
    [1, "2026-03-01T09:30:00"], ["2026-03-01T09:30:00+02:00", 1], [["x"], {"y": 1}],
    {"created_at": "2026-03-01T09:30:00", "id": 1}, "2026-03-01T09:30:00", 12,
])
def test_signed_cursors_of_the_wrong_shape_are_refused(app, values):
    cursor = PageCursor("liste")
    with app.test_request_context():
        token = cursor._serializer().dumps(values, salt="liste|2")
        assert PageCursor("liste", token).load(2, (Idea.created_at, Idea.id)) is None
        good = cursor.dump(2, (datetime(2026, 3, 1, 9, 30), 1))
        assert PageCursor("liste", good).load(2, (Idea.created_at, Idea.id)) == (
            datetime(2026, 3, 1, 9, 30), 1)
        assert PageCursor("liste", good).load(3, (Idea.created_at, Idea.id)) is None
        assert PageCursor("autre", good).load(2, (Idea.created_at, Idea.id)) is None
