"""PostgreSQL full-text backend, for deployments with several app servers on one database.

Documents live in `search_documents` (a weighted tsvector: title A, tags/themes/community B,
body C, comments D; GIN index) and are rewritten inside the very transaction that changes an
idea (`update_in_transaction`, from the before-commit hook): the index can be neither ahead of
nor behind the rows it describes. Filters, facets and sorts read the live `ideas` rows.

Query words are expanded into their French variants (`french.variants`: plural/singular, the
word families the stemmer leaves apart), each fed to websearch_to_tsquery and combined with
tsquery operators (`postgres_sql.tsquery_sql`). ts_rank_cd ranks, ts_headline highlights text
escaped first.

"Similar ideas": an OR of the lexemes of the typed title (all) and body (the most frequent),
ranked by ts_rank. It uses the same French analysis and GIN index as search and finds ideas
that share words in any field; trigram similarity would only compare the spelling of titles and
miss the same idea worded differently. pg_trgm serves the typo fallback ("Did you mean"), on a
vocabulary of the words of titles, tags, themes and community names (`search_words`).
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import escape
from sqlalchemy import text
from whoosh.support.levenshtein import damerau_levenshtein

from ideas.extensions import db
from ideas.search import french, queue
from ideas.search import postgres_sql as sql
from ideas.search.documents import IdeaDocument, count_ideas, load_documents
from ideas.search.engine import (
    FACETS,
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
)
from ideas.search.highlight import plain_excerpt, trusted
from ideas.search.query import ParsedQuery, Word, clean_text, parse

log = logging.getLogger(__name__)

SIMILAR_BODY_TERMS = 12
CORRECTION_MIN_LETTERS = 5
WRITE_BATCH = 500
NO_FILTERS = SearchFilters()
WORK_MEM_SET = "search_work_mem"  # session.info: the transaction whose work_mem was raised


@dataclass(frozen=True)
class Scope:
    """What the user may find: readable communities, moderated ones (hidden ideas too), and
    the facet filters they chose."""

    allowed: tuple[int, ...]
    moderated: tuple[int, ...] = ()
    filters: SearchFilters = NO_FILTERS

    @classmethod
    def of(cls, allowed, moderated=(), filters=None) -> "Scope":
        return cls(tuple(sorted({int(c) for c in allowed})),
                   tuple(sorted({int(c) for c in moderated})), filters or NO_FILTERS)


def _document_row(document: IdeaDocument) -> dict:
    row = {"idea_id": document.idea_id, "fingerprint": document.fingerprint(counts=False),
           "title": _no_nul(document.title), "body": _no_nul(document.body)}
    for name, value in (("title", document.title), ("keywords", document.keywords),
                        ("body", document.body), ("comments", document.comments)):
        row[f"{name}_escaped"] = str(escape(_no_nul(value)))
    return row


def _vocabulary(documents: list[IdeaDocument]) -> list[str]:
    words = set()
    for document in documents:
        text = french.fold(f"{document.title} {document.keywords}")
        words.update(w for w in french.WORD_RE.findall(text)
                     if CORRECTION_MIN_LETTERS <= len(w) <= 60 and w.isalpha())
    return sorted(words)


def _no_nul(value: str) -> str:
    return value.replace("\x00", "")  # PostgreSQL refuses NUL in text


def _raise_work_mem() -> None:
    """sql.WORK_MEM once per transaction (the search page runs one search per chosen facet)."""
    session = db.session()  # the scoped session's Session
    transaction = session.get_transaction()
    if transaction is None or session.info.get(WORK_MEM_SET) is not transaction:
        session.execute(sql.WORK_MEM)
        session.info[WORK_MEM_SET] = session.get_transaction()


class PostgresBackend:
    name = "postgres"

    # -- writes --------------------------------------------------------------------------
    def write(self, connection, documents: list[IdeaDocument],
              deleted_ids: Iterable[int] = ()) -> None:
        for start in range(0, len(documents), WRITE_BATCH):
            batch = documents[start:start + WRITE_BATCH]
            connection.execute(sql.UPSERT, [_document_row(d) for d in batch])
            # Words are only added: a word no idea uses any more may be suggested, and the
            # corrected search then finds nothing, so no "Did you mean" is shown.
            if words := _vocabulary(batch):
                connection.execute(sql.ADD_WORDS, {"words": words})
        deleted = sorted(set(deleted_ids))
        if deleted:
            connection.execute(sql.DELETE, {"ids": deleted})

    def index_ideas(self, connection, idea_ids: Iterable[int]) -> None:
        ids = set(idea_ids)
        if ids:
            documents = list(load_documents(connection, ids))
            self.write(connection, documents, ids - {d.idea_id for d in documents})

    def update_in_transaction(self, session, found) -> None:
        """Before commit: rewrite the documents of the ideas this transaction touched (not those
        whose counters only moved: no document holds a count). A failure rolls back to a
        savepoint and queues the ids: the user's write still commits."""
        from ideas.search.sync import expand_ids

        connection = session.connection()
        ids = expand_ids(connection, found)
        try:
            with connection.begin_nested():
                self.index_ideas(connection, ids)
        except Exception as error:
            log.exception("search documents not updated, %s ideas queued", len(ids))
            connection.execute(sql.QUEUE, [{"idea_id": i, "reason": repr(error)[:200]}
                                           for i in sorted(ids)])

    def rebuild(self, connection, progress: Progress | None = None) -> int:
        total = count_ideas(connection)
        # DELETE, not TRUNCATE: searches keep reading the old rows until this commits.
        connection.execute(text("DELETE FROM search_documents"))
        connection.execute(text("DELETE FROM search_words"))
        done, batch = 0, []
        for document in load_documents(connection):
            batch.append(document)
            if len(batch) == WRITE_BATCH:
                self.write(connection, batch)
                done, batch = done + len(batch), []
                if progress:
                    progress(done, total)
        self.write(connection, batch)
        done += len(batch)
        # Fresh statistics: without them the planner takes a whole-table rewrite for a handful
        # of rows and walks ideas row by row instead of using the GIN index.
        connection.execute(text("ANALYZE search_documents"))
        connection.execute(text("ANALYZE search_words"))
        if progress:
            progress(done, total)
        return done

    def check(self, connection, fix: bool = False) -> DriftReport:
        # Documents written before supports stopped rewriting them carry the count in their
        # fingerprint: still right while that count is.
        expected = {d.idea_id: (d.fingerprint(counts=False), d.fingerprint())
                    for d in load_documents(connection)}
        indexed = dict(connection.execute(
            text("SELECT idea_id, fingerprint FROM search_documents")).all())
        report = DriftReport(
            missing=sorted(expected.keys() - indexed.keys()),
            orphans=sorted(indexed.keys() - expected.keys()),
            stale=sorted(i for i in expected.keys() & indexed.keys()
                         if indexed[i] not in expected[i]),
            queued=queue.count(connection))
        if fix and report.has_drift:
            self.index_ideas(connection, [*report.missing, *report.stale, *report.orphans])
            queue.clear(connection)
            report.fixed = True
        return report

    def is_available(self) -> bool:
        return True

    def warm(self) -> None:
        """Nothing: PostgreSQL keeps its own caches, shared by every worker."""

    # -- reads ---------------------------------------------------------------------------
    def search(self, text_: str, *, allowed_community_ids: Iterable[int],
               moderated_community_ids: Iterable[int] = (),
               filters: SearchFilters = NO_FILTERS, sort: str = "relevance",
               page: int = 1, per_page: int = 20) -> SearchResults:
        page = min(max(1, page), MAX_PAGE)
        per_page = min(max(1, per_page), MAX_PER_PAGE)
        scope = Scope.of(allowed_community_ids, moderated_community_ids, filters)
        parsed = parse(text_)
        if parsed.is_empty:
            if clean_text(text_):  # only stop words or symbols: nothing to look for
                return SearchResults([], 0, page, per_page)
            return self._run(None, scope, sort if sort != "relevance" else "newest", page,
                             per_page)
        tsq = self._tsquery(parsed)
        if not tsq:
            return SearchResults([], 0, page, per_page)
        results = self._run(tsq, scope, sort, page, per_page)
        if results.total == 0:
            corrected = self._correct(parsed)
            if corrected is not None and (fixed := self._tsquery(corrected)):
                retry = self._run(fixed, scope, sort, page, per_page)
                if retry.total:
                    retry.corrected_query = corrected.to_text()
                    return retry
        return results

    def suggest(self, text_: str, *, allowed_community_ids: Iterable[int],
                moderated_community_ids: Iterable[int] = (),
                limit: int = SUGGEST_LIMIT) -> list[Hit]:
        cleaned = clean_text(text_, 200)
        words = parse(cleaned).words()
        if not words:
            return []
        typing_last = cleaned[-1:].isalnum()
        complete = ParsedQuery([[Word(w)] for w in (words[:-1] if typing_last else words)])
        prefix = ""
        if typing_last:
            folded = french.fold(french.strip_elision(words[-1]))
            prefix = "".join(ch for ch in folded if ch.isalnum())
            if len(prefix) < 2 or prefix in french.STOP_WORDS:
                prefix = ""
                complete.required.append([Word(words[-1])])
        tsq = self._tsquery(complete, prefix)
        if not tsq:
            return []
        return self._page(Scope.of(allowed_community_ids, moderated_community_ids),
                          f"AND d.vector @@ {sql.TSQ}",
                          f"ts_rank_cd({sql.WEIGHTS}, d.vector, {sql.TSQ})", {"tsq": tsq},
                          order="suggest", limit=limit, offset=0, excerpt=False)

    def similar(self, title: str, body: str = "", *, allowed_community_ids: Iterable[int],
                moderated_community_ids: Iterable[int] = (),
                exclude_idea_id: int | None = None, limit: int = SIMILAR_LIMIT) -> list[Hit]:
        title, body = clean_text(title, 300), clean_text(body, 5000)
        if not title and not body:
            return []
        lexemes = db.session.execute(sql.SIMILAR_LEXEMES, {
            "title": str(escape(title)), "body": str(escape(body)),
            "n": SIMILAR_BODY_TERMS}).scalars().all()
        lexemes = sorted({lexeme for lexeme in lexemes if len(lexeme) >= 3})
        if not lexemes:
            return []
        tsq = db.session.scalar(sql.LEXEMES_TO_TSQUERY, {"lexemes": lexemes})
        conditions, params = f"AND d.vector @@ {sql.TSQ}", {"tsq": tsq}
        if exclude_idea_id is not None:
            conditions += " AND i.id <> :exclude"
            params["exclude"] = exclude_idea_id
        return self._page(Scope.of(allowed_community_ids, moderated_community_ids),
                          conditions, f"ts_rank({sql.WEIGHTS}, d.vector, {sql.TSQ})", params,
                          order="relevance", limit=limit, offset=0)

    # -- internals -----------------------------------------------------------------------
    def _tsquery(self, parsed: ParsedQuery, prefix: str = "") -> str:
        """The query as tsquery text, computed by PostgreSQL ("" when nothing is searchable)."""
        statement, params = sql.tsquery_sql(parsed, prefix)
        if not statement:
            return ""
        return db.session.scalar(text(statement), params) or ""

    def _run(self, tsq: str | None, scope: Scope, sort: str, page: int,
             per_page: int) -> SearchResults:
        results = SearchResults([], 0, page, per_page, facets={f: {} for f in FACETS})
        order = sort if sort in sql.ORDERS else "relevance"
        if tsq is None:
            conditions, rank, params = "", "0", {}
        else:
            conditions = f"AND d.vector @@ {sql.TSQ}"
            # Ranked only when the order needs it: ts_rank_cd is most of a broad query's cost.
            rank = f"ts_rank_cd({sql.WEIGHTS}, d.vector, {sql.TSQ})" if order == "relevance" \
                else "0"
            params = {"tsq": tsq}
        matched, all_params = self._matched(scope, conditions, rank, params)
        _raise_work_mem()
        hits = []
        for facet, value, count, score, position in db.session.execute(
                text(sql.FACETS_AND_PAGE.format(matched=matched, order=sql.ORDERS[order])),
                {**all_params, "limit": per_page, "offset": (page - 1) * per_page}):
            if facet == "hit":
                hits.append((position, int(value), float(score or 0)))
            else:
                results.facets[facet][value if facet == "status" else int(value)] = count
        results.total = sum(results.facets["status"].values())
        if hits:
            results.hits = self._highlighted([(i, s) for _, i, s in sorted(hits)], tsq)
        return results

    def _highlighted(self, ranked: list[tuple[int, float]], tsq: str | None) -> list[Hit]:
        """Hits for these (idea id, rank) in this order, title and passages highlighted."""
        title, body = sql.ESCAPED.format("d.title"), "''"
        if tsq is not None:
            title = f"ts_headline({sql.CFG}, {title}, {sql.TSQ}, '{sql.HEADLINE_TITLE}')"
            body = (f"ts_headline({sql.CFG}, {sql.ESCAPED.format('d.body')}, {sql.TSQ}, "
                    f"'{sql.HEADLINE_BODY}')")
        rows = {row.id: row for row in db.session.execute(
            text(sql.HIGHLIGHTS.format(title=title, body=body)),
            {"ids": [i for i, _ in ranked], "tsq": tsq})}
        hits = []
        for idea_id, score in ranked:
            if (row := rows.get(idea_id)) is None:
                continue
            excerpt_html = row.body_html or ""
            if "<mark>" not in excerpt_html:
                excerpt_html = str(plain_excerpt(row.d_body))
            hits.append(Hit(idea_id, trusted(row.title_html), trusted(excerpt_html), score))
        return hits

    def _matched(self, scope: Scope, conditions: str, rank: str,
                 params: dict) -> tuple[str, dict]:
        filters = scope.filters
        params = {**params, "allowed": list(scope.allowed), "moderated": list(scope.moderated),
                  "hidden_statuses": list(HIDDEN_STATUSES)}
        extra = [conditions]
        for name, column, values, kind in (
                ("f_communities", "i.community_id", filters.community_ids, int),
                ("f_statuses", "i.status", filters.statuses, str)):
            if values:
                extra.append(f"AND {column} = ANY(:{name})")
                params[name] = [kind(v) for v in values]
        if filters.territory_ids:
            extra.append("AND i.community_id IN (SELECT c.id FROM communities c "
                         "WHERE c.territory_id = ANY(:f_territories))")
            params["f_territories"] = [int(v) for v in filters.territory_ids]
        if filters.theme_ids:
            extra.append("AND EXISTS (SELECT 1 FROM idea_themes t WHERE t.idea_id = i.id "
                         "AND t.theme_id = ANY(:f_themes))")
            params["f_themes"] = [int(v) for v in filters.theme_ids]
        if filters.sdgs:
            extra.append("AND EXISTS (SELECT 1 FROM idea_sdgs s WHERE s.idea_id = i.id "
                         "AND s.sdg = ANY(:f_sdgs))")
            params["f_sdgs"] = [int(v) for v in filters.sdgs]
        if filters.years:
            extra.append("AND extract(year FROM i.created_at)::int = ANY(:f_years)")
            params["f_years"] = [int(v) for v in filters.years]
        return sql.MATCHED.format(rank=rank, conditions=" ".join(extra)), params

    def _page(self, scope: Scope, conditions, rank, params, *, order: str, limit: int,
              offset: int, excerpt: bool = True, highlight: bool = True) -> list[Hit]:
        matched, params = self._matched(scope, conditions, rank, params)
        title, body = sql.ESCAPED.format("d.title"), "''"
        if highlight:
            title = f"ts_headline({sql.CFG}, {title}, {sql.TSQ}, '{sql.HEADLINE_TITLE}')"
            if excerpt:
                body = (f"ts_headline({sql.CFG}, {sql.ESCAPED.format('d.body')}, {sql.TSQ}, "
                        f"'{sql.HEADLINE_BODY}')")
        statement = sql.PAGE.format(matched=matched, inner_order=sql.ORDERS[order],
                                    order=sql.PAGE_ORDERS[order], title=title, body=body)
        rows = db.session.execute(text(statement), {**params, "limit": limit, "offset": offset})
        hits = []
        for row in rows:
            excerpt_html = row.body_html or ""
            if excerpt and "<mark>" not in excerpt_html:
                excerpt_html = str(plain_excerpt(row.d_body))
            hits.append(Hit(row.id, trusted(row.title_html), trusted(excerpt_html),
                            float(row.rank or 0)))
        return hits

    def _correct(self, parsed: ParsedQuery) -> ParsedQuery | None:
        """Words of 5+ letters found in no idea: the closest known word, one edit away (a swap
        of two letters counts as one)."""
        corrections = {}
        db.session.execute(sql.SIMILARITY_THRESHOLD)
        for word in parsed.words():
            folded = french.fold(french.strip_elision(word))
            if len(folded) < CORRECTION_MIN_LETTERS or db.session.scalar(
                    sql.WORD_MATCHES, {"word": word}):
                continue
            for candidate in db.session.scalars(sql.SIMILAR_WORDS, {"word": folded}):
                if damerau_levenshtein(folded, candidate) <= 1:
                    corrections[word] = candidate
                    break
        return parsed.replace_words(corrections) if corrections else None
