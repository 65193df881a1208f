"""Comments in a real browser: post, reply, edit, delete with htmx and no page reload; an empty
comment shows its error in place; without JavaScript the same forms post and redirect."""

import re

import pytest
from playwright.sync_api import expect

from ideas.extensions import db
from tests import factories
from tests.browser.axe import check_accessibility


@pytest.fixture
def idea_id(live_app, world) -> int:
    """A fresh idea in the open community, by someone else, for each test."""
    with live_app.app_context():
        from ideas.communities.models import Community

        community = db.session.scalar(db.select(Community).filter_by(slug=world.open_slug))
        idea = factories.IdeaFactory(community=community, title="Éteindre les écrans la nuit",
                                     author=factories.UserFactory(display_name="Autrice"))
        idea_id = idea.id
        db.session.remove()
    return idea_id


def _mark_page(page) -> None:
    page.evaluate("() => { window.pageNotReloaded = true; }")


def _not_reloaded(page) -> bool:
    return page.evaluate("() => window.pageNotReloaded === true")


def _forget_expected_422(console_errors) -> None:
    """htmx 2 logs every 4xx it swaps with console.error; a 422 form fragment is intended here
    (the check on the page itself is the error message shown beside the field)."""
    console_errors[:] = [e for e in console_errors
                         if "Response Status Error Code 422 from /idees/" not in e]


def test_comment_reply_edit_delete_without_reload(agent_page, idea_id, world, console_errors):
    page = agent_page
    page.goto(f"/idees/{idea_id}")
    thread = page.locator("#commentaires")
    expect(thread.locator("#commentaires-nombre")).to_have_text("Aucun commentaire pour l'instant.")
    _mark_page(page)

    # An empty comment: the error appears beside the field, nothing is posted.
    new_form = thread.locator("#nouveau-commentaire")
    new_form.get_by_role("textbox", name=re.compile("^Votre commentaire")).fill("   ")
    new_form.get_by_role("button", name="Publier le commentaire").click()
    expect(new_form).to_contain_text("Écrivez votre commentaire avant de l'envoyer.")
    _forget_expected_422(console_errors)

    # Post: the comment appears in the thread, the form is empty again.
    box = thread.locator("#nouveau-commentaire").get_by_role(
        "textbox", name=re.compile("^Votre commentaire"))
    box.fill("On pourrait **programmer** l'extinction à 20 h.")
    thread.get_by_role("button", name="Publier le commentaire").click()
    first = thread.locator("#commentaires-liste article").first
    expect(first).to_contain_text("On pourrait programmer l'extinction à 20 h.")
    expect(first.locator("strong")).to_have_text("programmer")
    expect(first.get_by_role("heading", level=3)).to_have_text(world.agent_name)
    expect(thread.locator("#commentaires-nombre")).to_have_text("1 commentaire")
    expect(thread.locator("#commentaires-annonce")).to_have_text("Votre commentaire est publié.")
    expect(thread.locator("#nouveau-commentaire").get_by_role(
        "textbox", name=re.compile("^Votre commentaire"))).to_have_value("")
    comment_id = first.get_attribute("id").removeprefix("commentaire-")
    first = thread.locator(f"#commentaire-{comment_id}")

    # Reply: the form opens under the comment, the reply lands in its list.
    first.get_by_role("link", name=re.compile("^Répondre")).click()
    reply_form = thread.locator(f"#reponse-form-{comment_id}")
    reply_form.get_by_role("textbox", name=re.compile("^Votre réponse")).fill(
        "Et un rappel sur l'intranet.")
    reply_form.get_by_role("button", name="Publier la réponse").click()
    replies = thread.locator(f"#reponses-{comment_id}")
    expect(replies.locator("article")).to_have_count(1)
    expect(replies).to_contain_text("Et un rappel sur l'intranet.")
    expect(thread.locator(f"#reponse-form-{comment_id} textarea")).to_have_count(0)
    expect(thread.locator("#commentaires-nombre")).to_have_text("2 commentaires")

    # Edit the reply: the form takes its place, then the comment comes back, marked edited.
    reply = replies.locator("article")
    reply.get_by_role("link", name=re.compile("^Modifier")).click()
    edit_box = replies.get_by_role("textbox", name=re.compile("^Votre commentaire modifié"))
    expect(edit_box).to_have_value("Et un rappel sur l'intranet.")
    edit_box.fill("Et un rappel sur l'intranet, chaque vendredi.")
    replies.get_by_role("button", name="Enregistrer").click()
    expect(replies.locator("article")).to_contain_text("chaque vendredi")
    expect(replies.locator("article")).to_contain_text("modifié")

    # Delete the top comment (confirming): a placeholder stays, the reply too.
    page.once("dialog", lambda dialog: dialog.accept())
    first.get_by_role("button", name=re.compile("^Supprimer")).click()
    placeholder = thread.locator(f"#commentaire-{comment_id}")
    expect(placeholder).to_have_text("Commentaire supprimé")
    expect(replies).to_contain_text("chaque vendredi")
    expect(thread.locator("#commentaires-nombre")).to_have_text("1 commentaire")

    assert _not_reloaded(page), "the page was reloaded"

    # What htmx showed is what the server kept.
    page.reload()
    expect(thread.locator(f"#commentaire-{comment_id}")).to_have_text("Commentaire supprimé")
    expect(thread.locator(f"#reponses-{comment_id}")).to_contain_text("chaque vendredi")


def test_cancel_closes_the_reply_and_edit_forms(agent_page, idea_id):
    page = agent_page
    page.goto(f"/idees/{idea_id}")
    thread = page.locator("#commentaires")
    thread.get_by_role("textbox", name=re.compile("^Votre commentaire")).fill("À annuler")
    thread.get_by_role("button", name="Publier le commentaire").click()
    article = thread.locator("#commentaires-liste article").first
    expect(article).to_contain_text("À annuler")
    comment_id = article.get_attribute("id").removeprefix("commentaire-")
    _mark_page(page)

    article.get_by_role("link", name=re.compile("^Répondre")).click()
    slot = thread.locator(f"#reponse-form-{comment_id}")
    expect(slot.locator("textarea")).to_have_count(1)
    slot.get_by_role("link", name="Annuler").click()
    expect(slot.locator("textarea")).to_have_count(0)

    article.get_by_role("link", name=re.compile("^Modifier")).click()
    editing = thread.locator(f"#commentaire-{comment_id}")
    expect(editing.locator("textarea")).to_have_value("À annuler")
    editing.get_by_role("link", name="Annuler").click()
    expect(thread.locator(f"article#commentaire-{comment_id}")).to_contain_text("À annuler")
    assert _not_reloaded(page), "the page was reloaded"


def test_without_javascript_forms_post_and_redirect(no_script_agent_page, idea_id):
    page = no_script_agent_page
    page.goto(f"/idees/{idea_id}")
    page.get_by_role("textbox", name=re.compile("^Votre commentaire")).fill("Sans script")
    page.get_by_role("button", name="Publier le commentaire").click()
    expect(page).to_have_url(re.compile(rf"/idees/{idea_id}#commentaire-\d+$"))
    expect(page.locator("#flash-messages")).to_contain_text("Votre commentaire est publié.")
    expect(page.locator("#commentaires-liste")).to_contain_text("Sans script")

    # The reply form opens on its own page and comes back to the thread.
    page.locator("#commentaires-liste").get_by_role(
        "link", name=re.compile("^Répondre")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Répondre à un commentaire")
    page.get_by_role("textbox", name=re.compile("^Votre réponse")).fill("Réponse sans script")
    page.get_by_role("button", name="Publier la réponse").click()
    expect(page.locator("#flash-messages")).to_contain_text("Votre réponse est publiée.")
    expect(page.locator("#commentaires-liste")).to_contain_text("Réponse sans script")


def test_thread_with_open_forms_has_no_serious_violation(agent_page, idea_id):
    page = agent_page
    page.goto(f"/idees/{idea_id}")
    thread = page.locator("#commentaires")
    for body in ("Premier avis", "Second avis"):
        thread.get_by_role("textbox", name=re.compile("^Votre commentaire")).fill(body)
        thread.get_by_role("button", name="Publier le commentaire").click()
        expect(thread.locator("#commentaires-liste")).to_contain_text(body)
    articles = thread.locator("#commentaires-liste article")
    articles.nth(0).get_by_role("link", name=re.compile("^Répondre")).click()
    expect(thread.get_by_role("textbox", name=re.compile("^Votre réponse"))).to_be_visible()
    articles.nth(1).get_by_role("link", name=re.compile("^Modifier")).click()
    expect(thread.get_by_role("textbox", name=re.compile("^Votre commentaire modifié"))
           ).to_be_visible()
    check_accessibility(page, "idea-comments-open-forms")


def test_double_click_posts_one_comment(agent_page, idea_id):
    page = agent_page
    page.goto(f"/idees/{idea_id}")
    thread = page.locator("#commentaires")
    thread.get_by_role("textbox", name=re.compile("^Votre commentaire")).fill("Une seule fois")
    thread.get_by_role("button", name="Publier le commentaire").dblclick()
    expect(thread.locator("#commentaires-nombre")).to_have_text("1 commentaire")
    page.reload()
    expect(thread.locator("#commentaires-liste article")).to_have_count(1)
