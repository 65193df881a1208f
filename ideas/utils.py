"""Small helpers shared by every domain."""

import re
import unicodedata
from datetime import UTC, datetime

_SPACES = re.compile(r"\s+")


def utcnow() -> datetime:
    """Naive UTC: what both SQLite and PostgreSQL hand back, so comparisons never mix kinds."""
    return datetime.now(UTC).replace(tzinfo=None)


def clean_text(value: str | None) -> str:
    """NFC-normalise and trim, so `idée` typed two ways is one word."""
    return unicodedata.normalize("NFC", value or "").strip()


def clean_line(value: str | None) -> str:
    """A single-line value: NFC, trimmed, inner whitespace folded."""
    return _SPACES.sub(" ", clean_text(value))


def slugify(value: str, max_length: int = 80) -> str:
    ascii_text = (
        unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii").lower()
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:max_length].strip("-") or "communaute"
