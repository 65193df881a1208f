"""The French relevance test set, on every backend: what an agent types finds what they mean."""

import pytest

from tests.search.corpus import RELEVANCE
from tests.search.helpers import write_deferred


def search(backend, corpus, text, **options):
    allowed = [corpus.open.id]
    return backend.search(text, allowed_community_ids=allowed, **options)


@pytest.mark.parametrize(("query", "expected", "unwanted"), RELEVANCE,
                         ids=[case[0] for case in RELEVANCE])
def test_french_queries_find_what_they_mean(backend, corpus, query, expected, unwanted):
    results = search(backend, corpus, query)
    found = corpus.keys(hit.idea_id for hit in results.hits)
    assert expected <= found, f"{query!r} found {sorted(found)}"
    assert not unwanted & found, f"{query!r} found {sorted(found)}"
    assert results.corrected_query is None


def test_a_title_hit_ranks_above_a_body_hit(backend, corpus):
    # "biodiversité" is in the title of one idea and in the body of another.
    keys = [corpus.keys([hit.idea_id]).pop() for hit in search(backend, corpus,
                                                                  "biodiversité").hits]
    assert keys[:2] == ["jardin", "toits"]


def test_stop_words_do_not_drown_the_ranking(backend, corpus):
    keys = [corpus.keys([h.idea_id]).pop() for h in search(
        backend, corpus, "les vélos pour les missions").hits]
    assert keys == ["velos"]


def test_a_one_letter_typo_is_corrected(backend, corpus):
    results = search(backend, corpus, "covoitrage")
    assert corpus.keys(hit.idea_id for hit in results.hits) == {"covoiturage"}
    assert results.corrected_query == "covoiturage"


def test_a_swap_of_two_letters_is_one_typo(backend, corpus):
    results = search(backend, corpus, "vélo plateforme covoituarge")
    assert results.total == 0  # "vélo" and "plateforme" are never together: no rescue
    results = search(backend, corpus, "covoituarge")
    assert corpus.keys(hit.idea_id for hit in results.hits) == {"covoiturage"}


def test_a_word_found_nowhere_and_far_from_everything_finds_nothing(backend, corpus):
    results = search(backend, corpus, "zygomatique")
    assert results.total == 0 and results.hits == [] and results.corrected_query is None


def test_highlights_mark_the_matched_words(backend, corpus):
    hit = search(backend, corpus, "vélo").hits[0]
    assert "<mark>vélos</mark>" in hit.title_html
    assert "<mark>vélo</mark>" in hit.excerpt_html


def test_highlights_escape_everything_but_the_marks(backend, corpus):
    [hit] = search(backend, corpus, "collecte script").hits
    assert "<script" not in hit.excerpt_html and "</script" not in hit.excerpt_html
    assert "&lt;" in hit.excerpt_html
    assert "<mark>collecte</mark>" in hit.excerpt_html
    stripped = hit.excerpt_html.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped and ">" not in stripped


def test_facets_count_the_matched_ideas(backend, corpus):
    from tests.search.conftest import theme_ids

    results = search(backend, corpus, "recyclage OR piles")
    assert results.total == 3
    assert results.facets["community"] == {corpus.open.id: 3}
    assert results.facets["status"] == {"submitted": 3}
    assert results.facets["theme"] == {theme_ids("dechets-papier")[0]: 3}
    assert results.facets["sdg"] == {12: 3}
    assert sum(results.facets["year"].values()) == 3


def test_filters_narrow_the_results_and_the_facets(backend, corpus):
    from ideas.search.engine import SearchFilters

    results = search(backend, corpus, "", filters=SearchFilters(sdgs=(11,)))
    assert corpus.keys(h.idea_id for h in results.hits) == {"velos", "covoiturage", "mobilites"}
    assert results.facets["sdg"] == {11: 3}
    results = search(backend, corpus, "vélo OR covoiturage", filters=SearchFilters(
        sdgs=(11,), statuses=("submitted",)))
    assert results.total == 2


def test_sorts_and_pages(backend, corpus):
    newest = search(backend, corpus, "", sort="newest", per_page=5)
    assert newest.total == 16 and len(newest.hits) == 5 and newest.pages == 4
    assert corpus.keys([newest.hits[0].idea_id]) == {"piles"}  # posted last
    third = search(backend, corpus, "", sort="newest", per_page=5, page=4)
    assert len(third.hits) == 1 and corpus.keys([third.hits[0].idea_id]) == {"energie"}
    beyond = search(backend, corpus, "", per_page=5, page=9)
    assert beyond.hits == [] and beyond.total == 16


def test_most_supported_first(backend, corpus, db):
    from ideas.votes.services import cast_vote
    from tests import factories

    toits = _idea(db, corpus, "toits")
    for _ in range(2):
        cast_vote(factories.UserFactory(), toits)
    db.session.commit()
    write_deferred()  # Whoosh: the background writer's part
    results = search(backend, corpus, "biodiversité", sort="votes")
    assert corpus.keys([results.hits[0].idea_id]) == {"toits"}


def _idea(db, corpus, key):
    from ideas.ideation.models import Idea

    return db.session.get(Idea, corpus.ids[key])


def test_suggestions_complete_the_word_being_typed(backend, corpus):
    hits = backend.suggest("covoit", allowed_community_ids=[corpus.open.id])
    assert corpus.keys(h.idea_id for h in hits) == {"covoiturage"}
    hits = backend.suggest("Économie ", allowed_community_ids=[corpus.open.id])
    assert corpus.keys(h.idea_id for h in hits) == {"circulaire", "eau"}
    hits = backend.suggest("économie circ", allowed_community_ids=[corpus.open.id])
    assert corpus.keys(h.idea_id for h in hits) == {"circulaire"}
    assert len(backend.suggest("e", allowed_community_ids=[corpus.open.id])) <= 5


def test_similar_ideas_for_a_new_idea(backend, corpus):
    hits = backend.similar("Covoiturer entre collègues",
                           "Partager les trajets domicile-travail en voiture",
                           allowed_community_ids=[corpus.open.id])
    assert len(hits) <= 5
    assert corpus.keys([hits[0].idea_id]) == {"covoiturage"}


def test_similar_ideas_on_an_idea_page_leave_the_idea_out(backend, corpus, db):
    idea = _idea(db, corpus, "recyclage")
    hits = backend.similar(idea.title, idea.body, allowed_community_ids=[corpus.open.id],
                           exclude_idea_id=idea.id)
    keys = corpus.keys(h.idea_id for h in hits)
    assert "recyclage" not in keys and "cartouches" in keys
