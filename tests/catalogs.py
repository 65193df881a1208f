"""Compile the translation catalogs for a test run that did not go through `make`.

Flask-Babel reads the .mo files, which are build outputs (gitignored): `make test` compiles them,
but a bare `pytest` after a fresh clone or an edited .po would otherwise run every page in French
(or on stale English) without a word. Each catalog missing its .mo, or newer than it, is compiled
the way `pybabel compile` does; the file is replaced atomically as xdist workers may race here.
"""

import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def compile_stale_catalogs() -> None:
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name, abort_invalid=True)
        partial = mo_path.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as handle:
            write_mo(handle, catalog)
        partial.replace(mo_path)
