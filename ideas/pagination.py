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
