"""Small helpers shared by every domain."""

import re
import unicodedata
from datetime import UTC, date, datetime, time

_SPACES = re.compile(r"\s+")
# Invisible characters that change how a line reads without being seen: bidirectional
# embeddings, overrides and isolates (U+202E turns "Admin\u202eeht" into a spoof), zero-width
# space, word joiner, BOM. Dropped from single-line values (names, titles); right-to-left
# scripts themselves, and the zero-width joiner inside emoji sequences, stay.
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
# French dates as people type them: 12/03/2024 (also 12.03.2024), optionally with a time.
_FRENCH_DATE = re.compile(
    r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:[ T]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def utcnow() -> datetime:
    """Naive UTC: what both SQLite and PostgreSQL hand back, so comparisons never mix kinds."""
    return datetime.now(UTC).replace(tzinfo=None)


def clean_text(value: str | None) -> str:
    """NFC-normalise and trim, so `idée` typed two ways is one word."""
    return unicodedata.normalize("NFC", value or "").strip()


def clean_line(value: str | None) -> str:
    """A single-line value: NFC, trimmed, inner whitespace folded, no invisible controls."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", clean_text(value))).strip()


def fold(value: str) -> str:
    """A comparison key: no accents, no case, punctuation and spaces folded to one space."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).split())


def slugify(value: str, max_length: int = 80) -> str:
    ascii_text = (
        unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii").lower()
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:max_length].strip("-") or "communaute"


def parse_day_and_time(value: str | None) -> tuple[date, time | None]:
    """`12/03/2024`, `12/03/2024 14:30` or `2024-03-12` → (day, time or None).
    Raises ValueError for anything else (an impossible day included: 31/02/2024)."""
    text = clean_line(value)
    french = _FRENCH_DATE.match(text)
    if french:
        day, month, year, hour, minute, second = french.groups()
        moment_time = None if hour is None else time(int(hour), int(minute), int(second or 0))
        return date(int(year), int(month), int(day)), moment_time
    if _ISO_DATE.match(text):
        return date.fromisoformat(text), None
    raise ValueError(text)


def parse_date(value: str | None) -> date | None:
    """A calendar day typed in ISO (`2024-03-12`) or French (`12/03/2024`) form; None when
    empty. Raises ValueError otherwise, a time of day included."""
    if not clean_line(value):
        return None
    day, moment_time = parse_day_and_time(value)
    if moment_time is not None:
        raise ValueError(value)
    return day
