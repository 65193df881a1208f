"""The Whoosh index on disk: schema, opening, safe writers, cached searchers, facet postings.

Faults become SearchUnavailable, never a crash: files are read without mmap (a truncated,
mmapped segment would kill the worker with SIGBUS instead of raising), a missing, truncated or
unreadable index raises on open, and a writer that cannot get the lock within LOCK_TIMEOUT
(another process is writing) retries, then gives up so the caller queues the ids.
"""

import logging
import threading
import time
from contextlib import contextmanager, suppress
from pathlib import Path

from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.util.filelock import try_for
from whoosh.writing import CLEAR

from ideas.search.analysis import french_analyzer, words_analyzer
from ideas.search.documents import IdeaDocument
from ideas.search.engine import SearchUnavailable

log = logging.getLogger(__name__)

LOCK_TIMEOUT = 5.0  # seconds per attempt; a commit of a few documents takes milliseconds
LOCK_ATTEMPTS = 3
FACET_FIELDS = {"community": "community_id", "theme": "theme_ids", "status": "status",
                "territory": "territory_id", "sdg": "sdgs", "year": "year"}
# Postings kept per index generation: the facets, and the hidden flag (visibility only).
POSTING_FIELDS = {**FACET_FIELDS, "hidden": "hidden"}


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
    )


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
            return self._storage().open_index(schema=self.schema)
        except Exception as error:
            raise SearchUnavailable(f"search index unreadable: {error!r}") from error

    def create(self):
        """A new, empty index (replaces whatever is in the directory)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self.forget_searcher()
        return self._storage().create_index(self.schema)

    # -- writing -------------------------------------------------------------------------
    @contextmanager
    def writer(self, index=None, clear: bool = False, **options):
        """A writer holding the index lock; retried while another process writes. Commits on a
        clean exit (replacing every existing segment when `clear`), cancels on an error.

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
                writer.commit(mergetype=CLEAR) if clear else writer.commit()
            except Exception as error:
                _cancel_quietly(writer)
                raise SearchUnavailable(f"search index commit failed: {error!r}") from error
        finally:
            with suppress(Exception):
                lock.release()

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
            self._local.facets = None
        return cached

    def forget_searcher(self) -> None:
        cached = getattr(self._local, "searcher", None)
        self._local.searcher = None
        self._local.facets = None
        if cached is not None:
            with suppress(Exception):  # closing a broken searcher may fail too
                cached.close()

    def facet_postings(self, searcher) -> dict[str, dict[str, frozenset[int]]]:
        """facet → value → document numbers, built once per index generation: counting a
        facet is then set intersections in C instead of a Python loop per matched document."""
        if getattr(self._local, "facets", None) is None:
            started = time.perf_counter()
            reader = searcher.reader()
            postings = {}
            for facet, fieldname in POSTING_FIELDS.items():
                values = {}
                for value in reader.field_terms(fieldname):
                    values[value] = frozenset(
                        reader.postings(fieldname, value.encode()).all_ids())
                postings[facet] = values
            self._local.facets = postings
            log.debug("facet postings built in %.3fs", time.perf_counter() - started)
        return self._local.facets


def _cancel_quietly(writer) -> None:
    with suppress(Exception):  # the lock is released with the process anyway
        writer.cancel()
