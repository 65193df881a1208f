"""Which passwords are refused (SECURITY-CHECKLIST item 27; ASVS 2.1.1–2.1.9; CNIL 2022-100).

12 to 128 characters, any characters (spaces, emoji), never truncated, no composition rules;
and not a known breached or common password. `data/common-passwords.txt` (built by
scripts/build-common-passwords.py from Django's and zxcvbn's breach lists plus French ones)
is compared after normalising: case, accents, spaces and `-_.` do not matter, and neither do
digits or symbols stuck before or after a listed word (`Soleil2026!!!`, `mot de passe 123`).
"""

import functools
import re
import unicodedata
from pathlib import Path

MIN_LENGTH = 12  # CNIL 2022-100 with throttling; ASVS 2.1.1
MAX_LENGTH = 128  # ASVS 2.1.2; never truncated
LIST_FILE = Path(__file__).resolve().parent / "data" / "common-passwords.txt"

_IGNORED = re.compile(r"[\s\-_.]+")
_AROUND = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def normalise(password: str) -> str:
    decomposed = unicodedata.normalize("NFKD", password)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _IGNORED.sub("", bare.casefold())


def core(normalised: str) -> str:
    """The word once digits and symbols around it are gone: `soleil` for `2026soleil!!`."""
    return _AROUND.sub("", normalised)


@functools.cache
def common_passwords() -> frozenset[str]:
    with LIST_FILE.open(encoding="utf-8") as handle:
        return frozenset(line.rstrip("\n") for line in handle
                         if line.strip() and not line.startswith("#"))


def is_common(password: str) -> bool:
    listed = common_passwords()
    normalised = normalise(password)
    return normalised in listed or core(normalised) in listed
