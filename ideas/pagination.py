"""Pagination for lists reached by URL: a page number past the end shows the last page."""

from ideas.extensions import db


def paginate(stmt, page: int, per_page: int):
    """`db.paginate` without 404s, and `?page=999999` clamped to the last page rather than an
    empty list under a non-zero total."""
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    if pagination.pages and page > pagination.pages:
        pagination = db.paginate(stmt, page=pagination.pages, per_page=per_page,
                                 error_out=False)
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
