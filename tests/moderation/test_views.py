"""The moderation pages and fragments: report in place (htmx) and without JavaScript, the queue
and its badge, actions in place and in bulk, the log with filters and CSV, suspensions."""

import csv
import io
import re

from ideas.extensions import db
from ideas.moderation import services
from ideas.moderation.models import ActionKind, ModerationAction, Report
from tests.factories import IdeaFactory, MembershipFactory, UserFactory
from tests.helpers import count, location, text


def _reported(comment, reporter, reason="spam"):
    services.report_item(reporter, comment, reason)
    db.session.commit()


# -- Reports

def test_report_a_comment_in_place(make_client, comment, reporter, idea):
    client = make_client(reporter)
    page = text(client.get(f"/idees/{idea.id}"))
    assert f'hx-get="/commentaires/{comment.id}/signaler"' in page
    form = client.get(f"/commentaires/{comment.id}/signaler", headers={"HX-Request": "true"})
    assert form.status_code == 200 and f'name="c{comment.id}-reason"' in form.text
    refused = client.post(f"/commentaires/{comment.id}/signaler",
                          {f"c{comment.id}-reason": "other"}, htmx=True)
    assert refused.status_code == 422 and "Précisez le motif" in text(refused)
    done = client.post(f"/commentaires/{comment.id}/signaler",
                       {f"c{comment.id}-reason": "disrespectful"}, htmx=True)
    assert done.status_code == 200 and "Signalé" in text(done)
    assert count(Report) == 1
    page = text(client.get(f"/idees/{idea.id}"))
    assert f'hx-get="/commentaires/{comment.id}/signaler"' not in page and "Signalé" in page
    again = client.post(f"/commentaires/{comment.id}/signaler",
                        {f"c{comment.id}-reason": "spam"}, htmx=True)
    assert "déjà signalé" in text(again) and count(Report) == 1


def test_report_an_idea_without_javascript(make_client, idea, reporter):
    client = make_client(reporter)
    assert client.get(f"/idees/{idea.id}/signaler").status_code == 200
    response = client.post(f"/idees/{idea.id}/signaler",
                           {f"i{idea.id}-reason": "other",
                            f"i{idea.id}-details": "Un doublon d'une idée de 2024"})
    assert response.status_code == 302 and location(response) == f"/idees/{idea.id}"
    report = db.session.scalar(db.select(Report))
    assert report.details == "Un doublon d'une idée de 2024"


def test_no_report_button_on_ones_own_item_and_403_when_forced(make_client, idea, author):
    client = make_client(author)
    assert f"/idees/{idea.id}/signaler" not in client.get(f"/idees/{idea.id}").text
    response = client.post(f"/idees/{idea.id}/signaler", {f"i{idea.id}-reason": "spam"})
    assert response.status_code == 403 and "propre contribution" in text(response)


# -- Queue and badge

def test_badge_and_queue(make_client, comment, reporter, facilitator, agent, idea):
    assert "moderation-badge" not in make_client(facilitator).get("/").text
    _reported(comment, reporter)
    home = make_client(facilitator).get("/").text
    assert re.search(r'<span class="moderation-badge" aria-hidden="true">1</span>', home)
    assert "Modération" not in text(make_client(agent).get("/"))
    queue = text(make_client(facilitator).get("/moderation"))
    assert "Commentaire de Auteur du commentaire sur" in queue
    assert "Irrespectueux" not in queue and "Spam (1)" in queue
    assert f'id="file-c{comment.id}"' in queue


def test_queue_sorts_by_reports(make_client, open_community, facilitator):
    once, twice = (IdeaFactory(community=open_community, title=t) for t in ("Une fois", "Deux"))
    first, second = UserFactory(), UserFactory()
    services.report_item(first, twice, "spam")
    services.report_item(second, twice, "spam")
    services.report_item(first, once, "spam")
    db.session.commit()
    body = text(make_client(facilitator).get(f"/communautes/{open_community.slug}/moderation"
                                             "?tri=reports"))
    assert body.index("Deux") < body.index("Une fois")
    body = text(make_client(facilitator).get("/moderation"))
    assert body.index("Une fois") < body.index("Deux")


def test_a_facilitator_of_another_community_gets_403(make_client, comment, reporter,
                                                     other_facilitator, open_community):
    _reported(comment, reporter)
    client = make_client(other_facilitator)
    assert client.get(f"/communautes/{open_community.slug}/moderation").status_code == 403
    assert "Commentaire de" not in text(client.get("/moderation"))
    response = client.post(f"/moderation/commentaires/{comment.id}/masquer",
                           {"reason": "Non", "queue": "1"})
    assert response.status_code == 403
    assert count(ModerationAction) == 0


def test_hide_in_place_from_the_queue(make_client, comment, reporter, facilitator):
    _reported(comment, reporter)
    client = make_client(facilitator)
    url = f"/moderation/commentaires/{comment.id}/masquer"
    missing = client.post(url, {"queue": "1", "next": "/moderation"}, htmx=True)
    assert missing.status_code == 422 and "Indiquez le motif" in text(missing)
    done = client.post(url, {"queue": "1", "next": "/moderation", "reason": "Insultant"},
                       htmx=True)
    assert done.status_code == 200 and "Traité" in text(done)
    assert f'id="file-c{comment.id}"' in done.text
    stale = make_client(facilitator).post(url, {"queue": "1", "reason": "Encore"}, htmx=True)
    assert stale.status_code == 409 and "viennent d'être traités" in text(stale)
    assert count(ModerationAction) == 1


def test_plain_post_actions_redirect_with_a_message(make_client, idea, facilitator):
    client = make_client(facilitator)
    response = client.post(f"/moderation/idees/{idea.id}/verrouiller",
                           {"next": f"/idees/{idea.id}"})
    assert response.status_code == 302 and location(response) == f"/idees/{idea.id}"
    assert "Idée verrouillée" in text(client.get(f"/idees/{idea.id}"))
    again = client.post(f"/moderation/idees/{idea.id}/verrouiller", {"next": "//evil.fr"})
    assert location(again) == "/"  # only local paths
    page = text(client.get("/"))
    assert "déjà verrouillée" in page


def test_bulk(make_client, open_community, facilitator, reporter):
    ideas = [IdeaFactory(community=open_community) for _ in range(2)]
    for item in ideas:
        services.report_item(reporter, item, "spam")
    db.session.commit()
    client = make_client(facilitator)
    refused = client.post("/moderation/lot", {"action": "hide", "items": [f"i{ideas[0].id}"],
                                              "community": open_community.slug})
    assert refused.status_code == 422 and "Indiquez le motif" in text(refused)
    response = client.raw.post("/moderation/lot", data={
        "csrf_token": client.csrf_token(), "action": "hide", "reason": "Publicité",
        "items": [f"i{i.id}" for i in ideas], "next": "/moderation"})
    assert response.status_code == 302
    db.session.expire_all()
    assert all(i.hidden_at for i in ideas)
    assert "2 éléments traités." in text(client.get("/moderation"))


def test_merge_and_title_pages(make_client, idea, open_community, facilitator):
    keeper = IdeaFactory(community=open_community, title="L'idée conservée")
    client = make_client(facilitator)
    assert client.get(f"/moderation/idees/{idea.id}/fusionner").status_code == 200
    wrong = client.post(f"/moderation/idees/{idea.id}/fusionner", {"merge_into": "abc"})
    assert wrong.status_code == 422
    done = client.post(f"/moderation/idees/{idea.id}/fusionner", {"merge_into": keeper.id})
    db.session.expire_all()
    assert done.status_code == 302 and idea.merged_into_id == keeper.id
    title = client.post(f"/moderation/idees/{keeper.id}/titre", {
        "title": "L'idée conservée, en clair", "expected": "L'idée conservée"})
    db.session.expire_all()
    assert title.status_code == 302 and keeper.title == "L'idée conservée, en clair"
    stale = client.post(f"/moderation/idees/{keeper.id}/titre", {
        "title": "Encore un titre", "expected": "L'idée conservée"})
    assert stale.status_code == 409 and "entre-temps" in text(stale)


# -- Log

def _log_world(open_community, other_community, facilitator, other_facilitator):
    here = IdeaFactory(community=open_community, title="Idée d'ici")
    there = IdeaFactory(community=other_community, title="Idée d'ailleurs")
    services.hide_item(facilitator, here, "Motif ici")
    services.hide_item(other_facilitator, there, "Motif ailleurs")
    db.session.commit()
    return here, there


def test_log_scopes_filters_and_csv(make_client, open_community, other_community, facilitator,
                                    other_facilitator, admin):
    _log_world(open_community, other_community, facilitator, other_facilitator)
    mine = text(make_client(facilitator).get("/moderation/journal"))
    assert "Idée d'ici" in mine and "Idée d'ailleurs" not in mine
    everything = make_client(admin)
    assert "Idée d'ailleurs" in text(everything.get("/moderation/journal"))
    filtered = text(everything.get(f"/moderation/journal?actor={other_facilitator.id}"))
    assert "Idée d'ailleurs" in filtered and "Idée d'ici" not in filtered
    assert "Aucune action" in text(everything.get("/moderation/journal?action=lock"))
    old_days = everything.get("/moderation/journal?du=01/01/2001&au=02/01/2001")
    assert "Aucune action" in text(old_days)
    wrong = everything.get("/moderation/journal?du=31/02/2026")
    assert wrong.status_code == 422 and "Date invalide" in text(wrong)
    export = make_client(facilitator).get(
        f"/communautes/{open_community.slug}/moderation/journal.csv")
    assert export.status_code == 200 and "attachment" in export.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(export.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Date", "Action", "Par"]
    assert [(r[1], r[4], r[8]) for r in rows[1:]] == [("Masquage", "Idée d'ici", "Motif ici")]
    assert make_client(facilitator).get(
        f"/communautes/{other_community.slug}/moderation/journal.csv").status_code == 403


def test_log_csv_neutralises_formulas(make_client, open_community, facilitator):
    idea = IdeaFactory(community=open_community, title="=HYPERLINK(\"http://x\")")
    services.hide_item(facilitator, idea, "@SUM(1)")
    db.session.commit()
    export = make_client(facilitator).get("/moderation/journal.csv")
    assert "'=HYPERLINK" in export.data.decode("utf-8-sig")
    assert "'@SUM(1)" in export.data.decode("utf-8-sig")


# -- Suspensions

def test_suspend_from_the_admin_and_the_banner(make_client, admin, agent, idea):
    client = make_client(admin)
    admin_page = client.get(f"/admin/agents/{agent.id}").text
    assert f"/moderation/agents/{agent.id}/suspendre" in admin_page
    bad = client.post(f"/moderation/agents/{agent.id}/suspendre", {"reason": "x",
                                                                   "ends_on": "32/13/2020"})
    assert bad.status_code == 422
    done = client.post(f"/moderation/agents/{agent.id}/suspendre",
                       {"reason": "Insultes répétées", "ends_on": "31/12/2099"})
    assert done.status_code == 302
    page = text(make_client(agent).get(f"/idees/{idea.id}"))
    assert "Votre compte est suspendu jusqu'au 31/12/2099" in page or "suspendu jusqu" in page
    assert "Motif : Insultes répétées" in page
    assert "Publier le commentaire" not in page
    suspension_id = db.session.scalar(db.select(ModerationAction.id))
    assert suspension_id
    listing = text(client.get("/moderation/suspensions"))
    assert agent.display_name in listing and "Lever la suspension" in listing


def test_hide_all_content(make_client, admin, comment, commenter):
    client = make_client(admin)
    response = client.post(f"/moderation/agents/{commenter.id}/masquer-contenus",
                           {"reason": "Compte de spam"})
    db.session.expire_all()
    assert response.status_code == 302 and comment.hidden_at is not None
    assert db.session.scalar(db.select(ModerationAction.action)) == ActionKind.HIDE


def test_admins_cannot_be_suspended(make_client, admin):
    other_admin = UserFactory(role="admin")
    assert make_client(admin).get(
        f"/moderation/agents/{other_admin.id}/suspendre").status_code == 403


def test_a_facilitator_sees_the_moderation_links_of_their_community(make_client, facilitator,
                                                                    open_community, agent):
    MembershipFactory(user=agent, community=open_community)
    assert "File de modération" in text(make_client(facilitator).get(
        f"/communautes/{open_community.slug}"))
    assert "File de modération" not in text(make_client(agent).get(
        f"/communautes/{open_community.slug}"))


def test_the_thread_says_why_one_cannot_comment(make_client, idea, facilitator, agent, admin):
    from ideas.moderation import actions
    from ideas.moderation.suspension_services import suspend_user

    actions.lock_idea(facilitator, idea)
    db.session.commit()
    assert "verrouillée par la modération : elle n'accepte plus de nouveaux commentaires" in text(
        make_client(agent).get(f"/idees/{idea.id}"))
    suspend_user(admin, agent, "Propos", None)
    db.session.commit()
    assert "Votre compte est suspendu : vous pouvez lire" in text(
        make_client(agent).get(f"/idees/{idea.id}"))
