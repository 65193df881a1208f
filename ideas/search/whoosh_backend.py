"""Whoosh backend: an embedded index directory (SEARCH_INDEX_DIR), French analysis.

Queries are built from `query.parse` as Whoosh query objects (never through Whoosh's own parser,
so no field, wildcard, range, boost or fuzzy syntax reaches it). Title hits outrank body hits
through per-field boosts. Visibility and facet filters are sets of document numbers built from
cached facet postings; facet counts are intersections of those sets with the matched set.
"""

import logging
from collections.abc import Iterable

from whoosh import query as wq
from whoosh.searching import Results
from whoosh.sorting import FieldFacet
from whoosh.support.levenshtein import damerau_levenshtein

from ideas.search import docsets, french
from ideas.search.analysis import french_analyzer
from ideas.search.documents import IdeaDocument, count_ideas, load_documents
from ideas.search.engine import (
    HIDDEN_STATUSES,
    MAX_PAGE,
    MAX_PER_PAGE,
    SIMILAR_LIMIT,
    SUGGEST_LIMIT,
    DriftReport,
    Hit,
    Progress,
    SearchFilters,
    SearchResults,
    SearchUnavailable,
)
from ideas.search.highlight import (
    MarkFormatter,
    excerpt_fragmenter,
    plain_excerpt,
    title_fragmenter,
    trusted,
)
from ideas.search.query import Item, ParsedQuery, Phrase, clean_text, parse
from ideas.search.whoosh_index import (
    FACET_FIELDS,
    POSTING_FIELDS,
    WhooshIndex,
    document_fields,
)

log = logging.getLogger(__name__)

FIELD_BOOSTS = {"title": 3.0, "keywords": 2.0, "body": 1.0, "comments": 0.5}
PHRASE_FIELDS = ("title", "keywords", "body")  # the fields indexed with positions
# Duplicates show in titles, tags and themes: matching there keeps "similar ideas" fast while
# the agent types (a body field match would score tens of thousands of documents in Python).
SIMILAR_FIELDS = {"title": 2.0, "keywords": 1.0}
SIMILAR_TERMS = 10
CORRECTION_MIN_LETTERS = 5
PREFIX_MIN_LETTERS = 2
NO_FILTERS = SearchFilters()
SORTS = {
    "newest": [FieldFacet("created_at", reverse=True)],
    "votes": [FieldFacet("vote_count", reverse=True), FieldFacet("created_at", reverse=True)],
}
SORT_COLUMNS = {name: [(facet.fieldname, facet.reverse) for facet in facets]
                for name, facets in SORTS.items()}


class WhooshBackend:
    name = "whoosh"

    def __init__(self, index_dir: str, rebuild_procs: int = 1):
        self.index = WhooshIndex(index_dir)
        self.rebuild_procs = max(1, rebuild_procs)
        self._analyzer = french_analyzer()

    # -- writes --------------------------------------------------------------------------
    def index_ideas(self, connection, idea_ids: Iterable[int], merge: bool = True) -> None:
        ids = set(idea_ids)
        if not ids:
            return
        # The rows are read once the write lock is ours: two workers indexing the same idea
        # then write in turn, the second with what the first's commit left. Read before the
        # lock, a worker delayed between its read and its write put back an older document
        # (seen under load: a support count left behind until `search check --fix`).
        with self.index.writer(merge=merge) as writer:
            documents = list(load_documents(connection, ids))
            self._write(writer, documents, ids - {d.idea_id for d in documents})

    def write(self, documents: list[IdeaDocument], deleted_ids: Iterable[int] = ()) -> None:
        with self.index.writer() as writer:
            self._write(writer, documents, deleted_ids)

    @staticmethod
    def _write(writer, documents: list[IdeaDocument], deleted_ids: Iterable[int]) -> None:
        for document in documents:
            writer.update_document(**document_fields(document))
        for idea_id in deleted_ids:
            writer.delete_by_term("id", str(idea_id))

    def rebuild(self, connection, progress: Progress | None = None) -> int:
        total = count_ideas(connection)
        try:
            index = self.index.open()
        except SearchUnavailable:
            index = self.index.create()
        done = 0
        # One writer, replacing every segment at commit: searches keep the old generation until
        # then, and concurrent writers wait for the lock (then queue their ids). With several
        # processes, each analyses batches of documents and writes its own segment.
        options = {"limitmb": 256}
        if self.rebuild_procs > 1:
            options.update(procs=self.rebuild_procs, multisegment=True, batchsize=250,
                           subargs={"limitmb": 128})
        with self.index.writer(index, clear=True, **options) as writer:
            for document in load_documents(connection):
                writer.add_document(**document_fields(document))
                done += 1
                if progress and done % 500 == 0:
                    progress(done, total)
        if progress:
            progress(done, total)
        self.index.forget_searcher()
        return done

    def check(self, connection, fix: bool = False) -> DriftReport:
        from ideas.search import queue

        expected = {d.idea_id: d.fingerprint() for d in load_documents(connection)}
        try:
            indexed = self._indexed_fingerprints()
        except SearchUnavailable:
            indexed = None
        report = DriftReport(queued=queue.count(connection))
        if indexed is None:
            report.missing = sorted(expected)
        else:
            report.missing = sorted(expected.keys() - indexed.keys())
            report.orphans = sorted(indexed.keys() - expected.keys())
            report.stale = sorted(i for i in expected.keys() & indexed.keys()
                                  if expected[i] != indexed[i])
        if fix and (report.has_drift or indexed is None):
            if indexed is None:
                self.rebuild(connection)
            else:
                self.index_ideas(connection, [*report.missing, *report.stale, *report.orphans])
            queue.clear(connection)
            report.fixed = True
        return report

    def _indexed_fingerprints(self) -> dict[int, str]:
        searcher = self.index.searcher()
        try:
            return {int(f["id"]): f["fingerprint"] for f in searcher.all_stored_fields()}
        except Exception as error:
            self.index.forget_searcher()
            raise SearchUnavailable(f"search index unreadable: {error!r}") from error

    def is_available(self) -> bool:
        try:
            self.index.searcher()
        except SearchUnavailable:
            return False
        return True

    def warm(self) -> None:
        """Facet postings, sort columns and the fields' lengths (a worker's first searches
        took 0.2–0.3 s more to read them); terms' postings stay read on first use."""
        with self._reading() as searcher:
            generation = self._generation(searcher)
            generation.warm(POSTING_FIELDS, [column for columns in SORT_COLUMNS.values()
                                             for column, _reverse in columns], FIELD_BOOSTS)

    # -- reads ---------------------------------------------------------------------------
    def search(self, text: str, *, allowed_community_ids: Iterable[int],
               moderated_community_ids: Iterable[int] = (),
               filters: SearchFilters = NO_FILTERS, sort: str = "relevance",
               page: int = 1, per_page: int = 20) -> SearchResults:
        page = min(max(1, page), MAX_PAGE)
        per_page = min(max(1, per_page), MAX_PER_PAGE)
        empty = SearchResults([], 0, page, per_page)
        with self._reading() as searcher:
            visible = self._visible(searcher, allowed_community_ids, filters,
                                    moderated_community_ids)
            parsed = parse(text)
            if parsed.is_empty:
                if clean_text(text):  # only stop words or symbols: nothing to look for
                    return empty
                query, sort = wq.Every(), (sort if sort != "relevance" else "newest")
            else:
                query = self._build(parsed)
                if query is None:
                    return empty
            results = self._run(searcher, query, visible, sort, page, per_page)
            if results.total == 0 and not parsed.is_empty:
                corrected = self._correct(searcher, parsed)
                if corrected is not None and (query := self._build(corrected)) is not None:
                    results = self._run(searcher, query, visible, sort, page, per_page)
                    if results.total:
                        results.corrected_query = corrected.to_text()
            return results

    def suggest(self, text: str, *, allowed_community_ids: Iterable[int],
                moderated_community_ids: Iterable[int] = (),
                limit: int = SUGGEST_LIMIT) -> list[Hit]:
        cleaned = clean_text(text, 200)
        words = parse(cleaned).words()
        if not words:
            return []
        typing_last = cleaned[-1:].isalnum()
        parts = [self._word(w) for w in (words[:-1] if typing_last else words)]
        prefix = french.fold(french.strip_elision(words[-1])) if typing_last else ""
        if typing_last:
            whole = self._word(words[-1])
            alternatives = [q for q in (whole,) if q is not None]
            if len(prefix) >= PREFIX_MIN_LETTERS:
                alternatives.append(wq.Prefix("spell", prefix, boost=2.0))
            parts.append(wq.Or(alternatives) if alternatives else None)
        parts = [part for part in parts if part is not None]
        if not parts:
            return []
        with self._reading() as searcher:
            visible = self._visible(searcher, allowed_community_ids, NO_FILTERS,
                                    moderated_community_ids)
            if not visible:
                return []
            results = self._top(searcher, wq.And(parts), visible, limit)
            return [self._hit(results, hit, excerpt=False) for hit in results]

    def similar(self, title: str, body: str = "", *, allowed_community_ids: Iterable[int],
                moderated_community_ids: Iterable[int] = (),
                exclude_idea_id: int | None = None, limit: int = SIMILAR_LIMIT) -> list[Hit]:
        text = clean_text(f"{title}\n{body}", 5000)
        if not text:
            return []
        with self._reading() as searcher:
            visible = self._visible(searcher, allowed_community_ids, NO_FILTERS,
                                    moderated_community_ids)
            if exclude_idea_id is not None:
                docnum = searcher.document_number(id=str(exclude_idea_id))
                if docnum is not None:
                    visible &= ~(1 << docnum)
            if not visible or not searcher.doc_count():
                return []
            terms = dict(searcher.key_terms_from_text("body", text, numterms=SIMILAR_TERMS))
            for token in self._analyzer(clean_text(title, 300)):  # the title's words count most
                terms[token.text] = max(terms.get(token.text, 0.0), 1.0)
            if not terms:
                return []
            query = wq.Or([wq.Term(field, term, boost=weight * boost)
                           for term, weight in terms.items()
                           for field, boost in SIMILAR_FIELDS.items()])
            results = self._top(searcher, query, visible, limit)
            return [self._hit(results, hit) for hit in results]

    # -- internals -----------------------------------------------------------------------
    def _reading(self):
        backend = self

        class _Reading:
            def __enter__(self):
                self.searcher = backend.index.searcher()
                return self.searcher

            def __exit__(self, kind, error, _tb):
                if error is not None and not isinstance(error, SearchUnavailable):
                    backend.index.forget_searcher()
                    log.exception("search failed", exc_info=error)
                    raise SearchUnavailable(f"search index unreadable: {error!r}") from error
                return False

        return _Reading()

    def _generation(self, searcher) -> docsets.Generation:
        return docsets.generation(searcher, str(self.index.directory))

    def _visible(self, searcher, allowed_community_ids, filters: SearchFilters,
                 moderated_community_ids=()) -> int:
        """The documents the caller may find, narrowed by the facet choices (a bitset);
        remembered per generation of the index and set of communities."""
        generation = self._generation(searcher)
        key = (tuple(sorted(set(allowed_community_ids))),
               tuple(sorted(set(moderated_community_ids))), filters)
        visible = generation.visible.get(key)
        if visible is None:
            postings = generation.facets(POSTING_FIELDS)
            visible = _union(postings["community"], allowed_community_ids)
            visible &= ~_union(postings["status"], HIDDEN_STATUSES)
            hidden = postings["hidden"].get("1", 0) & ~_union(postings["community"],
                                                              moderated_community_ids)
            visible &= ~hidden
            for facet, values in filters.as_dict().items():
                if values:
                    visible &= _union(postings[facet], values)
            generation.visible[key] = visible
            if len(generation.visible) > docsets.VISIBLE_ENTRIES:
                generation.visible.popitem(last=False)
        return visible

    def _run(self, searcher, query, visible: int, sort: str, page: int,
             per_page: int) -> SearchResults:
        results = SearchResults([], 0, page, per_page)
        if not visible:
            return results
        generation = self._generation(searcher)
        matched = generation.docs(query) & visible
        results.total = matched.bit_count()
        postings = generation.facets(POSTING_FIELDS)
        results.facets = {facet: _counts(postings[facet], matched) for facet in FACET_FIELDS}
        if not matched or (page - 1) * per_page >= results.total:
            return results
        found = self._top(searcher, query, matched, page * per_page, sort, matched=True)
        results.hits = [self._hit(found, hit, scored=sort not in SORTS)
                        for hit in found[(page - 1) * per_page:]]
        return results

    def _top(self, searcher, query, visible: int, limit: int, sort: str = "relevance",
             matched: bool = False):
        """Whoosh Results holding the `limit` first of the visible documents the query
        matches: ranked from the cached postings when the query is made of terms, by Whoosh
        otherwise (phrases, prefixes), sorted from the cached columns."""
        generation = self._generation(searcher)
        if not matched:
            visible &= generation.docs(query)
        if sort in SORT_COLUMNS:
            top = generation.sorted_top(visible, SORT_COLUMNS[sort], limit)
        else:
            top = generation.top(query, visible, limit)
        if top is None:
            return searcher.search(query, filter=docsets.Bits(visible), limit=limit)
        return Results(searcher, query, top)

    def _hit(self, results, hit, excerpt: bool = True, scored: bool = True) -> Hit:
        results.formatter = MarkFormatter()
        results.fragmenter = title_fragmenter()
        title = hit.highlights("title", minscore=0) or str(plain_excerpt(hit["title"], 10**6))
        body_html = ""
        if excerpt:
            results.fragmenter = excerpt_fragmenter()
            body_html = hit.highlights("body", top=2) or str(plain_excerpt(hit["body"]))
        score = float(hit.score or 0.0) if scored else 0.0  # sorted: the score is a sort key
        return Hit(int(hit["id"]), trusted(title), trusted(body_html), score)

    def _tokens(self, text: str) -> list[str]:
        return [token.text for token in self._analyzer(text)]

    def _word(self, word: str):
        tokens = self._tokens(word)
        if not tokens:
            return None
        if len(tokens) == 1:
            return wq.Or([wq.Term(f, tokens[0], boost=b) for f, b in FIELD_BOOSTS.items()])
        return self._phrase(tokens)

    def _phrase(self, tokens: list[str]):
        return wq.Or([wq.Phrase(f, tokens, boost=FIELD_BOOSTS[f]) for f in PHRASE_FIELDS])

    def _item(self, item: Item):
        if isinstance(item, Phrase):
            tokens = self._tokens(" ".join(item.words))
            if len(tokens) > 1:
                return self._phrase(tokens)
            return self._word(tokens[0]) if tokens else None
        return self._word(item.text)

    def _build(self, parsed: ParsedQuery):
        groups = []
        for group in parsed.required:
            items = [q for q in (self._item(item) for item in group) if q is not None]
            if items:  # a group of stop words only is simply ignored
                groups.append(wq.Or(items) if len(items) > 1 else items[0])
        if not groups:
            return None
        query = wq.And(groups) if len(groups) > 1 else groups[0]
        excluded = [q for q in (self._item(item) for item in parsed.excluded) if q is not None]
        return wq.AndNot(query, wq.Or(excluded)) if excluded else query

    def _correct(self, searcher, parsed: ParsedQuery) -> ParsedQuery | None:
        """One-letter typos in words of 5+ letters absent from the index ("Did you mean …")."""
        corrector = searcher.corrector("spell")
        reader = searcher.reader()
        corrections = {}
        for word in parsed.words():
            folded = french.fold(french.strip_elision(word))
            if len(folded) < CORRECTION_MIN_LETTERS or reader.doc_frequency("spell", folded):
                continue
            # Whoosh's automaton counts a swap of two letters as 2 edits: take distance-2
            # candidates and keep those one Damerau edit away (enregie → energie).
            for candidate in corrector.suggest(folded, limit=5, maxdist=2, prefix=1):
                if damerau_levenshtein(folded, candidate) <= 1:
                    corrections[word] = candidate
                    break
        return parsed.replace_words(corrections) if corrections else None


def _union(values: dict[str, int], keys: Iterable) -> int:
    found = 0
    for key in keys:
        found |= values.get(str(key), 0)
    return found


def _counts(values: dict[str, int], matched: int) -> dict:
    """Exact counts: each value's documents intersected with the matched ones (bitsets)."""
    counts = {}
    for value, docnums in values.items():
        count = (matched & docnums).bit_count()
        if count:
            counts[value if not value.isdigit() else int(value)] = count
    return counts
