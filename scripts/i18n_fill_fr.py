"""Fill the French catalog from its own msgids, so nobody maintains it by hand.

Source strings are already French, so why a French catalog at all? Because without one, gettext
falls back to the *default* plural rule `n != 1`, which says "0 membres"; French says "0 membre"
(`plural=(n > 1)`). Compiling a catalog whose header carries the French rule, with every msgstr
equal to its msgid (msgstr[0]/[1] = singular/plural), gives French plurals their right form.

Run by `make i18n-update` after `pybabel update`:
    python scripts/i18n_fill_fr.py [translations/fr/LC_MESSAGES/messages.po]
"""

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

DEFAULT_CATALOG = Path(__file__).resolve().parent.parent / "translations/fr/LC_MESSAGES/messages.po"
FRENCH_PLURAL_FORMS = "nplurals=2; plural=(n > 1);"
WIDTH = 76  # pybabel update's default: keeps `make i18n-update` idempotent


def fill(path: Path) -> int:
    """Rewrite the catalog at `path`; returns how many entries it holds."""
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="fr", abort_invalid=True)
    # Babel derives Plural-Forms from the locale; say it outright so a wrong header cannot slip in.
    if catalog.plural_forms != FRENCH_PLURAL_FORMS:
        raise SystemExit(f"{path}: Plural-Forms is {catalog.plural_forms!r}, "
                         f"expected {FRENCH_PLURAL_FORMS!r}")
    catalog.fuzzy = False
    count = 0
    for message in catalog:
        if not message.id:  # the header
            continue
        message.string = tuple(message.id) if message.pluralizable else message.id
        message.flags.discard("fuzzy")
        count += 1
    with path.open("wb") as handle:
        write_po(handle, catalog, width=WIDTH, ignore_obsolete=True)
    return count


def main(argv: list[str]) -> None:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_CATALOG
    print(f"{path}: {fill(path)} French entries filled from their msgids")


if __name__ == "__main__":
    main(sys.argv)
