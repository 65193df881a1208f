"""The user's query syntax, parsed once here for both backends.

Supported: words (all required), "a phrase" (also « » and “ ”), -word and -"phrase" to exclude,
OR between two items. Everything else — field syntax (`community:3`, `title:x`), wildcards,
ranges, boosts, fuzzy `~`, parentheses — is not syntax at all: those characters separate words.
So no filter can ever be built from what a user types; visibility and facets come from the caller.

The parser never raises: NUL and control characters are dropped, the text is capped to
MAX_QUERY_CHARS and MAX_ITEMS items, an unclosed quote runs to the end of the text.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from ideas.search.french import WORD_RE

MAX_QUERY_CHARS = 500
MAX_ITEMS = 24
MAX_PHRASE_WORDS = 12
MAX_WORD_CHARS = 60  # longer "words" are noise (pasted hashes, URLs); they are dropped

_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"'})
_CONTROL = re.compile(r"[\x01-\x08\x0b-\x1f\x7f]")
# A quoted phrase (closed or not), a hyphenated compound (searched as a phrase: the index splits
# "éco-conception" into two adjacent words), a word, or OR; a "-" right after a space negates.
_TOKEN = re.compile(
    r'(?P<neg>(?:(?<=\s)|^)-)?(?:"(?P<phrase>[^"]*)"?|(?P<compound>\w+(?:-\w+)+)|(?P<word>'
    + WORD_RE.pattern + "))"
)


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


Item = Word | Phrase


@dataclass
class ParsedQuery:
    """required: every group must match (a group matches when any of its items does)."""

    required: list[list[Item]] = field(default_factory=list)
    excluded: list[Item] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.required

    def words(self) -> list[str]:
        """The positive words, in order (spelling corrections, similar ideas)."""
        found = []
        for group in self.required:
            for item in group:
                found.extend(item.words if isinstance(item, Phrase) else (item.text,))
        return found

    def replace_words(self, corrections: dict[str, str]) -> "ParsedQuery":
        """The same query with some words replaced ("Did you mean…")."""

        def fix(item: Item) -> Item:
            if isinstance(item, Phrase):
                return Phrase(tuple(corrections.get(w, w) for w in item.words))
            return Word(corrections.get(item.text, item.text))

        return ParsedQuery([[fix(item) for item in group] for group in self.required],
                           list(self.excluded))

    def to_text(self) -> str:
        """A canonical rendering (shown in "Did you mean …?", and fed to websearch_to_tsquery)."""

        def show(item: Item) -> str:
            return f'"{" ".join(item.words)}"' if isinstance(item, Phrase) else item.text

        parts = [" OR ".join(show(item) for item in group) for group in self.required]
        parts += [f"-{show(item)}" for item in self.excluded]
        return " ".join(parts)


def clean_text(text: str | None, limit: int = MAX_QUERY_CHARS) -> str:
    text = unicodedata.normalize("NFC", (text or "").replace("\x00", ""))
    text = _CONTROL.sub(" ", text).translate(_QUOTES)
    if len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > limit // 2 else limit]
    return text.strip()


def parse(text: str | None) -> ParsedQuery:
    parsed = ParsedQuery()
    join_next = False  # the previous token was OR
    count = 0
    for match in _TOKEN.finditer(clean_text(text)):
        if count >= MAX_ITEMS:
            break
        negated = bool(match.group("neg"))
        if match.group("word") == "OR" and not negated:
            join_next = bool(parsed.required)
            continue
        item = _item(match)
        if item is None:
            continue
        count += 1
        if negated:
            parsed.excluded.append(item)
        elif join_next:
            parsed.required[-1].append(item)
        else:
            parsed.required.append([item])
        join_next = False
    return parsed


def _item(match: re.Match) -> Item | None:
    text = match.group("phrase") or match.group("compound") or match.group("word") or ""
    words = tuple(w for w in WORD_RE.findall(text) if len(w) <= MAX_WORD_CHARS)
    words = words[:MAX_PHRASE_WORDS]
    if not words:
        return None
    return Word(words[0]) if len(words) == 1 else Phrase(words)
