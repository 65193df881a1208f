"""Refuse a broken catalog before `pybabel compile` turns it into a half-empty .mo.

`pybabel compile` only warns on a malformed line (and compiles what it could make of the rest)
and silently skips a catalog whose header is marked fuzzy: either way the interface would quietly
fall back to French. This script reads every catalog strictly and exits non-zero on any of that,
then prints each catalog's statistics and lists the entries still to translate (run by
`make translations` and `make i18n-update`).

    python scripts/i18n_check.py [translations]
"""

import sys
from pathlib import Path

from babel.messages.pofile import PoFileError, read_po

DEFAULT_DIRECTORY = Path(__file__).resolve().parent.parent / "translations"


def check(path: Path) -> list[str]:
    """Problems that must stop the build; prints the statistics and what is left to translate."""
    locale = path.parent.parent.name
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=locale, abort_invalid=True)
    except PoFileError as error:
        return [f"{path}:{error.lineno}: {error}"]
    problems = [f"{path}: the header is marked fuzzy (pybabel compile would skip it)"] \
        if catalog.fuzzy else []
    messages = [message for message in catalog if message.id]
    untranslated = [message for message in messages if not _translated(message)]
    fuzzy = [message for message in messages if message.fuzzy]
    print(f"{path}: {len(messages)} entries, {len(messages) - len(untranslated)} translated, "
          f"{len(fuzzy)} fuzzy")
    for message in untranslated:
        print(f"  untranslated: {_first(message.id)!r}")
    for message in fuzzy:
        print(f"  fuzzy: {_first(message.id)!r}")
    return problems


def _translated(message) -> bool:
    if message.pluralizable:
        return all(message.string)
    return bool(message.string)


def _first(message_id) -> str:
    return message_id[0] if isinstance(message_id, tuple | list) else message_id


def main(argv: list[str]) -> None:
    directory = Path(argv[1]) if len(argv) > 1 else DEFAULT_DIRECTORY
    paths = sorted(directory.glob("*/LC_MESSAGES/messages.po"))
    if not paths:
        raise SystemExit(f"no catalog under {directory}")
    problems = [problem for path in paths for problem in check(path)]
    if problems:
        raise SystemExit("\n".join(problems))


if __name__ == "__main__":
    main(sys.argv)
