"""The thread as the idea page shows it: order, replies, placeholders, buttons, hostile text,
and a number of SQL queries that does not grow with the comments."""

import re

import pytest
from sqlalchemy import event

from ideas.comments import services
from ideas.extensions import db
from ideas.ideation.models import IdeaStatus
from tests.comments.checks import HOSTILE, active_html
from tests.factories import IdeaFactory, UserFactory
from tests.helpers import text

PAGE_TAGS = ("form", "meta", "svg")


def _post(user, idea, body, parent=None):
    comment = services.post_comment(user, idea, body, parent=parent)
    db.session.commit()
    return comment


def _thread_html(response) -> str:
    page = text(response)
    start = page.index('<section id="commentaires"')
    return page[start:page.index("</section>", start)]


def _article_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article id="commentaire-(\d+)"', html)]


def test_thread_order_replies_placeholder_and_edited_mark(make_client, agent, other_agent,
                                                          idea):
    first = _post(agent, idea, "Premier commentaire")
    second = _post(other_agent, idea, "Deuxième commentaire")
    reply = _post(other_agent, idea, "Réponse au premier", parent=first)
    to_delete = _post(other_agent, idea, "Texte retiré ensuite")
    _post(agent, idea, "Réponse au supprimé", parent=to_delete)
    services.edit_comment(other_agent, second, "Deuxième commentaire, corrigé")
    services.delete_comment(other_agent, to_delete)
    db.session.commit()

    thread = _thread_html(make_client(agent).get(f"/idees/{idea.id}"))
    # Oldest first, each reply right after its parent, inside the parent's reply list.
    assert _article_ids(thread)[:3] == [first.id, reply.id, second.id]
    assert thread.index(f'id="reponses-{first.id}"') < thread.index(
        f'id="commentaire-{reply.id}"') < thread.index(f'id="commentaire-{second.id}"')
    assert "4 commentaires" in thread
    # The deleted comment: a placeholder, its text gone, its reply kept.
    assert "Commentaire supprimé" in thread and "Texte retiré ensuite" not in thread
    assert "Réponse au supprimé" in thread
    second_html = thread[thread.index(f'id="commentaire-{second.id}"'):]
    second_html = second_html[:second_html.index("</article>")]
    assert "modifié" in second_html and "Deuxième commentaire, corrigé" in second_html


def test_buttons_follow_the_permissions(make_client, agent, other_agent, idea):
    mine = _post(agent, idea, "Le mien")
    theirs = _post(other_agent, idea, "Le sien")
    thread = _thread_html(make_client(agent).get(f"/idees/{idea.id}"))
    for comment in (mine, theirs):
        assert f'href="/commentaires/{comment.id}/repondre"' in thread
        assert f'href="/commentaires/{comment.id}"' in thread  # permalink
    assert f"/commentaires/{mine.id}/modifier" in thread
    assert f"/commentaires/{mine.id}/supprimer" in thread
    assert f"/commentaires/{theirs.id}/modifier" not in thread
    assert f"/commentaires/{theirs.id}/supprimer" not in thread
    assert 'id="nouveau-commentaire"' in thread
    assert 'aria-live="polite"' in thread and 'id="commentaires-titre"' in thread


def test_no_form_nor_reply_on_a_withdrawn_idea(make_client, agent, open_community):
    idea = IdeaFactory(community=open_community)
    comment = _post(agent, idea, "Avant le retrait")
    idea.status = IdeaStatus.WITHDRAWN
    db.session.commit()
    thread = _thread_html(make_client(agent).get(f"/idees/{idea.id}"))
    assert "Avant le retrait" in thread
    assert 'id="nouveau-commentaire"' not in thread
    assert f"/commentaires/{comment.id}/repondre" not in thread
    assert "elle n'accepte plus de commentaires" in thread


def test_management_sees_a_private_thread_without_the_form(make_client, manager, private_idea):
    _post(private_idea.author, private_idea, "Entre membres")
    thread = _thread_html(make_client(manager).get(f"/idees/{private_idea.id}"))
    assert "Entre membres" in thread
    assert 'id="nouveau-commentaire"' not in thread
    assert "Seuls les membres de cette communauté privée" in thread


def test_deleted_author_account_shows_a_neutral_name(make_client, agent, idea):
    leaving = UserFactory(display_name="Agent Parti")
    _post(leaving, idea, "Je pars bientôt")
    db.session.delete(leaving)
    db.session.commit()
    thread = _thread_html(make_client(agent).get(f"/idees/{idea.id}"))
    assert "Je pars bientôt" in thread and "Agent supprimé" in thread


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_is_inert_on_the_idea_page(make_client, agent, other_agent, idea,
                                                payload):
    top = _post(other_agent, idea, payload)
    _post(other_agent, idea, payload, parent=top)
    page = make_client(agent).get(f"/idees/{idea.id}")
    assert page.status_code == 200
    assert active_html(page.text, allowed_tags=PAGE_TAGS) == []
    assert len(_article_ids(_thread_html(page))) == 2


def _queries_for_page(client, idea) -> int:
    url = f"/idees/{idea.id}"  # read before listening: the test's own session may load it
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def test_idea_page_queries_do_not_grow_with_comments(make_client, agent, open_community):
    """No N+1 in the thread: 2 or 40 comments by as many authors cost the same queries."""
    client = make_client(agent)
    small, large = IdeaFactory(community=open_community), IdeaFactory(community=open_community)
    _post(agent, small, "Seul")
    _post(UserFactory(), small, "Réponse", parent=db.session.scalars(
        db.select(services.Comment)).first())
    for n in range(20):
        top = _post(UserFactory(), large, f"Commentaire {n}")
        _post(UserFactory(), large, f"Réponse {n}", parent=top)
    _queries_for_page(client, small)  # warm up: session user, memberships
    assert _queries_for_page(client, large) == _queries_for_page(client, small)
