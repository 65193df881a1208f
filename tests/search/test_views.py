"""The search page, the header's suggestions, similar ideas beside the new-idea form and the
possible duplicates on an idea page — through HTTP, on each backend (`backend` fixture)."""

import html
import re
import shutil

import pytest

from ideas.ideation.models import Idea
from tests import factories
from tests.helpers import text
from tests.search.conftest import post, theme_ids
from tests.search.helpers import write_deferred

HX = {"HX-Request": "true"}


@pytest.fixture
def reader(corpus, make_client):
    """An agent of no community: they read the open community only."""
    return make_client(factories.UserFactory(display_name="Lectrice"))


def result_titles(response) -> list[str]:
    """The titles of the result cards, marks removed, in order."""
    titles = re.findall(r'<h3 class="fr-card__title"><a href="/idees/\d+">(.*?)</a></h3>',
                        response.get_data(as_text=True), re.S)
    return [re.sub(r"</?mark>", "", t).strip() for t in titles]


def result_ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'<h3 class="fr-card__title"><a href="/idees/(\d+)">',
                                       response.get_data(as_text=True))]


def checkbox(response, facet: str, value) -> str | None:
    """The <input> of a facet value and its label text, or None when not offered."""
    page = response.get_data(as_text=True)
    box = re.search(rf'<input type="checkbox" id="facet-{facet}-{value}"[^>]*>', page)
    label = re.search(rf'<label class="fr-label" for="facet-{facet}-{value}">(.*?)</label>',
                      page, re.S)
    if box is None:
        return None
    return box.group(0) + html.unescape(re.sub(r"<[^>]+>", "", label.group(1))).replace(
        "\xa0", " ")


# -- The page -------------------------------------------------------------------------------

def test_results_ranked_highlighted_and_counted(backend, corpus, reader):
    response = reader.get("/recherche?q=vélo")
    assert response.status_code == 200
    page = text(response)
    assert "1 idée trouvée pour « vélo »" in page
    assert result_titles(response) == ["Des vélos de service pour les missions courtes"]
    assert "<mark>vélos</mark>" in page and "<mark>vélo</mark>" in page
    assert 'value="vélo"' in page  # the query stays in the box
    # The search form is labelled; the results are a list named by the count.
    assert 'role="search" aria-label="Rechercher des idées"' in page
    assert '<label class="fr-label" for="search-q">Mots recherchés</label>' in page
    assert 'aria-labelledby="search-results-title"' in page


def test_a_title_hit_comes_before_a_body_hit(backend, corpus, reader):
    # "biodiversité" is in the title of "jardin" and in the body of "toits".
    titles = result_titles(reader.get("/recherche?q=biodiversité"))
    assert titles == ["Un jardin partagé pour la biodiversité", "Végétaliser les toitures"]


def test_french_syntax_through_the_page(backend, corpus, reader):
    def keys(query):
        return corpus.keys(result_ids(reader.get("/recherche", query_string={"q": query})))

    assert keys('"économie circulaire"') == {"circulaire"}
    assert keys("économie -mobilier") == {"eau"}
    assert keys("vélo OR covoiturage") == {"velos", "covoiturage"}
    assert keys("numériques") == {"numerique"}
    assert keys("ENERGIE") == {"energie"}


def test_a_one_letter_typo_says_did_you_mean(backend, corpus, reader):
    response = reader.get("/recherche?q=covoiturgae")
    page = text(response)
    assert "Aucune idée ne contient « covoiturgae ». Voici les résultats pour « covoiturage »." \
        in page
    assert corpus.keys(result_ids(response)) == {"covoiturage"}
    assert 'href="/recherche?q=covoiturage"' in page


def test_hostile_markup_in_an_idea_stays_inert(backend, corpus, reader, db):
    author = factories.UserFactory()
    post(author, corpus.open, 'Atelier <img src=x onerror="alert(1)"> autopartage',
         "Le code `<script>alert('autopartage')</script>` reste du texte : autopartage.")
    response = reader.get("/recherche?q=autopartage")
    page = response.get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x" in page
    # Only our own markup in the highlighted passages.
    [card] = re.findall(r'<div class="fr-card fr-enlarge-link">.*?</div>\s*</div>\s*</div>',
                        page, re.S)
    assert set(re.findall(r"<(\w+)", card)) <= {"div", "h3", "a", "p", "mark", "ul", "li"}
    # The same for a hostile query shown back.
    response = reader.get("/recherche", query_string={"q": '"><script>alert(1)</script>'})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.get_data(as_text=True)


def test_facets_count_and_narrow(backend, corpus, reader):
    response = reader.get("/recherche?q=recyclage OR piles OR vélo")
    assert len(result_ids(response)) == 4
    papers = theme_ids("dechets-papier")[0]
    assert checkbox(response, "theme", papers).endswith("Déchets et papier (3) : 3 idées")
    assert "(4)" in checkbox(response, "community", corpus.open.id)
    assert "(4)" in checkbox(response, "status", "submitted")
    assert "(3)" in checkbox(response, "sdg", 12) and "(1)" in checkbox(response, "sdg", 11)
    assert checkbox(response, "status", "withdrawn") is None  # never found, never offered

    narrowed = reader.get(f"/recherche?q=recyclage OR piles OR vélo&theme={papers}")
    assert corpus.keys(result_ids(narrowed)) == {"recyclage", "cartouches", "piles"}
    assert "checked" in checkbox(narrowed, "theme", papers)
    # Another theme still shows what adding it would bring (values of a facet combine with OR).
    other = theme_ids("experimentation")[0]
    assert "(1)" in checkbox(narrowed, "theme", other)
    both = reader.get(f"/recherche?q=recyclage OR piles OR vélo&theme={papers}&theme={other}")
    assert len(result_ids(both)) == 4
    # Other facets count within the chosen theme.
    assert checkbox(narrowed, "sdg", 11) is None and "(3)" in checkbox(narrowed, "sdg", 12)
    # Several facets narrow together; the URL holds them all.
    sdg = reader.get(f"/recherche?q=recyclage OR piles OR vélo&theme={papers}&sdg=11")
    assert result_ids(sdg) == [] and "Aucune idée ne correspond" in text(sdg)
    assert "checked" in checkbox(sdg, "sdg", 11)  # still offered, to be unchecked


def test_empty_query_lists_every_visible_idea_with_facets(backend, corpus, reader):
    response = reader.get("/recherche")
    assert response.status_code == 200
    assert "16 idées" in text(response)
    assert checkbox(response, "community", corpus.private.id) is None
    years = {int(y) for y in re.findall(r'id="facet-year-(\d+)"', response.get_data(as_text=True))}
    assert len(years) == 1


def test_sorts_are_an_allow_list(backend, corpus, reader, db):
    from ideas.votes.services import cast_vote

    toits = db.session.get(Idea, corpus.ids["toits"])
    cast_vote(factories.UserFactory(), toits)
    db.session.commit()
    write_deferred()  # Whoosh: the background writer's part
    relevance = result_titles(reader.get("/recherche?q=biodiversité"))
    votes = result_titles(reader.get("/recherche?q=biodiversité&sort=votes"))
    assert votes == list(reversed(relevance))
    newest = corpus.keys(result_ids(reader.get("/recherche?sort=newest")))
    assert "piles" in newest
    default = reader.get("/recherche", query_string={"q": "biodiversité", "sort": ""})
    assert default.status_code == 200 and result_titles(default) == relevance
    for sort in ("title", "id; DROP TABLE ideas", "created_at desc", "<script>"):
        response = reader.get("/recherche", query_string={"q": "biodiversité", "sort": sort})
        assert response.status_code == 400, sort
        assert "Le paramètre « sort » n'accepte pas cette valeur." in response.text
        assert "<script>" not in response.text


def test_pages(backend, corpus, reader, app):
    app.config["PER_PAGE"] = 5
    try:
        first = reader.get("/recherche?sort=newest")
        assert len(result_ids(first)) == 5
        page = first.get_data(as_text=True)
        assert 'aria-label="Pages de résultats"' in page
        assert 'href="/recherche?sort=newest&amp;page=2"' in page
        last = reader.get("/recherche?sort=newest&page=4")
        assert len(result_ids(last)) == 1
        for beyond in ("999999", "4000000000", "-1", "abc"):
            response = reader.get(f"/recherche?sort=newest&page={beyond}")
            assert response.status_code == 200, beyond
            assert result_ids(response), beyond  # the last (or first) page, never empty
    finally:
        app.config["PER_PAGE"] = 20


@pytest.mark.parametrize("query", [
    '"vélo', "(vélo", "title:", "author:x", "community:1", "*", "-", "vélo~2", "[a TO z]",
    "a AND", "🚲 vélo", "مرحبا", "\u202evélo", "x" * 10_000,
    "vélo " * 2000, "' OR 1=1 --", "%", "\\",
])
def test_bad_input_never_fails(backend, corpus, reader, query):
    response = reader.get("/recherche", query_string={"q": query})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "\x00" not in page and "\u202e" not in page
    assert "Traceback" not in page and "ParseError" not in page


def test_invalid_utf8_surrogates_and_nul_in_the_url(backend, corpus, reader):
    """Refused for every page alike (ideas/inputs.py; tests/security/test_input_encoding.py)."""
    for raw in ("q=%ED%A0%80v%C3%A9lo", "q=%FF%FE", "q=v%C3", "q=%00&sort=%00&page=%00",
                "q=v%C3%A9%00lo"):
        response = reader.get(f"/recherche?{raw}")
        assert response.status_code == 400, raw
        assert "caractères non valides" in text(response)


def test_a_very_long_query_is_cut_and_says_so(backend, corpus, reader):
    response = reader.get("/recherche", query_string={"q": "vélo " + "x" * 10_000})
    assert "seuls ses premiers mots ont été pris en compte" in text(response)
    assert len(response.get_data(as_text=True)) < 200_000


def test_bad_facet_values_are_ignored(backend, corpus, reader):
    for query in ("community=abc", "theme=-1", "status=deleted", "sdg=99", "year=1",
                  "community=99999999999", "theme=" + "&theme=".join(map(str, range(500)))):
        response = reader.get(f"/recherche?q=vélo&{query}")
        assert response.status_code == 200, query
        assert result_titles(response) == ["Des vélos de service pour les missions courtes"]


def test_htmx_gets_the_area_and_an_announcement(backend, corpus, reader):
    response = reader.get("/recherche?q=vélo", headers=HX)
    page = text(response)
    assert "<html" not in page and 'id="search-form"' not in page
    assert 'hx-swap-oob="innerHTML:#search-announce">1 idée trouvée pour « vélo »' in page
    assert "HX-Request" in response.headers["Vary"]


def test_english(backend, corpus, reader):
    reader.post("/langue", {"locale": "en"})
    page = text(reader.get("/recherche?q=vélo"))
    assert "Search ideas" in page and "1 idea found for “vélo”" in page
    assert "Refine" in page


# -- Index unavailable ------------------------------------------------------------------------

@pytest.fixture
def whoosh_corpus(whoosh):
    from tests.search.conftest import Corpus

    return Corpus()


def test_search_unavailable_says_so_and_the_site_works(whoosh_corpus, search_settings,
                                                      make_client, whoosh):
    search_settings["SEARCH_AUTO_REBUILD_MAX"] = 0
    shutil.rmtree(whoosh.index.directory)
    whoosh.index.forget_searcher()
    client = make_client(whoosh_corpus.member)
    response = client.get("/recherche?q=vélo")
    assert response.status_code == 503
    assert "La recherche est momentanément indisponible" in text(response)
    assert response.headers["Retry-After"] == "60"
    htmx = client.get("/recherche/suggestions?q=vél", headers=HX)
    assert htmx.status_code == 200 and "momentanément indisponible" in text(htmx)
    similar = client.post("/idees/similaires", {"title": "Des vélos", "body": "vélo"}, htmx=True)
    assert similar.status_code == 200 and "momentanément indisponible" in text(similar)
    for url in ("/", "/idees", f"/idees/{whoosh_corpus.ids['velos']}",
                f"/communautes/{whoosh_corpus.private.slug}/idees/nouvelle"):
        assert client.get(url).status_code == 200, url
    # A new idea is still published (the index catches up later).
    response = client.post(f"/communautes/{whoosh_corpus.open.slug}/idees/nouvelle", {
        "title": "Des vélos cargos", "body": "Pour livrer les ressources.",
        "theme_ids": theme_ids("experimentation")})
    assert response.status_code == 302
    client.post("/langue", {"locale": "en"})
    assert "Search is unavailable for now" in text(client.get("/recherche?q=vélo"))


# -- Suggestions (header) ---------------------------------------------------------------------

def test_suggestions_are_a_listbox_of_the_top_ideas(backend, corpus, reader):
    response = reader.get("/recherche/suggestions?q=covoit", headers=HX)
    page = text(response)
    options = re.findall(r'<li id="([^"]+)"[^>]*role="option"[^>]*data-href="([^"]+)"', page)
    assert options == [("header-search-option-1", f"/idees/{corpus.ids['covoiturage']}"),
                       ("header-search-option-all", "/recherche?q=covoit")]
    assert 'data-status="1 idée suggérée.' in page
    assert "Voir tous les résultats pour « covoit »" in page
    assert len(re.findall(r'role="option"', text(reader.get(
        "/recherche/suggestions?q=e", headers=HX)))) <= 6


def test_suggestions_without_text_or_without_htmx(backend, corpus, reader):
    empty = reader.get("/recherche/suggestions?q=", headers=HX)
    assert 'role="listbox"' in text(empty) and "hidden" in text(empty)
    assert 'role="option"' not in text(empty)
    plain = reader.get("/recherche/suggestions?q=covoit")
    assert plain.status_code == 302 and plain.headers["Location"] == "/recherche?q=covoit"
    hostile = reader.get("/recherche/suggestions", query_string={"q": "<b>x</b>\u202e" * 500},
                         headers=HX)
    assert hostile.status_code == 200 and "<b>x" not in hostile.get_data(as_text=True)


def test_the_header_holds_the_search_box(backend, corpus, reader, client):
    page = text(reader.get("/"))
    assert 'role="combobox"' in page and 'aria-controls="header-search-listbox"' in page
    assert 'action="/recherche"' in page and 'hx-get="/recherche/suggestions"' in page
    assert "hx-on" not in page and "<script>" not in page
    assert 'role="combobox"' not in text(client.get("/connexion"))  # signed out: no search


# -- Similar ideas while writing --------------------------------------------------------------

def test_similar_ideas_as_the_idea_is_typed(backend, corpus, reader):
    response = reader.post("/idees/similaires", {
        "title": "Covoiturer entre collègues",
        "body": "Partager les trajets domicile-travail en voiture"}, htmx=True)
    assert response.status_code == 200
    ids = [int(i) for i in re.findall(r'<h3[^>]*><a href="/idees/(\d+)"', text(response))]
    assert ids[0] == corpus.ids["covoiturage"] and len(ids) <= 5
    page = text(response)
    # Each can be supported or followed in place.
    assert f'hx-post="/idees/{ids[0]}/soutenir"' in page
    assert f'hx-post="/idees/{ids[0]}/suivre"' in page
    assert 'data-status="' in page and f'data-ids="{",".join(map(str, ids))}"' in page


def test_similar_ideas_need_a_few_letters(backend, corpus, reader):
    for title, body in (("", ""), ("a", ""), ("\u200b\u200b", " ")):
        response = reader.post("/idees/similaires", {"title": title, "body": body}, htmx=True)
        assert response.status_code == 200
        assert "Commencez à écrire le titre" in text(response)
    big = reader.post("/idees/similaires", {"title": "vélo" * 500, "body": "x " * 20_000},
                      htmx=True)
    assert big.status_code == 200


def test_the_new_idea_form_has_the_similar_box(backend, corpus, make_client):
    client = make_client(corpus.member)
    page = text(client.get(f"/communautes/{corpus.open.slug}/idees/nouvelle"))
    assert 'id="similar-ideas"' in page and 'hx-post="/idees/similaires"' in page
    assert 'hx-trigger="input changed delay:600ms"' in page
    # Without JavaScript the preview brings the form back with the similar ideas filled in.
    response = client.post(f"/communautes/{corpus.open.slug}/idees/nouvelle", {
        "title": "Covoiturer entre collègues", "body": "Partager les trajets", "preview": "1"})
    assert "Plateforme de covoiturage domicile-travail" in text(response)
    # Editing an idea: no similar box.
    edit = text(client.get(f"/idees/{corpus.ids['secret']}/modifier"))
    assert 'id="similar-ideas"' not in edit


# -- Duplicates on the idea page --------------------------------------------------------------

def test_facilitators_and_admins_see_possible_duplicates(backend, corpus, make_client, admin):
    facilitator = factories.UserFactory()
    factories.MembershipFactory(user=facilitator, community=corpus.open, role="facilitator")
    twin = post(factories.UserFactory(), corpus.open, "Covoiturage entre agents du site",
                "Une plateforme pour partager les trajets domicile-travail.")
    url = f"/idees/{twin.id}"
    for user in (facilitator, admin):
        page = text(make_client(user).get(url))
        assert "Idées similaires (doublons possibles)" in page
        section = page.split("Idées similaires (doublons possibles)")[1]
        assert "Plateforme de covoiturage domicile-travail" in section
        assert f"/moderation/idees/{twin.id}/fusionner?merge_into={corpus.ids['covoiturage']}" \
            in section
    for user in (corpus.member, factories.UserFactory()):
        assert "doublons possibles" not in text(make_client(user).get(url))


def test_the_merge_form_is_prefilled_from_the_duplicate(backend, corpus, make_client):
    facilitator = factories.UserFactory()
    factories.MembershipFactory(user=facilitator, community=corpus.open, role="facilitator")
    client = make_client(facilitator)
    target = corpus.ids["covoiturage"]
    page = text(client.get(f"/moderation/idees/{corpus.ids['velos']}/fusionner"
                           f"?merge_into={target}"))
    assert re.search(rf'name="merge_into"[^>]*value="{target}"', page)


# -- No N+1 -----------------------------------------------------------------------------------

def test_the_number_of_queries_does_not_grow_with_the_results(backend, corpus, reader):
    from tests.ideation.test_query_counts import counting_queries

    def count(url):
        reader.get(url)  # warm: the first request loads the user, the locale…
        with counting_queries() as statements:
            response = reader.get(url)
        assert response.status_code == 200
        return len(statements), len(result_ids(response))

    few, shown_few = count("/recherche?q=vélo")
    many, shown_many = count("/recherche")
    assert (shown_few, shown_many) == (1, 16)
    assert many <= few + 1, (few, many)  # the empty query skips the tsquery, nothing per row
    assert many <= 20
    with_facets, _ = count(f"/recherche?theme={theme_ids('dechets-papier')[0]}&sdg=12")
    assert with_facets <= many + 4  # one more search per chosen facet, not per idea
