"""The idea page shows the first page of its thread (THREADS_PER_PAGE top-level comments, each
with all its replies); "Afficher les commentaires suivants" adds the next (htmx) or opens the
idea page at it (a plain link); a link to a comment opens the page that shows it."""

import re

import pytest
from sqlalchemy import event

from ideas.comments import services
from ideas.comments.queries import THREADS_PER_PAGE, page_of, thread_page
from ideas.extensions import db
from ideas.moderation import services as moderation
from ideas.notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import location, text

HTMX = {"HX-Request": "true"}


def _post_many(idea, count: int, replies_every: int = 0, author=None) -> list:
    """`count` top-level comments (a reply under every `replies_every`-th), one commit."""
    tops = []
    for n in range(count):
        top = services.post_comment(author or UserFactory(), idea, f"Commentaire n°{n + 1}")
        db.session.flush()
        tops.append(top)
        if replies_every and n % replies_every == 0:
            services.post_comment(UserFactory(), idea, f"Réponse au n°{n + 1}", parent=top)
            db.session.flush()
    db.session.commit()
    return tops


def _ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article id="commentaire-(\d+)"', html)]


def _thread(html: str) -> str:
    start = html.index('<section id="commentaires"')
    return html[start:html.index("</section>", start)]


def test_a_full_first_page_has_no_next_link(make_client, agent, idea):
    tops = _post_many(idea, THREADS_PER_PAGE)
    thread = _thread(text(make_client(agent).get(f"/idees/{idea.id}")))
    assert _ids(thread) == [c.id for c in tops]
    assert "Afficher les commentaires suivants" not in thread
    assert "Afficher les commentaires précédents" not in thread
    assert f"{THREADS_PER_PAGE} commentaires" in thread  # the count is the whole thread's


def test_one_more_comment_makes_a_second_page(make_client, agent, idea):
    tops = _post_many(idea, THREADS_PER_PAGE + 1, replies_every=10)
    client = make_client(agent)
    thread = _thread(text(client.get(f"/idees/{idea.id}")))
    first_page = _ids(thread)
    assert tops[THREADS_PER_PAGE - 1].id in first_page and tops[-1].id not in first_page
    assert len(first_page) == THREADS_PER_PAGE + 2  # and the replies of n°1 and n°11
    # A real link (without JavaScript), that htmx turns into adding the next page.
    assert f'href="/idees/{idea.id}?commentaires=2#commentaires"' in thread
    assert f'hx-get="/idees/{idea.id}/commentaires?page=2"' in thread
    assert 'hx-target="#commentaires-liste"' in thread

    fragment = client.get(f"/idees/{idea.id}/commentaires?page=2", headers=HTMX)
    assert fragment.status_code == 200
    body = text(fragment)
    assert _ids(body)[0] == tops[-1].id and len(_ids(body)) == 2
    assert "Réponse au n°21" in body  # its replies come with it
    assert 'data-focus-here="article"' in body  # focus moves to the first new comment
    # The next link is replaced out of band, by nothing: this was the last page.
    assert re.search(r'<div id="commentaires-suite" hx-swap-oob="true">\s*</div>', body)
    assert "2 commentaires de plus affichés." in body  # the live region's announcement
    assert "<html" not in body and 'id="commentaires"' not in body

    # Without JavaScript: the idea page at page 2, with a link back.
    page_two = _thread(text(client.get(f"/idees/{idea.id}?commentaires=2")))
    assert _ids(page_two)[0] == tops[-1].id and tops[0].id not in _ids(page_two)
    assert f'href="/idees/{idea.id}#commentaires"' in page_two
    assert "Afficher les commentaires précédents" in page_two
    # The fragment's address, opened as a page, leads there too.
    assert location(client.get(f"/idees/{idea.id}/commentaires?page=2")) == \
        f"/idees/{idea.id}?commentaires=2#commentaires"


def test_a_page_past_the_end_shows_the_last(make_client, agent, idea):
    tops = _post_many(idea, THREADS_PER_PAGE + 3)
    client = make_client(agent)
    for url in (f"/idees/{idea.id}?commentaires=99", f"/idees/{idea.id}?commentaires=x"):
        ids = _ids(_thread(text(client.get(url))))
        expected = tops[THREADS_PER_PAGE:] if "99" in url else tops[:THREADS_PER_PAGE]
        assert ids == [c.id for c in expected], url
    assert thread_page(idea, 99).page == 2
    empty = thread_page(idea.__class__(id=0), 1)  # no comments at all: one empty page
    assert empty.threads == [] and not empty.has_next and not empty.has_previous


def test_a_link_to_a_comment_opens_the_page_that_shows_it(make_client, agent, idea):
    tops = _post_many(idea, 2 * THREADS_PER_PAGE + 1)
    late = tops[THREADS_PER_PAGE + 4]
    reply = services.post_comment(agent, idea, "Réponse tardive", parent=late)
    db.session.commit()
    assert [page_of(c) for c in (tops[0], tops[THREADS_PER_PAGE - 1], late, reply,
                                 tops[-1])] == [1, 1, 2, 2, 3]
    client = make_client(agent)
    # The permalink (notifications, moderation, "Lien permanent")…
    assert location(client.get(f"/commentaires/{reply.id}")) == \
        f"/idees/{idea.id}?commentaires=2#commentaire-{reply.id}"
    assert location(client.get(f"/commentaires/{tops[0].id}")) == \
        f"/idees/{idea.id}#commentaire-{tops[0].id}"
    # …leads to a page that holds the comment.
    shown = text(client.get(f"/idees/{idea.id}?commentaires=2"))
    assert f'id="commentaire-{reply.id}"' in shown and "Réponse tardive" in shown
    # A notification about it leads there too.
    notification = db.session.scalar(db.select(Notification).where(
        Notification.user_id == late.author_id, Notification.comment_id == reply.id))
    assert notification is not None
    assert location(make_client(late.author).get(f"/notifications/{notification.id}")) == \
        f"/idees/{idea.id}?commentaires=2#commentaire-{reply.id}"
    # An old link straight to the idea page keeps working in a browser: the thread says where
    # the permalinks are (ideas.js goes there when the anchor is not on the page).
    assert 'data-permalink="/commentaires/0"' in text(client.get(f"/idees/{idea.id}"))


def test_posting_without_javascript_leads_to_the_page_of_the_new_comment(make_client, agent,
                                                                          idea):
    _post_many(idea, THREADS_PER_PAGE)
    response = make_client(agent).post(f"/idees/{idea.id}/commentaires",
                                       data={"body": "Le vingt-et-unième"})
    newest = db.session.scalar(db.select(services.Comment).order_by(
        services.Comment.id.desc()).limit(1))
    assert location(response) == f"/idees/{idea.id}?commentaires=2#commentaire-{newest.id}"


def test_hidden_comments_keep_their_place_and_the_moderation_rules(make_client, agent,
                                                                   facilitator, idea):
    commenter = UserFactory()
    tops = _post_many(idea, THREADS_PER_PAGE)
    hidden = services.post_comment(commenter, idea, "Hors de propos, page 2")
    db.session.commit()
    moderation.hide_item(facilitator, hidden, "Propos hors sujet")
    db.session.commit()
    url = f"/idees/{idea.id}/commentaires?page=2"
    other = text(make_client(agent).get(url, headers=HTMX))
    assert _ids(other) == [hidden.id]  # the same page for every reader
    assert "Masqué par la modération" in other and "Hors de propos" not in other
    own = text(make_client(commenter).get(url, headers=HTMX))
    assert "Hors de propos, page 2" in own and "Motif : Propos hors sujet" in own
    moderator = text(make_client(facilitator).get(url, headers=HTMX))
    assert "Hors de propos, page 2" in moderator and "Rétablir le commentaire" in moderator
    assert tops[0].id not in _ids(moderator)


def test_the_next_page_of_a_private_idea_is_for_its_readers(make_client, agent, manager,
                                                            private_idea):
    member = private_idea.author
    _post_many(private_idea, THREADS_PER_PAGE + 1, author=member)
    url = f"/idees/{private_idea.id}/commentaires?page=2"
    assert make_client(agent).get(url, headers=HTMX).status_code == 404
    assert make_client(agent).get(url).status_code == 404
    assert make_client(member).get(url, headers=HTMX).status_code == 200
    managed = make_client(manager).get(url, headers=HTMX)
    assert managed.status_code == 200
    assert "Répondre" not in text(managed)  # management reads, does not take part
    MembershipFactory(user=agent, community=private_idea.community)
    assert make_client(agent).get(url, headers=HTMX).status_code == 200


def _queries(client, url: str, headers=None) -> int:
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url, headers=headers).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


@pytest.mark.parametrize("headers", [None, HTMX], ids=["page", "fragment"])
def test_queries_do_not_grow_with_the_comments_of_a_page(make_client, agent, open_community,
                                                         headers):
    """No N+1: a second page of 1 or of THREADS_PER_PAGE threads (replies by as many
    authors) costs the same queries, as a page and as a fragment; and a bounded number."""
    from tests.factories import IdeaFactory

    small, large = IdeaFactory(community=open_community), IdeaFactory(community=open_community)
    _post_many(small, THREADS_PER_PAGE + 1)
    _post_many(large, 2 * THREADS_PER_PAGE, replies_every=1)
    client = make_client(agent)
    if headers:
        urls = [f"/idees/{idea.id}/commentaires?page=2" for idea in (small, large)]
    else:
        urls = [f"/idees/{idea.id}?commentaires=2" for idea in (small, large)]
    _queries(client, urls[0], headers)  # warm up: session user, memberships
    few, many = _queries(client, urls[0], headers), _queries(client, urls[1], headers)
    assert few == many
    assert many <= (9 if headers else 17), many  # as measured: a regression shows here
