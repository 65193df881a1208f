"""Whatever is typed: never an exception, never a parser error, a sensible answer."""

import time

import pytest

from ideas.search.query import MAX_QUERY_CHARS, parse

HOSTILE = [
    '"vélo', "vélo\"", '"""', "(vélo", "vélo)", "((", "))", "*", "-", "--", "- -", "vél*",
    "?", "title:x", "author:x", "title:", "community:1", "body:vélo", "vélo^5", "vélo~2",
    "[a TO z]", "{a TO z}", "a AND", "OR", "AND OR NOT", "NOT vélo", "vélo OR", "OR vélo",
    "\x00", "vé\x00lo", "🚲", "🚲 vélo 🚲", "مرحبا بالعالم", "שלום", "‮vélo‬", "\u200b",
    "x" * 5000, "vélo " * 1000, "'", "l'", "’", "\\", "%", "_", "&", "<script>", "' OR 1=1 --",
    "; DROP TABLE ideas;", ":*", "!vélo", "vélo & !vélo", "<->", "a:*A", "", "   ", "\n\t",
]


@pytest.mark.parametrize("text", HOSTILE, ids=[repr(t[:20]) for t in HOSTILE])
def test_hostile_queries_never_raise(backend, corpus, text):
    allowed = [corpus.open.id]
    started = time.perf_counter()
    results = backend.search(text, allowed_community_ids=allowed)
    assert results.total >= 0 and len(results.hits) <= results.per_page
    backend.suggest(text, allowed_community_ids=allowed)
    backend.similar(text, text, allowed_community_ids=allowed)
    assert time.perf_counter() - started < 5


def test_sensible_answers(backend, corpus):
    allowed = [corpus.open.id]

    def keys(text):
        return corpus.keys(h.idea_id for h in backend.search(
            text, allowed_community_ids=allowed).hits)

    assert keys('"vélos de service') == {"velos"}  # an unclosed quote runs to the end
    assert keys("(vélo") == {"velos"}  # parentheses are not syntax
    assert keys("🚲 vélo") == {"velos"}  # emoji ignored
    assert keys("vé\x00los") == {"velos"}  # NUL bytes are dropped
    assert keys("*") == keys("-") == keys("'") == set()  # nothing to look for: no results
    assert keys("title:vélos") == set()  # "title" is a plain word here, found nowhere
    assert backend.search("", allowed_community_ids=allowed).total == 16  # browse everything
    assert backend.search("x" * 5000 + " vélo", allowed_community_ids=allowed).total == 0


def test_the_parser_caps_what_it_reads():
    parsed = parse("vélo " * 1000)
    assert len(parsed.required) <= 24
    parsed = parse("a" * 10 + " " + "mot " * 2000)
    assert len(parsed.to_text()) <= MAX_QUERY_CHARS
    assert parse("x" * 5000).is_empty  # one 500-letter "word" is not a word
    assert parse("-").is_empty and parse("*").is_empty and parse("").is_empty


def test_operators_and_phrases_are_parsed():
    parsed = parse('vélo OR trottinette "économie d’énergie" -voiture -"voiture électrique"')
    assert parsed.to_text() == ('vélo OR trottinette "économie d’énergie" -voiture '
                                '-"voiture électrique"')
    assert parse("éco-conception").to_text() == '"éco conception"'  # a compound is a phrase
    assert parse("title:x author:y").to_text() == "title x author y"
