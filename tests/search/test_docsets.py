"""The Whoosh read path's own sets and ranking (ideas.search.docsets) against Whoosh itself, on
the French corpus: every query matches the same documents, facet counts are exact, ranking is
Whoosh's BM25F, and an updated idea (deleted from its segment, added to a new one) counts once."""

import shutil

import pytest

from ideas.extensions import db
from ideas.ideation.models import Idea
from ideas.search import docsets
from ideas.search.query import parse
from ideas.search.registry import get_backend
from ideas.search.sync import warm_worker
from ideas.search.whoosh_index import POSTING_FIELDS
from tests.search.conftest import Corpus

QUERIES = ["énergie", "vélos", "recyclage OR cartouches", "développement durable",
           '"développement durable"', "énergie -chauffage", "Atelier", "projet ODD",
           # Phrases are read from pairs of adjacent words: the same documents as Whoosh's
           # positions, words apart or reversed not matched, 3+ words checked on positions.
           '"économie circulaire"', '"durable développement"', '"circulaire économie"',
           '"éducation au développement durable"', '"consommation d\'énergie des bâtiments"',
           '"développement durable concernés"', '"éducation durable"']


@pytest.fixture
def corpus(whoosh):
    return Corpus()


def _bits_of(searcher, query) -> set[int]:
    return set(searcher.docs_for_query(query))


def _whoosh_ranking(searcher, query) -> list[tuple[float, int]]:
    scored = searcher.search(query, limit=None, optimize=False)
    return sorted(((hit.score, hit.docnum) for hit in scored), key=lambda s: (-s[0], s[1]))


@pytest.mark.parametrize("text", QUERIES)
def test_sets_and_ranking_are_whooshs(whoosh, corpus, text):
    query = whoosh._build(parse(text))
    searcher = whoosh.index.searcher()
    generation = whoosh._generation(searcher)
    matched = generation.docs(query)
    assert set(docsets.docnums(matched)) == _bits_of(searcher, query)
    ranked = generation.top(query, matched, 10)
    expected = _whoosh_ranking(searcher, query)[:10]
    assert [d for _s, d in ranked] == [d for _s, d in expected]
    assert [round(s, 9) for s, _d in ranked] == [round(s, 9) for s, _d in expected]


def test_counts_are_exact_after_an_update(whoosh, corpus):
    idea = db.session.get(Idea, corpus.ids["velos"])
    idea.vote_count = 7  # a new support count: the document moves to a new segment
    db.session.commit()
    get_backend().index_ideas(db.session.connection(), [idea.id])
    results = whoosh.search("vélos", allowed_community_ids=[corpus.open.id])
    searcher = whoosh.index.searcher()
    query = whoosh._build(parse("vélos"))
    assert results.total == len(_bits_of(searcher, query))
    generation = whoosh._generation(searcher)
    postings = generation.facets(POSTING_FIELDS)
    total = sum(bits.bit_count() for bits in postings["community"].values())
    assert total == searcher.doc_count()  # deleted documents never count
    assert sum(results.facets["community"].values()) == results.total


def test_sorted_orders_follow_the_columns(whoosh, corpus):
    newest = whoosh.search("", allowed_community_ids=[corpus.open.id], sort="newest")
    ideas = {i.id: i for i in db.session.scalars(db.select(Idea))}
    dates = [ideas[hit.idea_id].created_at for hit in newest.hits]
    assert dates == sorted(dates, reverse=True)


def test_bitsets_round_trip():
    numbers = [0, 1, 7, 8, 9, 63, 64, 1000, 99_999]
    bits = docsets.from_docnums(numbers)
    assert list(docsets.docnums(bits)) == numbers
    view = docsets.Bits(bits)
    assert 1000 in view and 1001 not in view and 10**6 not in view and len(view) == 9
    assert docsets.from_docnums([]) == 0 and list(docsets.docnums(0)) == []


def test_a_warmed_worker_has_read_facets_and_columns(app, whoosh, corpus):
    warm_worker(app)
    generation = whoosh._generation(whoosh.index.searcher())
    assert generation._facets is not None  # read before any search
    assert {("column", "created_at"), ("column", "vote_count")} <= generation._stats.keys()


def test_warming_a_missing_index_leaves_the_worker_serving(app, whoosh, caplog):
    whoosh.index.forget_searcher()
    shutil.rmtree(whoosh.index.directory)
    warm_worker(app)  # logged, not raised: the worker starts, search says it is unavailable
    assert "not warmed" in caplog.text


def test_warming_skips_an_app_without_search(caplog):
    from flask import Flask

    warm_worker(Flask("hello"))  # gunicorn.conf.py serves the bench's hello-world app too
    assert "not warmed" not in caplog.text
