""""Mes données": all of the requester's data, and only theirs (SECURITY-CHECKLIST item 50,
ASVS 8.3.2, RGPD art. 15), tested with two agents who interacted; `no-store` (item 53)."""

import csv
import io
import json
import zipfile

import pytest
from sqlalchemy import event

from ideas.extensions import db
from ideas.privacy import export
from ideas.utils import utcnow
from tests.rgpd.conftest import (
    ALICE_EMAIL,
    ALICE_IDEA_REASON,
    ALICE_NAME,
    ALICE_REPORT_DETAILS,
    BRUNO_COMMENT,
    BRUNO_COMMENT_REASON,
    BRUNO_EMAIL,
    BRUNO_HIDDEN_TITLE,
    BRUNO_IDEA_REASON,
    BRUNO_NAME,
    BRUNO_SECRET_TITLE,
    SUSPENSION_REASON,
)

pytestmark = pytest.mark.checklist(50, 53, asvs="8.3.2")


def _download(client):
    response = client.get("/profil/mes-donnees/archive.zip")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="mes-donnees-fabrique-a-idees-')
    return zipfile.ZipFile(io.BytesIO(response.data))


def _everything(archive) -> str:
    return "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())


def _sections(archive) -> dict:
    return json.loads(archive.read("donnees.json"))["sections"]


def _csv(archive, name) -> list[dict]:
    text = archive.read(f"{name}.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_the_archive_holds_json_csv_and_a_readme(make_client, world):
    archive = _download(make_client(world.alice))
    names = set(archive.namelist())
    assert {"LISEZMOI.txt", "donnees.json"} <= names
    assert {f"{name}.csv" for name in export.DESCRIPTIONS} <= names
    document = json.loads(archive.read("donnees.json"))
    assert document["account_id"] == world.alice.id
    assert list(document["sections"]) == list(export.DESCRIPTIONS)
    readme = archive.read("LISEZMOI.txt").decode()
    assert "ideas.csv (2 lignes)" in readme


def test_all_of_the_requesters_data(make_client, world):
    alice = world.alice
    archive = _download(make_client(alice))
    sections = _sections(archive)
    profile = sections["profile"][0]
    assert (profile["email"], profile["display_name"]) == (ALICE_EMAIL, ALICE_NAME)
    assert not {"password_hash", "session_token"} & set(profile)
    assert {row["community"] for row in sections["memberships"]} == {
        "Sobriété numérique", "Cercle des directions"}
    ideas = {row["id"]: row for row in sections["ideas"]}
    assert set(ideas) == {world.alice_idea.id, world.alice_private_idea.id}
    assert ideas[world.alice_idea.id]["body"].startswith("Proposée par Alice Zéphyrine")
    assert ideas[world.alice_idea.id]["tags"] == "papier"
    # Her own hidden idea: the reason the moderation gave her is hers to read.
    assert ideas[world.alice_private_idea.id]["hidden_reason"] == ALICE_IDEA_REASON
    assert [row["id"] for row in sections["comments"]] == [world.alice_comment.id]
    assert sections["comments"][0]["idea_title"] == BRUNO_SECRET_TITLE  # she still sees it
    assert {row["idea_id"] for row in sections["supports"]} == {
        world.bruno_idea.id, world.bruno_hidden_idea.id}
    # Posting an idea follows it too.
    assert {row["idea_id"] for row in sections["idea_follows"]} == {
        world.alice_idea.id, world.alice_private_idea.id, world.bruno_idea.id}
    assert [row["community"] for row in sections["community_follows"]] == [
        "Sobriété numérique"]
    assert sections["notifications"], "Bruno's comment and mention notified her"
    assert {row["kind"] for row in sections["notifications"]} >= {"mention"}
    choice = next(row for row in sections["notification_preferences"]
                  if row["kind"] == "comment_on_my_idea")
    assert (choice["frequency"], choice["is_default"]) == ("weekly", False)
    assert all(row["recipient"] == ALICE_EMAIL for row in sections["emails"])
    assert [row["comment_id"] for row in sections["mentions"]] == [world.bruno_comment.id]
    assert [(row["comment_id"], row["details"]) for row in sections["reports"]] == [
        (world.bruno_comment.id, ALICE_REPORT_DETAILS)]
    assert [row["reason"] for row in sections["suspensions"]] == [SUSPENSION_REASON]
    # Every section of the JSON is in its CSV, row for row.
    for name, rows in sections.items():
        assert len(_csv(archive, name)) == len(rows), name


def test_only_the_requesters_data(make_client, world):
    """Nothing of Bruno's: his name, address, private idea, comment, and the reasons the
    moderation gave about his content; nor the title of his idea hidden since she supported
    it (she may no longer read it)."""
    everything = _everything(_download(make_client(world.alice)))
    for secret in (BRUNO_NAME, BRUNO_EMAIL, BRUNO_COMMENT, "détail de Bruno",
                   BRUNO_COMMENT_REASON, BRUNO_IDEA_REASON, BRUNO_HIDDEN_TITLE,
                   "Fanny Animatrice", "Admin Général", world.bruno.session_token):
        assert secret not in everything, secret
    assert world.alice.password_hash not in everything


def test_and_the_other_way_round(make_client, world):
    # Her name is in his comment that mentions her: his own words, nowhere else.
    everything = _everything(_download(make_client(world.bruno))).replace(BRUNO_COMMENT, "")
    for secret in (ALICE_NAME, ALICE_EMAIL, "Proposée par Alice", ALICE_IDEA_REASON,
                   ALICE_REPORT_DETAILS, SUSPENSION_REASON, "Des gourdes pour chaque atelier",
                   "Un tableau partagé des trajets", "Bonne idée, je soutiens."):
        assert secret not in everything, secret
    sections = _sections(_download(make_client(world.bruno)))
    # His own hidden comment and idea: the reasons are his to read.
    assert sections["comments"][0]["hidden_reason"] == BRUNO_COMMENT_REASON
    assert BRUNO_IDEA_REASON in {row["hidden_reason"] for row in sections["ideas"]}
    # He reported nothing, was never suspended, and Alice's report on him is not his.
    assert sections["reports"] == [] and sections["suspensions"] == []


def test_a_facilitator_gets_their_actions_not_the_reasons_about_others(make_client, world):
    sections = _sections(_download(make_client(world.facilitator)))
    assert {row["action"] for row in sections["moderation_actions"]} == {"hide"}
    assert len(sections["moderation_actions"]) == 3
    everything = _everything(_download(make_client(world.facilitator)))
    for secret in (BRUNO_COMMENT_REASON, BRUNO_IDEA_REASON, ALICE_IDEA_REASON, BRUNO_NAME,
                   ALICE_NAME, BRUNO_COMMENT):
        assert secret not in everything, secret


def test_a_private_idea_left_behind_keeps_its_id_not_its_title(make_client, world):
    from ideas.communities import services as communities

    communities.leave(world.alice, world.private)
    db.session.commit()
    sections = _sections(_download(make_client(world.alice)))
    support = next(row for row in sections["supports"] if row["idea_id"] == world.bruno_idea.id)
    assert support["idea_title"] is None
    assert BRUNO_SECRET_TITLE not in _everything(_download(make_client(world.alice)))


def test_cells_cannot_run_as_formulas(make_client, world):
    from ideas.comments.services import post_comment

    post_comment(world.alice, world.alice_idea, "=HYPERLINK(\"http://evil.example\")")
    db.session.commit()
    rows = _csv(_download(make_client(world.alice)), "comments")
    assert "'=HYPERLINK(\"http://evil.example\")" in {row["body"] for row in rows}


def test_the_page_lists_the_sections_and_is_not_cached(make_client, world):
    client = make_client(world.alice)
    response = client.get("/profil/mes-donnees")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "/profil/mes-donnees/archive.zip" in response.text
    assert "ideas.csv" in response.text
    assert "/profil/mes-donnees" in client.get("/profil").text


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    for url in ("/profil/mes-donnees", "/profil/mes-donnees/archive.zip"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/connexion")


def test_the_export_costs_one_query_per_section_whatever_the_amount(world):
    """No N+1: ten times more supports and comments, the same number of queries."""
    from ideas.comments.services import post_comment
    from ideas.votes.services import cast_vote
    from tests.factories import IdeaFactory

    def queries() -> int:
        statements = []
        listener = lambda *args: statements.append(1)  # noqa: E731
        engine = db.engine
        event.listen(engine, "before_cursor_execute", listener)
        try:
            export.build_archive(world.alice, utcnow())
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    before = queries()
    for _ in range(10):
        idea = IdeaFactory(community=world.open)
        cast_vote(world.alice, idea)
        post_comment(world.alice, idea, "Encore un commentaire.")
    db.session.commit()
    assert queries() == before


def test_the_download_is_rate_limited_like_every_export(app):
    from ideas.ratelimits import export_endpoints

    assert "privacy.export_archive" in export_endpoints(app)
