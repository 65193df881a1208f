"""Reference data read once per process: territories and themes fill the filters of every list
page and several forms (at 100,000 ideas, reading and mapping the territories was a tenth of the
all-ideas page), and they change only through the reference seed or an administrator's script.

Kept per database (tests and tools open several), as plain rows; forgotten when this process
flushes a change to them, and after `TTL` seconds for changes made by another process.
"""

import time
from itertools import chain
from typing import NamedTuple

from flask_babel import get_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from ideas.extensions import db
from ideas.reference.models import Territory, TerritoryKind, Theme

TTL = 300  # seconds

_cache: dict[tuple[str, str], tuple[float, list]] = {}


class TerritoryRow(NamedTuple):
    id: int
    name: str
    kind: TerritoryKind
    parent_id: int | None


class ThemeRow(NamedTuple):
    id: int
    name_fr: str
    name_en: str
    is_active: bool

    @property
    def name(self) -> str:
        """The name in the interface language (as `Theme.name`)."""
        locale = get_locale()
        return self.name_en if locale and locale.language == "en" else self.name_fr


def _cached(kind: str, load):
    key = (str(db.engine.url), kind)
    known = _cache.get(key)
    if known is None or time.monotonic() - known[0] > TTL:
        known = (time.monotonic(), load())
        _cache[key] = known
    return known[1]


def territories() -> list[TerritoryRow]:
    """Every territory, by position then name."""
    return _cached("territories", lambda: [TerritoryRow(*row) for row in db.session.execute(
        db.select(Territory.id, Territory.name, Territory.kind, Territory.parent_id)
        .order_by(Territory.position, Territory.name))])


def themes() -> list[ThemeRow]:
    """Every theme, retired ones included, by position."""
    return _cached("themes", lambda: [ThemeRow(*row) for row in db.session.execute(
        db.select(Theme.id, Theme.name_fr, Theme.name_en, Theme.is_active)
        .order_by(Theme.position, Theme.id))])


def forget() -> None:
    _cache.clear()


@event.listens_for(Session, "after_flush")
def _forget_on_change(session, _context) -> None:
    if any(isinstance(item, Territory | Theme)
           for item in chain(session.new, session.dirty, session.deleted)):
        session.info["reference_changed"] = True
        forget()


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_at_the_end(session, *_args) -> None:
    """Again once the change is committed or undone: a read between the flush and then saw it
    half-done."""
    if session.info.pop("reference_changed", False):
        forget()
