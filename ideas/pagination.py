"""Pagination for lists reached by URL: a page number past the end shows the last page."""

from collections.abc import Callable

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import case, func, select

from ideas.extensions import db


def paginate(stmt, page: int, per_page: int):
    """`db.paginate` without 404s, and `?page=999999` clamped to the last page rather than an
    empty list under a non-zero total."""
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    if pagination.pages and page > pagination.pages:
        pagination = db.paginate(stmt, page=pagination.pages, per_page=per_page,
                                 error_out=False)
    return pagination


class IdPagination(Pagination):
    """A page found by ids first, then loaded (a "deferred join"): filters and sort keys are
    read from an index, tens of thousands of candidates are counted, sorted and skipped
    without reading their rows, and only the page's rows (with what the page shows) are read.

    `ids`: a select of the ids, filtered and ordered; `load(ids)`: a select of those rows.
    `first` (optional): a condition on the rows listed before all the others (pinned ideas),
    with `first_order`, their own order; the others keep `ids`' order, one an index can give.
    The total and the number listed first come from one count, so a page costs the same
    queries as without (plus one for the first rows, on the pages that show some)."""

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
        ids, first = self._query_args["ids"], self._query_args["first"]
        start, page_ids = (self.page - 1) * self.per_page, []
        if first is not None:
            listed_first = self._counts()[1]
            if start < listed_first:
                page_ids = db.session.scalars(
                    ids.order_by(None).where(first).order_by(*self._query_args["first_order"])
                    .limit(self.per_page).offset(start)).all()
            ids, start = ids.where(~first), max(0, start - listed_first)
        if len(page_ids) < self.per_page:
            page_ids += db.session.scalars(ids.limit(self.per_page - len(page_ids))
                                           .offset(start)).all()
        if not page_ids:
            return []
        found = {row.id: row for row in db.session.scalars(self._query_args["load"](page_ids))}
        return [found[row_id] for row_id in page_ids if row_id in found]

    def _query_count(self) -> int:
        return self._counts()[0]


def paginate_ids(ids, load: Callable, page: int, per_page: int, first=None,
                 first_order=()) -> IdPagination:
    """`IdPagination`, a page past the end showing the last page (as `paginate`)."""
    options = {"ids": ids, "load": load, "first": first, "first_order": first_order}
    pagination = IdPagination(page, per_page, error_out=False, **options)
    if pagination.pages and page > pagination.pages:
        pagination = IdPagination(pagination.pages, per_page, error_out=False, **options)
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
