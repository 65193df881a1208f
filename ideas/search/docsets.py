"""Whoosh reads at 100,000 ideas: document sets as bitsets, cached per segment, and top-k
ranking from cached postings instead of Whoosh's per-document matchers.

A set of documents is a Python int whose bit n is document number n: union, intersection and
counting (`int.bit_count`) run in C over 12.5 kB for 100,000 documents, where sets of ints cost
a hash lookup per document and ~60 bytes each.

What a *segment* holds never changes but for deletions (Whoosh updates a document by deleting
it and adding it to a new segment), so a term's documents, its postings for scoring, a facet
value's documents and the sort columns are read once per segment and cached for the process;
every generation of the index (a searcher) masks them with its live documents. Scores are
computed at query time from the term frequencies and field lengths read once, with the
collection statistics (idf, average length) of the current generation: the same BM25F as
Whoosh's, summed the same way (And and Or add their children's scores, a boost multiplies).
"""

import heapq
import threading
import weakref
from array import array
from collections import OrderedDict
from itertools import accumulate, islice
from operator import neg

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.idsets import DocIdSet
from whoosh.scoring import bm25
from whoosh.util.numeric import byte_to_length

from ideas.search.analysis import PAIR_SEPARATOR
from ideas.search.whoosh_index import PAIR_FIELDS

SEGMENT_ENTRIES = 4096  # cached term/phrase sets and postings, all segments together
SEGMENT_BYTES = 48 * 2**20  # … and their size (a worker must stay under 250 MB)
VISIBLE_ENTRIES = 64  # visibility sets per generation (one per set of readable communities)
SCORED_ENTRIES = 512  # terms' scores per generation
SCORED_BYTES = 32 * 2**20
PREFIX_WORDS = 32  # words a prefix is scored as, at most
_LENGTHS = [byte_to_length(byte) for byte in range(256)]
_BYTE_BITS = [tuple(i for i in range(8) if byte >> i & 1) for byte in range(256)]


# -- Bitsets -------------------------------------------------------------------------------

def from_docnums(docnums) -> int:
    docnums = list(docnums)
    if not docnums:
        return 0
    data = bytearray(max(docnums) // 8 + 1)
    for docnum in docnums:
        data[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(data, "little")


def docnums(bits: int):
    """The document numbers of a bitset, in ascending order."""
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    table = _BYTE_BITS
    for index, byte in enumerate(data):
        if byte:
            base = index << 3
            for bit in table[byte]:
                yield base + bit


class Bits(DocIdSet):
    """A bitset as Whoosh's filters take it (membership, size, iteration)."""

    def __init__(self, bits: int):
        self.bits = bits
        self._bytes = bits.to_bytes((bits.bit_length() + 7) // 8, "little")

    def __contains__(self, docnum) -> bool:
        index = docnum >> 3
        return index < len(self._bytes) and bool(self._bytes[index] >> (docnum & 7) & 1)

    def __len__(self) -> int:
        return self.bits.bit_count()

    def __bool__(self) -> bool:
        return bool(self.bits)

    def __iter__(self):
        return docnums(self.bits)


# -- Per-segment cache (shared by the threads of a process) -----------------------------------

class _SegmentCache:
    """Least recently used first out, within a number of entries and of bytes."""

    def __init__(self, size: int, max_bytes: int):
        self.size, self.max_bytes, self.bytes = size, max_bytes, 0
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, compute):
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
                return found[0]
        value = compute()
        cost = _size(value)
        with self.lock:
            if key not in self.entries:
                self.entries[key] = (value, cost)
                self.bytes += cost
            while len(self.entries) > 1 and (len(self.entries) > self.size
                                             or self.bytes > self.max_bytes):
                _key, (_value, freed) = self.entries.popitem(last=False)
                self.bytes -= freed
        return value


def _size(value) -> int:
    if isinstance(value, int):
        return value.bit_length() // 8 + 64
    if isinstance(value, array):
        return len(value) * value.itemsize + 64
    if isinstance(value, tuple | list):
        return sum(_size(item) for item in value) + 64
    return len(value) + 64 if isinstance(value, bytes) else 64


_SEGMENTS = _SegmentCache(SEGMENT_ENTRIES, SEGMENT_BYTES)
_FACETS: dict = {}  # (directory, segment id) → facet postings; a few segments, small
_FACETS_LOCK = threading.Lock()


def _segment_key(reader):
    segment = reader.segment() if hasattr(reader, "segment") else None
    return segment.segment_id() if segment is not None else None


class Generation:
    """What one searcher (one generation of the index) reads, cached on top of the segments."""

    def __init__(self, searcher, directory):
        self._searcher = weakref.ref(searcher)  # the cache must not keep its key alive
        self.directory = directory
        self._segments = []  # each leaf's segment key (None: not cacheable)
        live = 0
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            self._segments.append(_segment_key(reader))
            count = reader.doc_count_all()
            bits = (1 << count) - 1
            if reader.has_deletions():
                deleted = getattr(reader, "deleted_docs_set", None)  # SegmentReader's
                if deleted is None:
                    deleted = [d for d in range(count) if reader.is_deleted(d)]
                bits &= ~from_docnums(deleted)
            live |= bits << offset
        self.live = live
        self.size = searcher.doc_count_all()
        self._facets = None
        self.visible: OrderedDict = OrderedDict()
        self._stats: dict = {}
        self._stats_bytes = 0

    @property
    def searcher(self):
        return self._searcher()

    @property
    def leaves(self):
        """(leaf searcher, document offset, segment key), read from the searcher each time:
        a single-segment searcher is its own leaf, and this cache must not hold it."""
        return [(leaf, offset, segment) for (leaf, offset), segment
                in zip(self.searcher.leaf_searchers(), self._segments, strict=True)]

    # -- per segment, cached --
    def _per_segment(self, kind, key, compute) -> int:
        """OR of the segments' sets, each read once per segment."""
        found = 0
        for leaf, offset, segment in self.leaves:
            if segment is None:
                bits = compute(leaf)
            else:
                bits = _SEGMENTS.get((self.directory, segment, kind, key),
                                     lambda leaf=leaf: compute(leaf))
            found |= bits << offset
        return found & self.live

    def term(self, fieldname: str, text: str) -> int:
        def read(leaf):  # the postings are cached for scoring too
            segment = _segment_key(leaf.reader())
            return from_docnums(self._postings(leaf, segment, fieldname, text)[0])

        return self._per_segment("term", (fieldname, text), read)

    def prefix(self, fieldname: str, prefix: str) -> int:
        def read(leaf):
            reader = leaf.reader()
            found = 0
            for text in reader.expand_prefix(fieldname, prefix):
                found |= from_docnums(_read_postings(reader, fieldname, text)[0])
            return found

        return self._per_segment("prefix", (fieldname, prefix), read)

    def phrase(self, query: wq.Phrase) -> int:
        """A phrase's documents from its pairs of adjacent words (indexed as terms): exact for
        two words; longer phrases also need their positions, which Whoosh checks on the
        documents holding every pair only, once per segment and phrase."""
        pairs_field = PAIR_FIELDS.get(query.fieldname)
        if pairs_field is None or query.slop != 1:
            def read(leaf):
                return from_docnums(query.docs(leaf))
        else:
            pairs = [wq.Term(pairs_field, PAIR_SEPARATOR.join(query.words[n:n + 2]))
                     for n in range(len(query.words) - 1)]
            found = self.live
            for pair in pairs:
                found &= self.term(pair.fieldname, pair.text)
            if len(query.words) <= 2 or not found:
                return found

            def read(leaf):
                return from_docnums(wq.And([*pairs, query]).docs(leaf))

        return self._per_segment("phrase", (query.fieldname, tuple(query.words), query.slop),
                                 read)

    def facets(self, fields: dict[str, str]) -> dict[str, dict[str, int]]:
        """facet → value → documents, for these indexed (not analysed) fields."""
        if self._facets is None:
            merged: dict[str, dict[str, int]] = {name: {} for name in fields}
            for leaf, offset, segment in self.leaves:
                for name, values in self._segment_facets(leaf.reader(), segment,
                                                         fields).items():
                    target = merged[name]
                    for value, bits in values.items():
                        target[value] = target.get(value, 0) | bits << offset
            self._facets = {name: {value: bits & self.live for value, bits in values.items()}
                            for name, values in merged.items()}
        return self._facets

    def _segment_facets(self, reader, segment, fields):
        key = (self.directory, segment, tuple(fields.items()))
        cached = _FACETS.get(key) if segment else None
        if cached is None:
            cached = {name: {value: from_docnums(_read_postings(reader, field, value)[0])
                             for value in reader.field_terms(field)}
                      for name, field in fields.items()}
            if segment:
                with _FACETS_LOCK:
                    if len(_FACETS) > 64:  # segments merged away long ago
                        _FACETS.clear()
                    _FACETS[key] = cached
        return cached

    def warm(self, facet_fields: dict[str, str], columns: list[str], text_fields) -> None:
        """Read the per-segment data every search uses (facets, sort columns, lengths)."""
        self.facets(facet_fields)
        for name in columns:
            self._column(name)
        for leaf, _offset, segment in self.leaves:
            for fieldname in text_fields:
                self._lengths(leaf.reader(), segment, fieldname)

    # -- query → documents --
    def docs(self, query) -> int:
        """The documents a query built by WhooshBackend matches (deleted ones excluded)."""
        if isinstance(query, wq.Term):
            return self.term(query.fieldname, query.text)
        if isinstance(query, wq.Or):
            found = 0
            for sub in query.subqueries:
                found |= self.docs(sub)
            return found
        if isinstance(query, wq.And):
            found = self.live
            for sub in query.subqueries:
                found &= self.docs(sub)
                if not found:
                    break
            return found
        if isinstance(query, wq.AndNot):
            return self.docs(query.a) & ~self.docs(query.b)
        if isinstance(query, wq.Phrase):
            return self.phrase(query)
        if isinstance(query, wq.Prefix):
            return self.prefix(query.fieldname, query.text)
        if isinstance(query, wq.Every):
            return self.live
        return from_docnums(self.searcher.docs_for_query(query))

    # -- ranking --
    def _postings(self, leaf, segment, fieldname, text):
        """(document numbers, term frequencies, field lengths) of a term in one segment."""
        def read():
            reader = leaf.reader()
            ids, weights = _read_postings(reader, fieldname, text)
            if not ids:
                return ids, weights, array("I")
            stored = self._lengths(reader, segment, fieldname)
            if stored is None:
                length = reader.doc_field_length
                return ids, weights, array("I", (length(d, fieldname, 0) or 0 for d in ids))
            return ids, weights, array("I", (_LENGTHS[stored[d]] for d in ids))

        if segment is None:
            return read()
        return _SEGMENTS.get((self.directory, segment, "postings", (fieldname, text)), read)

    def _lengths(self, reader, segment, fieldname) -> bytes | None:
        """The segment's encoded field lengths (one byte a document), or None."""
        def read():
            column = _length_column(reader, fieldname)
            if column is None:
                return b""
            count = reader.doc_count_all()
            try:  # the column's bytes as stored (one a document), not a call per document
                data = column._dbfile.get(column._basepos, column._count)
            except AttributeError:
                return bytes(column[d] for d in range(count))
            return bytes(data[:count]).ljust(count, b"\0")

        found = read() if segment is None else _SEGMENTS.get(
            (self.directory, segment, "lengths", fieldname), read)
        return found or None

    def _scored(self, fieldname, text, boost):
        """[(global document numbers, scores)] per segment for one term, with this
        generation's statistics; remembered for the generation."""
        key = ("scored", fieldname, text, boost)
        cached = self._stats.get(key)
        if cached is None:
            searcher, weighting = self.searcher, self.searcher.weighting
            idf = searcher.idf(fieldname, text)
            avgfl = searcher.avg_field_length(fieldname) or 1
            b = weighting._field_B.get(fieldname, weighting.B)
            memo = {}
            cached = []
            for leaf, offset, segment in self.leaves:
                ids, weights, lengths = self._postings(leaf, segment, fieldname, text)
                if not ids:
                    continue
                values = array("d")
                for pair in zip(weights, lengths, strict=True):
                    value = memo.get(pair)
                    if value is None:
                        value = memo[pair] = bm25(idf, pair[0], pair[1], avgfl, b,
                                                  weighting.K1) * boost
                    values.append(value)
                cached.append((array("I", map(offset.__add__, ids)) if offset else ids,
                               values))
            self._stats_bytes += _size(cached)
            if len(self._stats) > SCORED_ENTRIES or self._stats_bytes > SCORED_BYTES:
                self._stats.clear()
                self._stats_bytes = _size(cached)
            self._stats[key] = cached
        return cached

    def top(self, query, matched: int, limit: int) -> list[tuple[float, int]] | None:
        """The `limit` best (score, document) of `matched` for a query of terms, ranked by
        Whoosh's BM25F (ties: lower document number first); None when the query holds
        something else (phrases, prefixes: Whoosh ranks those)."""
        terms = _scored_terms(query, self.searcher.reader())
        if terms is None or not matched or limit <= 0:
            return None if terms is None else []
        width = self.size // 8 + 1
        masks = {None: matched.to_bytes(width, "little")}
        scores: dict[int, float] = {}
        get = scores.get
        for fieldname, text, boost, within in terms:
            if isinstance(text, wq.Prefix):  # a prefix of many words: constant score
                for docnum in docnums(self.docs(text) & matched):
                    scores[docnum] = get(docnum, 0.0) + boost
                continue
            allowed = masks.get(within)
            if allowed is None:  # a phrase's words score where the phrase is
                allowed = masks[within] = (self.docs(within) & matched).to_bytes(width,
                                                                                 "little")
            for ids, values in self._scored(fieldname, text, boost):
                for docnum, value in zip(ids, values, strict=True):
                    if allowed[docnum >> 3] >> (docnum & 7) & 1:
                        scores[docnum] = get(docnum, 0.0) + value
        best = heapq.nlargest(limit, zip(scores.values(), map(neg, scores.keys()), strict=True))
        return [(score, -negated) for score, negated in best]

    def sorted_top(self, matched: int, columns: list[tuple[str, bool]],
                   limit: int) -> list[tuple[float, int]]:
        """The first `limit` of `matched` by sort columns (each (name, reverse)); ties: lower
        document number first, as Whoosh's sorted search."""
        docs = list(docnums(matched))
        keys = [map((self._column(name) if reverse else self._negated(name)).__getitem__, docs)
                for name, reverse in columns]
        best = heapq.nlargest(limit, zip(*keys, map(neg, docs), strict=True))
        return [(0.0, -key[-1]) for key in best]

    def _negated(self, name: str) -> array:
        key = ("negated", name)
        if key not in self._stats:
            self._stats[key] = array("q", map(neg, self._column(name)))
        return self._stats[key]

    def _column(self, name: str) -> array:
        """A numeric column's values for every document of this generation."""
        cached = self._stats.get(("column", name))
        if cached is None:
            cached = array("q")
            for leaf, _offset, segment in self.leaves:
                def read(leaf=leaf):
                    reader = leaf.reader()
                    if not reader.has_column(name):
                        return array("q", [0] * reader.doc_count_all())
                    return array("q", reader.column_reader(name, translate=False))

                part = read() if segment is None else _SEGMENTS.get(
                    (self.directory, segment, "column", name), read)
                cached.extend(part)
            self._stats[("column", name)] = cached
        return cached


def _scored_terms(query, reader) -> list[tuple] | None:
    """The (field, text, boost, within) whose scores add up to the query's, or None.

    A phrase scores as its words in that field, for the documents where the phrase is
    (`within`). A prefix (the word being typed in suggestions) counts as the words it
    completes, each scored; past PREFIX_WORDS of them, as a constant `boost` (its text is then
    the Prefix itself)."""
    if isinstance(query, wq.Term):
        return [(query.fieldname, query.text, query.boost, None)]
    if isinstance(query, wq.Phrase):
        return [(query.fieldname, word, query.boost, query) for word in query.words]
    if isinstance(query, wq.Prefix):
        words = list(islice(reader.expand_prefix(query.fieldname, query.text),
                            PREFIX_WORDS + 1))
        if len(words) > PREFIX_WORDS:
            return [(query.fieldname, query, query.boost, None)]
        return [(query.fieldname, word.decode() if isinstance(word, bytes) else word,
                 query.boost, None) for word in words]
    if isinstance(query, (wq.Or, wq.And)) and query.boost == 1.0:
        found = []
        for sub in query.subqueries:
            terms = _scored_terms(sub, reader)
            if terms is None:
                return None
            found.extend(terms)
        return found
    if isinstance(query, wq.AndNot) and query.boost == 1.0:
        return _scored_terms(query.a, reader)  # the excluded part never scores
    return None


def _read_postings(reader, fieldname: str, text: str) -> tuple[array, array]:
    """A term's (document numbers, weights) in one segment, a block at a time: Whoosh's own
    iteration costs a Python call per posting (a second for 100,000 of them). Documents
    deleted since may be in them: callers mask with the live documents."""
    ids, weights = array("I"), array("f")
    if (fieldname, text) not in reader:
        return ids, weights
    matcher = reader.postings(fieldname, text)
    matcher = getattr(matcher, "child", matcher)  # without the deletions filter
    if not isinstance(matcher, W3LeafMatcher):
        matcher = reader.postings(fieldname, text)
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return ids, weights
    while matcher.is_active():  # whoosh-reloaded 2.7.5 internals: pinned in pyproject
        if matcher._data is None:
            matcher._read_data()
        block_ids, block_weights = matcher._data[0], matcher._data[1]
        count = matcher._blocklength
        # Whoosh decodes these a Python call per posting: deltas summed, weights repeated.
        ids.extend(block_ids if matcher._byteids else accumulate(block_ids))
        if block_weights is None:
            weights.extend(array("f", [1.0]) * count)
        elif isinstance(block_weights, float):
            weights.extend(array("f", [block_weights]) * count)
        else:
            weights.extend(block_weights if getattr(block_weights, "typecode", "") == "f"
                           else list(block_weights))
        matcher._next_block()
    return ids, weights


def _length_column(reader, fieldname: str):
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is None or not hasattr(perdoc, "_cached_reader"):
        return None
    return perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)


_GENERATIONS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_GENERATIONS_LOCK = threading.Lock()


def generation(searcher, directory) -> Generation:
    """The cached sets of this searcher (computed on its first use)."""
    with _GENERATIONS_LOCK:
        found = _GENERATIONS.get(searcher)
    if found is None:
        found = Generation(searcher, directory)
        with _GENERATIONS_LOCK:
            _GENERATIONS[searcher] = found
    return found
