"""One row per submitted create form, however often it arrives (SECURITY-CHECKLIST item 38).

Each rendering of a create form (idea, comment, reply) carries a fresh random token in a hidden
field; the row it creates keeps it, unique per author. A double click, a retry after a lost
response (worker killed after the commit, network cut) or a replayed request finds the row the
first submission created and answers as if it had just been created. A form posted without a
token (an old page) simply creates, as before.
"""

import re
import secrets
from collections.abc import Callable

from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField

from ideas.extensions import db

TOKEN_FIELD = "submission_token"  # noqa: S105 - a form field name
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_token() -> str:
    return secrets.token_urlsafe(16)


class SubmissionTokenField(HiddenField):
    """A new token on every rendering; a malformed one posted counts as none."""

    def __init__(self, label=None, validators=None, **kwargs):
        # autocomplete=off: Firefox would otherwise restore the old token when the agent comes
        # back to the form with the Back button to write another idea.
        super().__init__(label, validators, default=new_token,
                         render_kw={"autocomplete": "off"}, **kwargs)

    def process_formdata(self, valuelist):
        value = valuelist[0] if valuelist else ""
        self.data = value if _TOKEN.match(value or "") else None


def find(model, author_id: int, token: str | None):
    """The row this author already created with this token, if any."""
    if not token:
        return None
    return db.session.scalar(db.select(model).where(
        model.author_id == author_id, model.submission_token == token))


def create_once(model, author_id: int, token: str | None, create: Callable):
    """`create()` adds and flushes the row carrying `token`. Returns (row, created): the row
    created now, or the one an earlier submission of the same form created.

    Two submissions racing (a double click on two workers) both miss `find`; the unique
    constraint lets one INSERT through, the other waits for it (PostgreSQL) or for the write
    lock (SQLite), fails, and finds its row. The savepoint undoes every write of the loser."""
    existing = find(model, author_id, token)
    if existing is not None:
        return existing, False
    try:
        with db.session.begin_nested():
            row = create()
    except IntegrityError as error:
        existing = find(model, author_id, token) if TOKEN_FIELD in str(error.orig) else None
        if existing is None:
            raise
        return existing, False
    return row, True
