"""The French analysis chain, word by word (no index): what both backends rely on."""

import pytest

from ideas.search import french
from ideas.search.analysis import french_analyzer, words_analyzer


def stems(text: str) -> list[str]:
    return [token.text for token in french_analyzer()(text)]


@pytest.mark.parametrize(("one", "other"), [
    ("énergie", "energie"), ("ÉNERGIE", "énergie"), ("mobilités", "mobilite"),
    ("vélos", "vélo"), ("numériques", "numérique"), ("recyclage", "recycler"),
    ("recyclé", "recyclable"), ("covoiturage", "covoiturer"), ("économies", "économiser"),
    ("impression", "imprimer"), ("travaux", "travail"), ("œuvre", "oeuvre"),
    ("l'énergie", "énergie"), ("d’énergie", "énergie"), ("jusqu'au", "au"),
    ("R.S.E.", "RSE"),
])
def test_word_forms_meet(one, other):
    assert stems(one) == stems(other)


def test_accents_are_folded_before_stemming():
    # Snowball's French rules key on accented endings ("-ité"): stemming "mobilités" with its
    # accent and "mobilite" without would disagree. Folding first makes both "mobilit".
    assert stems("mobilités") == stems("mobilite") == ["mobilit"]


def test_stop_words_include_les_and_go_away():
    assert "les" in french.STOP_WORDS
    assert stems("les vélos de l'Atelier et des équipes") == stems("vélo atelier équipe")


def test_acronyms_survive():
    assert stems("RSE ODD EDD QVT") == ["rse", "odd", "edd", "qvt"]


def test_phrase_positions_skip_stop_words_on_both_sides():
    positions = [(t.text, t.pos) for t in french_analyzer()("économie de l'énergie",
                                                             positions=True)]
    assert [p for _, p in positions] == [0, 1]


def test_the_words_analyzer_folds_without_stemming():
    assert [t.text for t in words_analyzer()("L’Énergie des Vélos")] == ["energie", "velos"]


def test_variants_for_postgresql():
    assert french.variants("vélos")[:2] == ["vélos", "velo"]
    assert set(french.variants("recycler")) >= {"recycler", "recyclage", "recyclable"}
    assert french.variants("l'énergie")[0] == "énergie"
    assert french.variants("les") == [] and french.variants("a") == []


def test_every_word_family_is_conflated():
    for family in french.WORD_FAMILIES:
        assert len({tuple(stems(word)) for word in family}) == 1, family
