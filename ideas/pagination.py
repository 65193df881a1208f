"""Pagination for lists reached by URL: a page number past the end shows the last page."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import case, func, select, tuple_

from ideas.extensions import db


def paginate(stmt, page: int, per_page: int):
    """`db.paginate` without 404s, and `?page=999999` clamped to the last page rather than an
    empty list under a non-zero total."""
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    if pagination.pages and page > pagination.pages:
        pagination = db.paginate(stmt, page=pagination.pages, per_page=per_page,
                                 error_out=False)
    return pagination


@dataclass(frozen=True)
class PageCursor:
    """Where the previous page ended, carried by the "next page" links as an opaque token
    (`?apres=`): its last row's sort keys, so that the next page is sought in the index
    (`WHERE (keys) < (cursor)`) instead of skipping every row before it (OFFSET).

    The token is signed for `scope` (the list: its filters, its reader) and the page it leads to:
    a token altered, forged, of another list, sort, reader or page fails the signature and the
    page falls back to OFFSET, as without a token. Signed, not encrypted: it shows the keys
    (date, counts, id) of an idea its reader had on screen."""

    scope: str
    token: str | None = None

    def _serializer(self) -> URLSafeSerializer:
        return URLSafeSerializer(current_app.secret_key, salt="ideas.pagination.cursor")

    def dump(self, page: int, keys: tuple) -> str:
        values = [key.isoformat() if isinstance(key, datetime) else key for key in keys]
        return self._serializer().dumps(values, salt=f"{self.scope}|{page}")

    def load(self, page: int, columns: tuple) -> tuple | None:
        """The keys for `page`, of the columns' types; None for anything else."""
        if not self.token or len(self.token) > 200:
            return None
        try:
            values = self._serializer().loads(self.token, salt=f"{self.scope}|{page}")
        except (BadData, ValueError, TypeError):
            return None
        if not isinstance(values, list) or len(values) != len(columns):
            return None
        keys = []
        for value, column in zip(values, columns, strict=True):
            kind = column.type.python_type
            if kind is datetime and isinstance(value, str):
                try:
                    value = datetime.fromisoformat(value)
                except ValueError:
                    return None
                if value.tzinfo is not None:  # the columns hold naive UTC
                    return None
            if type(value) is not kind:  # bool is an int, a date a datetime: refused
                return None
            keys.append(value)
        return tuple(keys)


class IdPagination(Pagination):
    """A page found by ids first, then loaded (a "deferred join"): filters and sort keys are
    read from an index, tens of thousands of candidates are counted, sorted and skipped
    without reading their rows, and only the page's rows (with what the page shows) are read.

    `ids`: a select of the ids, filtered and ordered; `load(ids)`: a select of those rows.
    `first` (optional): a condition on the rows listed before all the others (pinned ideas),
    with `first_order`, their own order; the others keep `ids`' order, one an index can give.
    The total and the number listed first come from one count, so a page costs the same
    queries as without (plus one for the first rows, on the pages that show some).

    `seek` (optional): `ids`' sort columns, the id last, all descending, and `cursor`, a
    `PageCursor`: a page whose rows all follow the first ones is then sought after the
    previous page's last row rather than skipped to, and `next_cursor` is the token of the
    next page. Same rows as OFFSET, as long as nothing moved between the two pages."""

    def _counts(self) -> tuple[int, int]:
        if "counts" not in self._query_args:
            ids, first = self._query_args["ids"].order_by(None), self._query_args["first"]
            if first is None:
                counts = (db.session.scalar(select(func.count()).select_from(ids.subquery())),
                          0)
            else:
                rows = ids.add_columns(case((first, 1)).label("first")).subquery()
                counts = tuple(db.session.execute(
                    select(func.count(), func.count(rows.c.first))).one())
            self._query_args["counts"] = counts
        return self._query_args["counts"]

    def _query_items(self) -> list:
        ids, first, seek = (self._query_args["ids"], self._query_args["first"],
                            self._query_args["seek"])
        start, page_ids = (self.page - 1) * self.per_page, []
        if first is not None:
            listed_first = self._counts()[1]
            if start < listed_first:
                page_ids = db.session.scalars(
                    ids.order_by(None).where(first).order_by(*self._query_args["first_order"])
                    .limit(self.per_page).offset(start)).all()
            ids, start = ids.where(~first), max(0, start - listed_first)
        if len(page_ids) < self.per_page:
            if seek:
                # A page with first rows, or the first page after them, has nothing to skip.
                after = (self._query_args["cursor"].load(self.page, seek)
                         if self._query_args["cursor"] and start and not page_ids else None)
                if after is not None:
                    ids, start = ids.where(tuple_(*seek) < tuple_(*after)), 0
                rows = db.session.execute(ids.add_columns(*seek[:-1])
                                          .limit(self.per_page - len(page_ids))
                                          .offset(start or None)).all()
                page_ids += [row[0] for row in rows]
                if rows:  # the keys of the page's last row, for the next page's cursor
                    self._query_args["last_keys"] = (*rows[-1][1:], rows[-1][0])
            else:
                page_ids += db.session.scalars(ids.limit(self.per_page - len(page_ids))
                                               .offset(start)).all()
        if not page_ids:
            return []
        found = {row.id: row for row in db.session.scalars(self._query_args["load"](page_ids))}
        return [found[row_id] for row_id in page_ids if row_id in found]

    def _query_count(self) -> int:
        return self._counts()[0]

    @property
    def next_cursor(self) -> str | None:
        """The `?apres=` token of the next page; None when it has nothing to seek (no next
        page, or this one ends among the first rows)."""
        keys, cursor = self._query_args.get("last_keys"), self._query_args["cursor"]
        if keys is None or cursor is None or not self.has_next:
            return None
        return cursor.dump(self.next_num, keys)


def paginate_ids(ids, load: Callable, page: int, per_page: int, first=None,
                 first_order=(), seek=(), cursor: PageCursor | None = None) -> IdPagination:
    """`IdPagination`, a page past the end showing the last page (as `paginate`; the cursor,
    made for another page, is then not used)."""
    options = {"ids": ids, "load": load, "first": first, "first_order": first_order,
               "seek": tuple(seek), "cursor": cursor}
    pagination = IdPagination(page, per_page, error_out=False, **options)
    if pagination.pages and page > pagination.pages:
        cursor = cursor and PageCursor(cursor.scope)
        pagination = IdPagination(pagination.pages, per_page, error_out=False,
                                  **{**options, "cursor": cursor})
    return pagination


class PageLinks:
    """For pages counted by hand (not `db.paginate`): what the DSFR pagination macro reads,
    under the names of Flask-SQLAlchemy's Pagination, from `page` and `pages`."""

    page: int
    pages: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    def iter_pages(self, left_edge=1, left_current=2, right_current=2, right_edge=1):
        last = 0
        for number in range(1, self.pages + 1):
            if (number <= left_edge or self.page - left_current <= number <= self.page
                    + right_current or number > self.pages - right_edge):
                if last + 1 != number:
                    yield None
                yield number
                last = number
