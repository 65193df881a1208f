"""The centre: the bell (count, htmx polling fragment, no-store), the page newest first, opening
a notification (read, then its item), mark one or all as read (htmx and plain posts), and the
email preferences page."""

import re

from ideas.comments.services import post_comment
from ideas.extensions import db
from ideas.ideation.models import IdeaStatus
from ideas.notifications.kinds import Frequency, Kind
from ideas.notifications.models import Notification, NotificationPreference
from ideas.workflow.services import move_idea
from tests.factories import UserFactory
from tests.helpers import count, location, redirects_to_login, text
from tests.notifications.conftest import notifications_of


def _comment(idea, body="Un avis."):
    commenter = UserFactory(display_name="Léa Commente")
    comment = post_comment(commenter, idea, body)
    db.session.commit()
    return comment


def _bell_count(page_text: str) -> int:
    match = re.search(r'class="fr-btn fr-icon-notification-3-line notifications-bell"[^>]*'
                      r'data-unread="(\d+)"', page_text)
    assert match, "no bell on the page"
    return int(match.group(1))


def test_the_bell_shows_the_unread_count_on_every_page(make_client, idea, author):
    client = make_client(author)
    assert _bell_count(text(client.get("/"))) == 0
    _comment(idea)
    _comment(idea, "Un second avis.")
    page = text(client.get("/idees"))
    assert _bell_count(page) == 2
    assert "(2 non lues)" in page
    assert 'hx-trigger="every 45s"' in page


def test_the_bell_fragment_is_polled_without_cache(make_client, idea, author, app):
    client = make_client(author)
    _comment(idea)
    response = client.get("/notifications/compteur", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "<html" not in response.text and "notifications-bell" in response.text
    assert _bell_count(text(response)) == 1
    app.config["NOTIFICATIONS_POLL_SECONDS"] = 2
    try:
        assert 'hx-trigger="every 2s"' in client.get("/notifications/compteur").text
    finally:
        app.config["NOTIFICATIONS_POLL_SECONDS"] = 45


def test_a_signed_out_bell_stops_polling(client):
    response = client.get("/notifications/compteur", headers={"HX-Request": "true"})
    assert response.status_code == 286  # htmx stops polling on 286
    assert redirects_to_login(client.get("/notifications/compteur"))


def test_the_page_lists_newest_first_with_links(make_client, idea, author, manager):
    _comment(idea, "Premier avis.")
    move_idea(manager, idea, IdeaStatus.IN_REVIEW, answer="Nous regardons cela.")
    db.session.commit()
    client = make_client(author)
    response = client.get("/notifications")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = text(response)
    status_at = page.index("est maintenant « à l'étude »")
    comment_at = page.index("Léa Commente a commenté votre idée")
    assert status_at < comment_at
    assert "Nous regardons cela." in page and "Premier avis." in page
    assert "2 notifications non lues." in page
    for n in notifications_of(author):
        assert f'href="/notifications/{n.id}"' in page


def test_opening_marks_read_and_leads_to_the_item(make_client, idea, author):
    comment = _comment(idea)
    mine = notifications_of(author)[0]
    client = make_client(author)
    response = client.get(f"/notifications/{mine.id}")
    assert response.status_code == 302
    assert location(response) == f"/idees/{idea.id}#commentaire-{comment.id}"
    assert notifications_of(author)[0].read_at is not None
    assert _bell_count(text(client.get("/"))) == 0
    # Opening it again still leads there.
    assert client.get(f"/notifications/{mine.id}").status_code == 302


def test_someone_elses_notification_does_not_exist(make_client, idea, author, follower):
    _comment(idea)
    theirs = notifications_of(author)[0]
    client = make_client(follower)
    assert client.get(f"/notifications/{theirs.id}").status_code == 404
    assert client.post(f"/notifications/{theirs.id}/lue").status_code == 404
    assert notifications_of(author)[0].read_at is None


def test_mark_one_read_with_htmx_updates_the_item_and_the_bell(make_client, idea, author):
    _comment(idea)
    _comment(idea, "Encore un avis.")
    first = notifications_of(author)[0]
    client = make_client(author)
    response = client.post(f"/notifications/{first.id}/lue", htmx=True)
    assert response.status_code == 200
    body = text(response)
    assert body.startswith(f'<li id="notification-{first.id}"')
    assert "Marquer comme lue" not in body.split("</li>")[0]
    assert 'hx-swap-oob="outerHTML:.notifications-bell"' in body
    assert 'data-unread="1"' in body
    assert "1 notification non lue." in body
    assert "Notification marquée comme lue." in body
    assert notifications_of(author)[0].read_at is not None


def test_mark_one_read_without_javascript_redirects_to_the_list(make_client, idea, author):
    _comment(idea)
    first = notifications_of(author)[0]
    client = make_client(author)
    response = client.post(f"/notifications/{first.id}/lue", {"page": "2"})
    assert response.status_code == 302 and location(response) == "/notifications?page=2"
    assert notifications_of(author)[0].read_at is not None


def test_mark_all_read(make_client, idea, author):
    _comment(idea)
    _comment(idea, "Deux.")
    client = make_client(author)
    response = client.post("/notifications/tout-lire", htmx=True)
    assert response.status_code == 200
    assert 'id="notifications-list"' in response.text and 'data-unread="0"' in response.text
    assert "Aucune notification non lue." in text(response)
    assert all(n.read_at is not None for n in notifications_of(author))
    _comment(idea, "Trois.")
    response = client.post("/notifications/tout-lire")
    assert response.status_code == 302 and location(response) == "/notifications"
    assert all(n.read_at is not None for n in notifications_of(author))


def test_an_empty_centre_says_so(make_client, agent):
    page = text(make_client(agent).get("/notifications"))
    assert "Vous n'avez aucune notification pour l'instant." in page
    assert "Aucune notification non lue." in page


def test_the_centre_is_paginated(make_client, idea, author, app):
    for n in range(3):
        _comment(idea, f"Avis {n}.")
    app.config["PER_PAGE"] = 2
    try:
        client = make_client(author)
        assert text(client.get("/notifications")).count('class="notification fr-py-2w') == 2
        assert text(client.get("/notifications?page=2")).count(
            'class="notification fr-py-2w') == 1
    finally:
        app.config["PER_PAGE"] = 20


# -- Preferences

def test_the_profile_links_to_the_preferences(make_client, agent):
    assert 'href="/profil/notifications"' in make_client(agent).get("/profil").text


def test_preferences_show_the_calm_defaults(make_client, agent):
    page = text(make_client(agent).get("/profil/notifications"))
    checked = dict(re.findall(r'<input checked [^>]*name="kind_(\w+)"[^>]*value="(\w+)"', page))
    assert checked["comment_on_my_idea"] == "immediately"
    assert checked["mention"] == "immediately"
    assert checked["comment_on_followed_idea"] == "daily"
    assert checked["new_idea_in_community"] == "weekly"
    # An agent who facilitates nothing is not asked about facilitators' duties.
    assert "join_request" not in checked and "new_report" not in checked


def test_facilitators_choose_for_their_duties_too(make_client, facilitator):
    page = text(make_client(facilitator).get("/profil/notifications"))
    assert 'name="kind_join_request"' in page and 'name="kind_new_report"' in page


def _all_fields(**changes) -> dict:
    from ideas.notifications.kinds import default_frequency

    data = {f"kind_{kind}": str(default_frequency(kind)) for kind in Kind
            if kind not in (Kind.JOIN_REQUEST, Kind.NEW_REPORT)}
    data.update({f"kind_{k}": v for k, v in changes.items()})
    return data


def test_saving_preferences_stores_only_what_differs(make_client, agent):
    client = make_client(agent)
    response = client.post("/profil/notifications", _all_fields(
        comment_on_followed_idea="weekly", new_idea_in_community="never"))
    assert response.status_code == 302 and location(response) == "/profil/notifications"
    rows = {(p.kind, p.frequency) for p in db.session.scalars(
        db.select(NotificationPreference).filter_by(user_id=agent.id))}
    assert rows == {(Kind.COMMENT_ON_FOLLOWED_IDEA, Frequency.WEEKLY),
                    (Kind.NEW_IDEA_IN_COMMUNITY, Frequency.NEVER)}
    # Back to the default: the row goes.
    client.post("/profil/notifications", _all_fields(new_idea_in_community="never"))
    assert count(NotificationPreference, user_id=agent.id) == 1


def test_a_wrong_choice_is_refused_with_a_message(make_client, agent):
    response = make_client(agent).post("/profil/notifications",
                                       _all_fields(mention="every-minute"))
    assert response.status_code == 422
    assert count(NotificationPreference, user_id=agent.id) == 0


def test_changing_a_preference_applies_to_pending_emails(make_client, idea, author):
    _comment(idea)
    make_client(author).post("/profil/notifications", _all_fields(comment_on_my_idea="daily"))
    pending = db.session.scalars(db.select(Notification).filter_by(user_id=author.id)).one()
    db.session.refresh(pending)
    assert pending.email_frequency == Frequency.DAILY


def test_pages_need_an_account(client):
    for url in ("/notifications", "/profil/notifications"):
        assert redirects_to_login(client.get(url))
