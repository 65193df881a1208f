"""The Whoosh index on disk: schema, opening, safe writers, cached searchers, facet postings.

Faults become SearchUnavailable, never a crash: files are read without mmap (a truncated,
mmapped segment would kill the worker with SIGBUS instead of raising), a missing, truncated or
unreadable index raises on open, and a writer that cannot get the lock within LOCK_TIMEOUT
(another process is writing) retries, then gives up so the caller queues the ids.
"""

import logging
import threading
from contextlib import contextmanager, suppress
from pathlib import Path

from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.reading import SegmentReader
from whoosh.util.filelock import try_for
from whoosh.writing import CLEAR

from ideas.search.analysis import french_analyzer, pairs_analyzer, words_analyzer
from ideas.search.documents import IdeaDocument
from ideas.search.engine import SearchUnavailable

log = logging.getLogger(__name__)

LOCK_TIMEOUT = 5.0  # seconds per attempt; a commit of a few documents takes milliseconds
LOCK_ATTEMPTS = 3
SMALL_SEGMENT_DOCS = 2000  # merged by the background writer (a rebuild writes big ones)
FACET_FIELDS = {"community": "community_id", "theme": "theme_ids", "status": "status",
                "territory": "territory_id", "sdg": "sdgs", "year": "year"}
# Postings kept per index generation: the facets, and the hidden flag (visibility only).
POSTING_FIELDS = {**FACET_FIELDS, "hidden": "hidden"}
# Each phrase field's pairs of adjacent words, as terms: a two-word phrase is one posting list
# read, where checking positions took seconds for common words ("l'Atelier Canopé": 89,000
# candidates).
PAIR_FIELDS = {"title": "title_pairs", "keywords": "keywords_pairs", "body": "body_pairs"}


def build_schema() -> Schema:
    """Filter and facet fields are indexed, not stored (facets count postings); dates and
    support counts are columns only, for sorting (a NUMERIC field would also index 16 range
    terms per value that nothing queries)."""
    french, words = french_analyzer(), words_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        fingerprint=STORED(),
        community_id=ID(),
        status=ID(),
        territory_id=ID(),
        theme_ids=KEYWORD(),
        sdgs=KEYWORD(),
        year=ID(),
        hidden=ID(),  # "1" when hidden by the moderation
        created_at=COLUMN(NumericColumn("q")),
        vote_count=COLUMN(NumericColumn("i")),
        title=TEXT(analyzer=french, stored=True),
        keywords=TEXT(analyzer=french),
        body=TEXT(analyzer=french, stored=True),
        comments=TEXT(analyzer=french, phrase=False),  # no positions: phrases look elsewhere
        # Unstemmed folded words of titles, tags, themes and community names: prefixes for
        # search-as-you-type, "Did you mean" corrections (bodies would double the indexing
        # time and bring every typo of every body into the corrections).
        spell=TEXT(analyzer=words, phrase=False),
        **{pairs: TEXT(analyzer=pairs_analyzer(), phrase=False)
           for pairs in PAIR_FIELDS.values()},
    )


def same_schema(stored: Schema, current: Schema) -> bool:
    """Schema equality that holds after pickling (Whoosh's compares column objects by
    identity): same fields, same types, same analyzers, same column types."""
    if stored.names() != current.names():
        return False
    for name in current.names():
        old, new = stored[name], current[name]
        if type(old) is not type(new) or getattr(old, "analyzer", None) != getattr(
                new, "analyzer", None) or getattr(old, "format", None).__class__ is not getattr(
                new, "format", None).__class__:
            return False
        old_column, new_column = old.column_type, new.column_type
        if type(old_column) is not type(new_column) or getattr(
                old_column, "_typecode", None) != getattr(new_column, "_typecode", None):
            return False
    return True


def document_fields(document: IdeaDocument) -> dict:
    fields = {
        "id": str(document.idea_id),
        "fingerprint": document.fingerprint(),
        "community_id": str(document.community_id),
        "status": document.status,
        "theme_ids": " ".join(str(t) for t in document.theme_ids),
        "sdgs": " ".join(str(s) for s in document.sdgs),
        "year": str(document.year),
        "hidden": "1" if document.is_hidden else "0",
        # Microseconds: ideas posted within the same second still sort by age.
        "created_at": int(document.created_at.timestamp() * 1_000_000),
        "vote_count": document.vote_count,
        "title": document.title,
        "keywords": document.keywords,
        "body": document.body,
        "comments": document.comments,
        "spell": f"{document.title} {document.keywords}",
    }
    for field, pairs in PAIR_FIELDS.items():
        fields[pairs] = fields[field]
    if document.territory_id is not None:
        fields["territory_id"] = str(document.territory_id)
    return fields


class WhooshIndex:
    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.schema = build_schema()
        self._local = threading.local()

    # -- opening -------------------------------------------------------------------------
    def _storage(self) -> FileStorage:
        return FileStorage(str(self.directory), supports_mmap=False)

    def exists(self) -> bool:
        try:
            return self.directory.is_dir() and self._storage().index_exists()
        except Exception:
            return False

    def open(self):
        if not self.directory.is_dir():
            raise SearchUnavailable(f"search index missing: {self.directory}")
        try:
            index = self._storage().open_index()  # its own pickled schema, not ours
        except Exception as error:
            raise SearchUnavailable(f"search index unreadable: {error!r}") from error
        if not same_schema(index.schema, self.schema):
            # Built by another version (fields or French analysis changed): answering from it
            # would be wrong, and its writers could not even load it. `search rebuild`.
            raise SearchUnavailable("search index built with another schema: rebuild it")
        return index

    def create(self):
        """A new, empty index (replaces whatever is in the directory)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self.forget_searcher()
        return self._storage().create_index(self.schema)

    # -- writing -------------------------------------------------------------------------
    @contextmanager
    def writer(self, index=None, clear: bool = False, merge: bool = True, mergetype=None,
               **options):
        """A writer holding the index lock; retried while another process writes. Commits on a
        clean exit (replacing every existing segment when `clear`; leaving the existing ones
        as they are when not `merge`: a request's write, the background writer merges),
        cancels on an error.

        We take the lock ourselves (and open the writer with `_lk=False`): when Whoosh takes it
        and then fails to create its files (a read-only directory), it never releases it, and
        every later write of this process would wait for a lock it holds itself."""
        index = index or self.open()
        lock = index.lock("WRITELOCK")
        self._acquire(lock)
        try:
            try:
                writer = index.writer(_lk=False, **options)
            except Exception as error:
                raise SearchUnavailable(f"search index not writable: {error!r}") from error
            try:
                yield writer
            except BaseException:
                _cancel_quietly(writer)
                raise
            try:
                writer.commit(mergetype=CLEAR if clear else mergetype, merge=merge)
            except Exception as error:
                _cancel_quietly(writer)
                raise SearchUnavailable(f"search index commit failed: {error!r}") from error
        finally:
            with suppress(Exception):
                lock.release()

    def merge_small_segments(self, most: int) -> bool:
        """When there are more than `most` small segments, merge them into one (a commit
        without documents). Every request's write adds a segment; Whoosh's own policy would
        merge only the five smallest, so again a few writes later."""
        index = self.open()
        segments = index._segments()  # the table of contents only, no segment opened
        if len(_small(segments)) <= most:
            return False
        with self.writer(index, mergetype=_merge_small):
            pass
        return True

    @staticmethod
    def _acquire(lock) -> None:
        for attempt in range(LOCK_ATTEMPTS):
            try:
                if try_for(lock.acquire, timeout=LOCK_TIMEOUT, delay=0.02):
                    return
            except OSError as error:  # read-only directory without a lock file, deleted…
                raise SearchUnavailable(f"search index not writable: {error!r}") from error
            log.info("search index locked by another writer (attempt %s)", attempt + 1)
        raise SearchUnavailable("search index locked by another writer")

    # -- reading -------------------------------------------------------------------------
    def searcher(self):
        """This thread's searcher, refreshed when another writer committed."""
        cached = getattr(self._local, "searcher", None)
        try:
            if cached is not None and not cached.up_to_date():
                # Not searcher.refresh(): it reuses the segment readers it already has, with
                # their old deletion lists, so an updated document would show up twice.
                self.forget_searcher()
                cached = None
            if cached is None:
                cached = self.open().searcher()
        except SearchUnavailable:
            self.forget_searcher()
            raise
        except Exception as error:
            self.forget_searcher()
            raise SearchUnavailable(f"search index unreadable: {error!r}") from error
        if cached is not getattr(self._local, "searcher", None):
            self._local.searcher = cached
        return cached

    def forget_searcher(self) -> None:
        cached = getattr(self._local, "searcher", None)
        self._local.searcher = None
        if cached is not None:
            with suppress(Exception):  # closing a broken searcher may fail too
                cached.close()


def _small(segments) -> list:
    """The segments under SMALL_SEGMENT_DOCS documents, but for the largest of all: on a
    small site the whole index is under it, and rewriting it at every merge cost 0.7 s of
    CPU at 300 ideas, holding the lock the requests' writes wait for."""
    largest = max(segments, key=lambda segment: segment.doc_count_all(), default=None)
    return [segment for segment in segments
            if segment is not largest and segment.doc_count_all() < SMALL_SEGMENT_DOCS]


def _merge_small(writer, segments):
    """Whoosh merge policy: the small segments (`_small`) become one."""
    small = _small(segments)
    if len(small) < 2:
        return segments
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in small]


def _cancel_quietly(writer) -> None:
    with suppress(Exception):  # the lock is released with the process anyway
        writer.cancel()
