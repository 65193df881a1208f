"""Comment routes through HTTP: htmx fragments and plain form posts, refusals, hostile input."""

import html
import re

import pytest

from ideas.comments import services
from ideas.comments.models import COMMENT_MAX, Comment
from ideas.extensions import db
from ideas.ideation.models import IdeaStatus
from tests.comments.checks import HOSTILE, active_html, comment_count_is_exact, stored_count
from tests.factories import IdeaFactory
from tests.helpers import count, location, redirects_to_login, text

PAGE_TAGS = ("form", "meta", "svg")  # our own markup on a full page


def _url(idea):
    return f"/idees/{idea.id}/commentaires"


def _comment(user, idea, body="Un commentaire", parent=None) -> Comment:
    comment = services.post_comment(user, idea, body, parent=parent)
    db.session.commit()
    return comment


def _fresh(comment) -> Comment:
    db.session.expire_all()
    return db.session.get(Comment, comment.id)


def _textarea(response, field_id) -> str:
    match = re.search(rf'<textarea[^>]*id="{field_id}"[^>]*>(.*?)</textarea>', response.text, re.S)
    assert match, f"no textarea #{field_id} in {response.text[:2000]}"
    return html.unescape(match.group(1)).lstrip("\r\n")


@pytest.fixture
def agent_client(make_client, agent):
    return make_client(agent)


# -- Posting

def test_plain_post_redirects_to_the_comment_anchor(agent_client, idea):
    response = agent_client.post(_url(idea), {"body": "Je suis pour **à fond**."})
    comment = db.session.scalar(db.select(Comment))
    assert response.status_code == 302
    assert location(response) == f"/idees/{idea.id}#commentaire-{comment.id}"
    assert comment.body_html == "<p>Je suis pour <strong>à fond</strong>.</p>\n"
    assert stored_count(idea) == 1 and comment_count_is_exact(idea)


def test_htmx_post_returns_a_fresh_form_and_appends_the_comment(agent_client, idea):
    response = agent_client.post(_url(idea), {"body": "Premier commentaire *htmx*"}, htmx=True)
    assert response.status_code == 200
    body = text(response)
    comment = db.session.scalar(db.select(Comment))
    # The form swaps itself back, empty.
    assert body.startswith('<div id="nouveau-commentaire"')
    assert _textarea(response, f"commentaire-texte-new-{idea.id}") == ""
    # The comment is appended to the thread out of band, with its anchor and its author.
    assert 'hx-swap-oob="beforeend:#commentaires-liste"' in body
    assert f'id="commentaire-{comment.id}"' in body
    assert "<em>htmx</em>" in body and "Agent Test" in body
    assert f'id="reponses-{comment.id}"' in body  # where its replies will go
    assert "1 commentaire" in body and 'id="commentaires-nombre" class="fr-text--sm" hx-swap-oob' \
        in body
    assert "Votre commentaire est publié." in body  # live region, out of band
    assert "HX-Request" in response.headers["Vary"]
    assert comment_count_is_exact(idea)


def test_htmx_reply_closes_the_form_and_appends_under_the_parent(agent_client, other_agent,
                                                                 idea):
    top = _comment(other_agent, idea, "Sujet")
    response = agent_client.post(_url(idea), {"body": "Ma réponse", "parent_id": top.id},
                                 htmx=True)
    assert response.status_code == 200
    body = text(response)
    reply = db.session.scalar(db.select(Comment).where(Comment.parent_id == top.id))
    assert body.startswith(f'<div id="reponse-form-{top.id}"></div>')
    assert f'hx-swap-oob="beforeend:#reponses-{top.id}"' in body
    assert f'id="commentaire-{reply.id}"' in body and "Ma réponse" in body
    assert "<h4" in body  # a reply sits one heading level under its comment
    assert "2 commentaires" in body and "Votre réponse est publiée." in body


def test_replying_to_a_reply_attaches_to_the_top_level_comment(agent_client, other_agent, idea):
    top = _comment(other_agent, idea, "Sujet")
    reply = _comment(other_agent, idea, "Réponse", parent=top)
    form = agent_client.get(f"/commentaires/{reply.id}/repondre", headers={"HX-Request": "true"})
    assert form.status_code == 200
    assert f'id="reponse-form-{top.id}"' in form.text
    assert f'name="parent_id" value="{reply.id}"' in form.text
    response = agent_client.post(_url(idea), {"body": "Réponse à la réponse",
                                              "parent_id": reply.id})
    assert response.status_code == 302
    newest = db.session.scalar(db.select(Comment).order_by(Comment.id.desc()).limit(1))
    assert newest.parent_id == top.id
    assert location(response).endswith(f"#commentaire-{newest.id}")


def test_reply_form_page_without_javascript(agent_client, other_agent, idea):
    top = _comment(other_agent, idea, "Une *question* ?")
    page = agent_client.get(f"/commentaires/{top.id}/repondre")
    assert page.status_code == 200
    assert "<h1>Répondre à un commentaire</h1>" in page.text
    assert "<em>question</em>" in page.text
    assert _textarea(page, f"commentaire-texte-reply-{top.id}") == ""


def test_closing_the_reply_form_gives_back_the_empty_slot(agent_client, idea, other_agent):
    top = _comment(other_agent, idea)
    response = agent_client.get(f"/commentaires/{top.id}/repondre?annuler=1",
                                headers={"HX-Request": "true"})
    assert response.text.strip() == f'<div id="reponse-form-{top.id}"></div>'


# -- Bad input keeps the text

@pytest.mark.parametrize("body, message", [
    ("   ", "Écrivez votre commentaire avant de l'envoyer."),
    ("x" * (COMMENT_MAX + 1), "Le commentaire ne doit pas dépasser 10 000 caractères."),
])
def test_invalid_text_htmx_returns_the_form_with_the_error_and_the_text(agent_client, idea,
                                                                       body, message):
    response = agent_client.post(_url(idea), {"body": body}, htmx=True)
    assert response.status_code == 422
    assert text(response).startswith('<div id="nouveau-commentaire"')
    assert message in text(response)
    assert 'aria-invalid="true"' in response.text
    assert _textarea(response, f"commentaire-texte-new-{idea.id}") == body
    assert count(Comment) == 0 and stored_count(idea) == 0


def test_invalid_reply_htmx_keeps_the_reply_form(agent_client, other_agent, idea):
    top = _comment(other_agent, idea)
    long_text = "é" * (COMMENT_MAX + 1)
    response = agent_client.post(_url(idea), {"body": long_text, "parent_id": top.id},
                                 htmx=True)
    assert response.status_code == 422
    assert text(response).startswith(f'<div id="reponse-form-{top.id}"')
    assert _textarea(response, f"commentaire-texte-reply-{top.id}") == long_text
    assert f'name="parent_id" value="{top.id}"' in response.text
    assert stored_count(idea) == 1


def test_invalid_text_without_javascript_shows_the_form_page_with_the_text(agent_client, idea):
    too_long = "Mon long texte. " * 700
    response = agent_client.post(_url(idea), {"body": too_long})
    assert response.status_code == 422
    assert "<h1>Commenter l'idée</h1>" in text(response)
    assert "Le commentaire ne doit pas dépasser 10 000 caractères." in text(response)
    assert _textarea(response, f"commentaire-texte-new-{idea.id}") == too_long
    assert count(Comment) == 0


# -- Refusals

@pytest.mark.parametrize("status", [IdeaStatus.WITHDRAWN, IdeaStatus.MERGED])
def test_comment_on_a_closed_idea_htmx_is_an_error_in_the_alert_region(agent_client,
                                                                      open_community, status):
    closed = IdeaFactory(community=open_community, status=status)
    response = agent_client.post(_url(closed), {"body": "Trop tard"}, htmx=True)
    assert response.status_code == 409
    assert response.headers["HX-Retarget"] == "#htmx-alerts"
    assert "elle n'accepte plus de commentaires" in text(response)
    assert count(Comment) == 0 and stored_count(closed) == 0


def test_comment_on_a_withdrawn_idea_without_javascript_keeps_the_text(agent_client,
                                                                       open_community):
    withdrawn = IdeaFactory(community=open_community, status=IdeaStatus.WITHDRAWN)
    response = agent_client.post(_url(withdrawn), {"body": "Mon avis détaillé"})
    assert response.status_code == 409
    assert "elle n'accepte plus de commentaires" in text(response)
    assert _textarea(response, f"commentaire-texte-new-{withdrawn.id}") == "Mon avis détaillé"
    assert count(Comment) == 0


def test_private_idea_is_404_for_non_members_everywhere(agent_client, private_idea):
    member = private_idea.author
    comment = _comment(member, private_idea, "Entre nous")
    for response in (
        agent_client.post(_url(private_idea), {"body": "Je m'invite"}),
        agent_client.post(_url(private_idea), {"body": "Je m'invite"}, htmx=True),
        agent_client.get(f"/commentaires/{comment.id}"),
        agent_client.get(f"/commentaires/{comment.id}", headers={"HX-Request": "true"}),
        agent_client.get(f"/commentaires/{comment.id}/repondre"),
        agent_client.get(f"/commentaires/{comment.id}/modifier"),
        agent_client.post(f"/commentaires/{comment.id}/modifier", {"body": "Pris"}),
        agent_client.post(f"/commentaires/{comment.id}/supprimer"),
    ):
        assert response.status_code == 404, response.request.path
        assert "Entre nous" not in text(response)
    assert _fresh(comment).body == "Entre nous" and not _fresh(comment).is_deleted
    assert stored_count(private_idea) == 1


def test_management_reads_a_private_idea_but_does_not_comment(make_client, manager,
                                                              private_idea):
    comment = _comment(private_idea.author, private_idea)
    client = make_client(manager)
    assert client.get(f"/commentaires/{comment.id}").status_code == 302
    response = client.post(_url(private_idea), {"body": "La direction"}, htmx=True)
    assert response.status_code == 403
    assert "Seuls les membres de cette communauté privée" in text(response)
    assert client.get(f"/commentaires/{comment.id}/repondre").status_code == 403
    assert stored_count(private_idea) == 1


def test_unknown_idea_or_comment_is_404(agent_client):
    assert agent_client.post("/idees/999999/commentaires", {"body": "x"}).status_code == 404
    assert agent_client.get("/commentaires/999999").status_code == 404
    assert agent_client.post("/commentaires/999999/supprimer").status_code == 404


def test_reply_to_a_comment_of_another_idea_is_refused(agent_client, agent, idea,
                                                       open_community):
    other_idea = IdeaFactory(community=open_community)
    elsewhere = _comment(agent, other_idea, "Ailleurs")
    for htmx in (False, True):
        response = agent_client.post(_url(idea), {"body": "Détour", "parent_id": elsewhere.id},
                                     htmx=htmx)
        assert response.status_code == 404
    assert agent_client.post(_url(idea), {"body": "x", "parent_id": "abc"}).status_code == 400
    assert agent_client.post(_url(idea), {"body": "x", "parent_id": 999999}).status_code == 404
    assert stored_count(idea) == 0 and stored_count(other_idea) == 1
    assert count(Comment) == 1


def test_anonymous_is_sent_to_login_and_csrf_is_required(client, agent_client, idea, agent):
    assert redirects_to_login(client.get(f"/commentaires/{_comment(agent, idea).id}"))
    assert redirects_to_login(client.post(_url(idea), {"body": "Anonyme"}))
    response = agent_client.post(_url(idea), {"body": "Sans jeton"}, csrf=False)
    assert response.status_code == 400
    assert agent_client.get(f"/commentaires/{_comment(agent, idea).id}/supprimer").status_code \
        == 405
    assert stored_count(idea) == 2


# -- Permalink

def test_permalink_redirects_to_the_anchor_or_gives_the_fragment(agent_client, other_agent,
                                                                 idea):
    comment = _comment(other_agent, idea, "Lien *permanent*")
    response = agent_client.get(f"/commentaires/{comment.id}")
    assert response.status_code == 302
    assert location(response) == f"/idees/{idea.id}#commentaire-{comment.id}"
    fragment = agent_client.get(f"/commentaires/{comment.id}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert text(fragment).startswith(f'<article id="commentaire-{comment.id}"')
    assert "<em>permanent</em>" in fragment.text
    assert f'href="/commentaires/{comment.id}"' in fragment.text
    # Another agent's comment: reply, but neither edit nor delete.
    assert f"/commentaires/{comment.id}/repondre" in fragment.text
    assert f"/commentaires/{comment.id}/modifier" not in fragment.text
    assert f"/commentaires/{comment.id}/supprimer" not in fragment.text


# -- Edit

def test_edit_with_htmx_swaps_form_and_comment(agent_client, agent, idea):
    comment = _comment(agent, idea, "Premier jet")
    form = agent_client.get(f"/commentaires/{comment.id}/modifier",
                            headers={"HX-Request": "true"})
    assert form.status_code == 200
    assert text(form).startswith(f'<div id="commentaire-{comment.id}"')
    assert _textarea(form, f"commentaire-texte-edit-{comment.id}") == "Premier jet"
    response = agent_client.post(f"/commentaires/{comment.id}/modifier",
                                 {"body": "Version **finale**"}, htmx=True)
    assert response.status_code == 200
    body = text(response)
    assert body.startswith(f'<article id="commentaire-{comment.id}"')
    assert "<strong>finale</strong>" in body and "modifié" in body
    assert "Votre commentaire est modifié." in body
    assert _fresh(comment).edited_at is not None
    assert stored_count(idea) == 1


def test_edit_without_javascript(agent_client, agent, idea):
    comment = _comment(agent, idea, "Premier jet")
    page = agent_client.get(f"/commentaires/{comment.id}/modifier")
    assert page.status_code == 200 and "<h1>Modifier votre commentaire</h1>" in text(page)
    response = agent_client.post(f"/commentaires/{comment.id}/modifier", {"body": "Corrigé"})
    assert response.status_code == 302
    assert location(response) == f"/idees/{idea.id}#commentaire-{comment.id}"
    assert _fresh(comment).body == "Corrigé"


def test_invalid_edit_keeps_the_text_and_changes_nothing(agent_client, agent, idea):
    comment = _comment(agent, idea, "Original")
    too_long = "y" * (COMMENT_MAX + 1)
    response = agent_client.post(f"/commentaires/{comment.id}/modifier", {"body": too_long},
                                 htmx=True)
    assert response.status_code == 422
    assert _textarea(response, f"commentaire-texte-edit-{comment.id}") == too_long
    page = agent_client.post(f"/commentaires/{comment.id}/modifier", {"body": ""})
    assert page.status_code == 422
    assert "Écrivez votre commentaire avant de l'envoyer." in text(page)
    assert _fresh(comment).body == "Original" and _fresh(comment).edited_at is None


def test_editing_someone_elses_comment_is_403(make_client, other_agent, agent, idea):
    comment = _comment(agent, idea, "À moi")
    intruder = make_client(other_agent)
    assert intruder.get(f"/commentaires/{comment.id}/modifier").status_code == 403
    for htmx in (False, True):
        response = intruder.post(f"/commentaires/{comment.id}/modifier", {"body": "Pris"},
                                 htmx=htmx)
        assert response.status_code == 403
        response = intruder.post(f"/commentaires/{comment.id}/supprimer", htmx=htmx)
        assert response.status_code == 403
    assert _fresh(comment).body == "À moi" and not _fresh(comment).is_deleted
    assert stored_count(idea) == 1


# -- Delete

def test_delete_with_htmx_leaves_a_placeholder_and_the_replies(agent_client, agent,
                                                               other_agent, idea):
    comment = _comment(agent, idea, "Texte à effacer")
    _comment(other_agent, idea, "Une réponse qui reste", parent=comment)
    response = agent_client.post(f"/commentaires/{comment.id}/supprimer", htmx=True)
    assert response.status_code == 200
    body = text(response)
    assert body.startswith(f'<article id="commentaire-{comment.id}"')
    assert "Commentaire supprimé" in body and "Texte à effacer" not in body
    assert "1 commentaire" in body and "Votre commentaire est supprimé." in body
    assert stored_count(idea) == 1 and comment_count_is_exact(idea)
    again = agent_client.post(f"/commentaires/{comment.id}/supprimer", htmx=True)
    assert again.status_code == 409
    assert stored_count(idea) == 1 and comment_count_is_exact(idea)
    fragment = agent_client.get(f"/commentaires/{comment.id}", headers={"HX-Request": "true"})
    assert "Texte à effacer" not in text(fragment) and "Commentaire supprimé" in text(fragment)
    assert agent_client.get(f"/commentaires/{comment.id}/modifier").status_code == 409


def test_delete_without_javascript(agent_client, agent, idea):
    comment = _comment(agent, idea)
    response = agent_client.post(f"/commentaires/{comment.id}/supprimer")
    assert response.status_code == 302
    assert location(response) == f"/idees/{idea.id}#commentaire-{comment.id}"
    assert _fresh(comment).is_deleted and stored_count(idea) == 0
    again = agent_client.post(f"/commentaires/{comment.id}/supprimer")
    assert again.status_code == 302  # flash "already deleted", back to the thread
    assert stored_count(idea) == 0 and comment_count_is_exact(idea)


# -- Hostile text

@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_is_inert_in_fragments(agent_client, idea, payload):
    posted = agent_client.post(_url(idea), {"body": payload}, htmx=True)
    assert posted.status_code == 200
    assert active_html(posted.text, allowed_tags=PAGE_TAGS) == []
    comment = db.session.scalar(db.select(Comment))
    shown = agent_client.get(f"/commentaires/{comment.id}", headers={"HX-Request": "true"})
    assert active_html(shown.text, allowed_tags=PAGE_TAGS) == []
    edited = agent_client.post(f"/commentaires/{comment.id}/modifier",
                               {"body": payload + " (modifié)"}, htmx=True)
    assert active_html(edited.text, allowed_tags=PAGE_TAGS) == []
    edit_form = agent_client.get(f"/commentaires/{comment.id}/modifier",
                                 headers={"HX-Request": "true"})
    assert active_html(edit_form.text, allowed_tags=PAGE_TAGS) == []
    # The text typed comes back as text in the edit form, escaped.
    assert _textarea(edit_form, f"commentaire-texte-edit-{comment.id}") == \
        payload + " (modifié)"


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_is_inert_in_pages(agent_client, other_agent, idea, payload):
    comment = _comment(other_agent, idea, payload)
    reply_page = agent_client.get(f"/commentaires/{comment.id}/repondre")
    assert reply_page.status_code == 200
    assert active_html(reply_page.text, allowed_tags=PAGE_TAGS) == []
    invalid = agent_client.post(_url(idea), {"body": payload + "x" * COMMENT_MAX})
    assert invalid.status_code == 422
    assert active_html(invalid.text, allowed_tags=PAGE_TAGS) == []


def test_reply_form_refusals_say_why(agent_client, agent, open_community):
    idea = IdeaFactory(community=open_community)
    deleted = _comment(agent, idea, "Bientôt supprimé")
    services.delete_comment(agent, deleted)
    db.session.commit()
    response = agent_client.get(f"/commentaires/{deleted.id}/repondre",
                                headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert "on ne peut plus y répondre" in text(response)
    live = _comment(agent, idea, "Encore là")
    idea.status = IdeaStatus.WITHDRAWN
    db.session.commit()
    response = agent_client.get(f"/commentaires/{live.id}/repondre")
    assert response.status_code == 409
    assert "elle n'accepte plus de commentaires" in text(response)
