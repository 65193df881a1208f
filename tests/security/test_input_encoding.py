"""Input, search and encoding (checklist items 39–45; ASVS 5.1.3, 5.1.4, 5.3.4, 12.1.1):
hostile search syntax and huge queries never break a list, NUL and bad UTF-8 get a 400 with a
message on SQLite and PostgreSQL alike, text is stored NFC without invisible spoofing
characters, oversized bodies get 413, and paging and sorting parameters are clamped and never
echoed."""

import time
from urllib.parse import quote

import pytest

from ideas.comments.models import Comment
from ideas.ideation.models import Idea
from ideas.reference.models import Theme
from ideas.search.queries import search_ideas
from tests import factories
from tests.helpers import count, text
from tests.search.conftest import backend, search_settings  # noqa: F401 - fixtures

HOSTILE_QUERIES = ["' ; -- \" %", "' OR 1=1 --", '"open', "(", "title:", "a AND", "*", "?",
                   "[a TO z]", "^9", "~", "community:1", "%_%", "\\", "a" * 10_000,
                   " ".join(["mot"] * 1_000), "*tion", "<script>alert(1)</script>"]
BAD_TEXT = "La requête contient des caractères non valides"


@pytest.fixture
def member(db, open_community):
    user = factories.UserFactory(display_name="Membre")
    factories.MembershipFactory(user=user, community=open_community)
    return user


@pytest.fixture
def theme(db):
    return db.session.scalars(db.select(Theme).where(Theme.is_active)).first()


def _list_urls(app) -> list[str]:
    """Every list with a free-text filter (the search page too once it exists)."""
    urls = ["/communautes/?q=", "/services/?q=", "/admin/agents?q=", "/interventions?q="]
    if "search.results" in app.view_functions:
        urls.append("/recherche?q=")
    return urls


@pytest.mark.checklist(39, 40, asvs="5.3.4")
@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_hostile_queries_get_an_answer_quickly_never_an_error(app, backend, make_client,  # noqa: F811
                                                              admin, query):
    client = make_client(admin)
    for url in _list_urls(app):
        started = time.perf_counter()
        response = client.get(url + quote(query))
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        assert elapsed < 1.5, (url, elapsed)
        assert "<script>alert(1)</script>" not in response.text


@pytest.mark.checklist(17, 39, 40, asvs="5.3.4")
@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_the_search_engine_parses_anything_and_keeps_private_ideas_out(db, backend,  # noqa: F811
                                                                       agent,
                                                                       private_community,
                                                                       query):
    """The engine (Whoosh here, PostgreSQL on a PostgreSQL run): field syntax such as
    `community:N` cannot reach a community the user may not read."""
    factories.IdeaFactory(community=private_community, title="Projet confidentiel mot")
    started = time.perf_counter()
    page = search_ideas(agent, query)
    assert time.perf_counter() - started < 1.5
    assert all(found.idea.community_id != private_community.id for found in page.items)


# -- NUL and bad UTF-8 (the same 400 on SQLite and PostgreSQL)

BAD_QUERY_STRINGS = ["q=a%00b", "q=%ED%A0%80", "q=caf%E9", "page=%FF%FE", "sort=%00"]


@pytest.mark.checklist(41, asvs="5.1.4")
@pytest.mark.parametrize("query_string", BAD_QUERY_STRINGS)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_bytes_in_a_query_string_are_a_400_with_a_message(make_client, admin,
                                                              query_string, htmx):
    client = make_client(admin)
    for path in ("/communautes/", "/idees", "/services/"):
        response = client.get(f"{path}?{query_string}",
                              headers={"HX-Request": "true"} if htmx else {})
        assert response.status_code == 400, (path, query_string)
        assert BAD_TEXT in text(response)
        assert response.headers["X-Request-ID"] in text(response)
        assert ("<html" in response.text) is not htmx


BAD_BODIES = {"NUL": b"a%00b", "lone surrogate": b"a%ED%A0%80b", "Latin-1": b"caf%E9",
              "truncated UTF-8": b"caf%C3"}


@pytest.mark.checklist(41, asvs="5.1.4")
@pytest.mark.parametrize("name", BAD_BODIES)
def test_bad_bytes_in_a_form_are_a_400_and_nothing_is_stored(client, member,
                                                             open_community, name):
    idea = factories.IdeaFactory(community=open_community)
    client.login(member)
    body = b"csrf_token=" + client.csrf_token().encode() + b"&body=" + BAD_BODIES[name]
    for htmx in (False, True):
        response = client.raw.post(f"/idees/{idea.id}/commentaires", data=body,
                                   content_type="application/x-www-form-urlencoded",
                                   headers={"HX-Request": "true"} if htmx else {})
        assert response.status_code == 400
        assert BAD_TEXT in text(response)
    assert count(Comment, idea_id=idea.id) == 0


@pytest.mark.checklist(41, asvs="5.1.4")
def test_a_nul_in_a_multipart_form_is_a_400(client, manager):
    client.login(manager)
    response = client.post("/services/import", {"file": (__import__("io").BytesIO(b"x"),
                                                         "s.csv"), "note": "a\x00b"},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert BAD_TEXT in text(response)


# -- Unicode: NFC, invisible characters, emoji, right-to-left

@pytest.mark.checklist(42, asvs="5.1.4")
def test_titles_and_names_are_stored_nfc_without_invisible_controls(client, db, member,
                                                                    open_community, theme):
    client.login(member)
    title = "Une ide\u0301e \u202eanimée\u202c 🌱👩\u200d💻 فكرة جيدة\u200b"
    response = client.post(f"/communautes/{open_community.slug}/idees/nouvelle",
                           {"title": title, "body": "Un corps d'idée.",
                            "theme_ids": [theme.id]})
    assert response.status_code == 302
    idea = db.session.scalar(db.select(Idea))
    assert idea.title == "Une idée animée 🌱👩\u200d💻 فكرة جيدة"
    profile = client.post("/profil", {"display_name": "Admin\u202e\u2066nimda ",
                                      "locale": "fr"})
    assert profile.status_code == 302
    db.session.refresh(member)
    assert member.display_name == "Adminnimda"


@pytest.mark.checklist(42, asvs="5.1.4")
def test_nfc_and_nfd_find_each_other(db, backend, member, open_community, theme):  # noqa: F811
    from ideas.ideation import services

    services.post_idea(member, open_community, title="Une ide\u0301e de re\u0301emploi",
                       body="Le re\u0301emploi des cartons.", theme_ids=[theme.id], sdgs=[],
                       tags="")
    db.session.commit()
    for query in ("réemploi", "re\u0301emploi"):
        assert [found.idea.title for found in search_ideas(member, query).items] == [
            "Une idée de réemploi"], query


# -- Sizes (413) and server-side lengths

@pytest.mark.checklist(43, asvs="12.1.1")
def test_oversized_bodies_are_a_413_page(app, client, member, open_community):
    idea = factories.IdeaFactory(community=open_community)
    client.login(member)
    token = client.csrf_token()
    too_big = app.config["MAX_CONTENT_LENGTH"] + 1
    response = client.post(f"/idees/{idea.id}/commentaires",
                           {"csrf_token": token, "body": "x" * too_big})
    assert response.status_code == 413
    assert "Contenu trop volumineux" in text(response)
    # One field over MAX_FORM_MEMORY_SIZE (500 kB), the whole body under 2 MiB: 413 too.
    huge_field = client.post(f"/idees/{idea.id}/commentaires",
                             {"csrf_token": token, "body": "x" * 600_000},
                             content_type="multipart/form-data")
    assert huge_field.status_code == 413
    many_parts = {f"field{n}": "x" for n in range(2_000)}
    response = client.post(f"/idees/{idea.id}/commentaires",
                           {"csrf_token": token, "body": "x", **many_parts},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert count(Comment, idea_id=idea.id) == 0


@pytest.mark.checklist(43, asvs="5.1.3")
def test_field_lengths_are_enforced_by_the_server(client, member, open_community, theme):
    idea = factories.IdeaFactory(community=open_community)
    client.login(member)
    long_comment = client.post(f"/idees/{idea.id}/commentaires", {"body": "x" * 20_001})
    assert long_comment.status_code == 422
    long_title = client.post(f"/communautes/{open_community.slug}/idees/nouvelle",
                             {"title": "t" * 151, "body": "Texte.", "theme_ids": [theme.id]})
    assert long_title.status_code == 422
    assert count(Comment, idea_id=idea.id) == 0
    assert count(Idea, author_id=member.id) == 0


# -- Paging and sorting

PAGING = ["page=-1", "page=0", "page=99999999999999999999", "per_page=100000",
          "per_page=%3Cscript%3Ealert(1)%3C/script%3E", "page=%3Cscript%3E",
          "theme=1%20OR%201%3D1", "community=-5", "sort=", "status="]
# A choice outside its allow-list, on the pages that read that parameter.
REFUSED = [("sort=%3Cscript%3Ealert(1)%3C/script%3E", "sort", ("/idees", "{community}/idees")),
           ("sort=title%3B%20DROP%20TABLE%20ideas", "sort", ("/idees", "{community}/idees")),
           ("sort=id%20desc", "sort", ("/idees",)),
           ("status=%27%20OR%201%3D1", "status", ("/idees", "/admin/agents")),
           ("visibility=all%27--", "visibility", ("/communautes/",)),
           ("tri=password_hash", "tri", ("/moderation",))]
PAGES = ("/idees", "{community}/idees", "/communautes/", "/moderation", "/admin/agents",
         "/notifications")


@pytest.mark.checklist(44, 45, asvs="5.1.3")
@pytest.mark.parametrize("args", PAGING)
def test_paging_is_clamped_and_empty_choices_mean_all(make_client, admin, open_community,
                                                      args):
    factories.IdeaFactory(community=open_community, title="Idée visible")
    client = make_client(admin)
    for path in PAGES:
        path = path.format(community=f"/communautes/{open_community.slug}")
        response = client.get(f"{path}?{args}")
        assert response.status_code == 200, (path, args, response.status_code)
        assert "<script>alert(1)" not in response.text
    assert "Idée visible" in text(client.get(f"/idees?{args}"))


@pytest.mark.checklist(45, asvs="5.1.3")
@pytest.mark.parametrize("args, name, paths", REFUSED)
def test_a_sort_or_filter_outside_its_allow_list_is_refused(make_client, admin,
                                                           open_community, args, name, paths):
    client = make_client(admin)
    for path in paths:
        path = path.format(community=f"/communautes/{open_community.slug}")
        response = client.get(f"{path}?{args}")
        assert response.status_code == 400, (path, args, response.status_code)
        body = text(response)
        assert f"Le paramètre « {name} » n'accepte pas cette valeur." in body
        assert "<script>alert(1)" not in response.text and "DROP TABLE" not in body


@pytest.mark.checklist(44, asvs="5.1.3")
def test_a_page_past_the_end_shows_the_last_page(make_client, admin, open_community):
    for n in range(25):
        factories.IdeaFactory(community=open_community, title=f"Idée numéro {n:02d}")
    client = make_client(admin)
    last = text(client.get("/idees?page=2"))
    assert text(client.get("/idees?page=9999")).count("Idée numéro") == last.count(
        "Idée numéro") == 5
