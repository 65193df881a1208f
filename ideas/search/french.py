"""French language data shared by both search backends: stop words, elisions, accent folding,
plural stripping and a small map of RSE word families the Snowball stemmer does not conflate.

Both backends must agree on what "the same word" means, so this module is the single place that
says it: the Whoosh analyzer (`analysis.py`) applies it at index and query time, the PostgreSQL
backend (`postgres_backend.py`) expands query words into the variants listed here.
"""

import re
import unicodedata
from functools import lru_cache

from whoosh.lang import stemmer_for_language

# Elided articles and pronouns: "l'énergie" is indexed as "énergie" (Lucene's French list).
ELISIONS = ("l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu")
ELISION_RE = re.compile(r"^(?:" + "|".join(ELISIONS) + r")['’]", re.IGNORECASE)

# Snowball's French list (the one Whoosh ships) plus what it lacks: "les", demonstratives,
# common adverbs and the contracted forms. Stored accent-folded, because folding runs first.
_STOP_WORDS_TEXT = """
a ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez aurions aurons
auront aux avaient avais avait avec avez aviez avions avons ayant ayante ayantes ayants ayez
ayons c ce ceci cela celle celles celui ces cet cette ceux d dans de des du elle elles en es est
et eu eue eues eurent eus eusse eussent eusses eussiez eussions eut eux eumes eut eutes furent
fus fusse fussent fusses fussiez fussions fut fumes futes il ils j je l la le les leur leurs lui
m ma mais me mes moi mon meme n ne ni nos notre nous on ont ou par pas pour qu que quel quelle
quelles quels qui s sa sans se sera serai seraient serais serait seras serez seriez serions serons
seront ses si soient sois soit sommes son sont soyez soyons suis sur t ta te tes toi ton tu un une
vos votre vous y etaient etais etait etant etante etantes etants etiez etions ete etee etees etes
ca cet donc or car dont lors puis chez vers
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

# Word families the French Snowball stemmer leaves apart (checked one by one: `recyclage` →
# recyclag but `recycler` → recycl). Each line is one family; all its stems are mapped to the
# first word's stem (Whoosh), or all its words are searched together (PostgreSQL). Only families
# whose stems are specific enough not to drag unrelated words in are listed.
WORD_FAMILIES = (
    ("recyclage", "recycler", "recyclable", "recyclerie"),
    ("covoiturage", "covoiturer", "covoitureur"),
    ("compostage", "composter", "compost", "composteur"),
    ("impression", "imprimer", "imprimante"),
    ("économie", "économiser"),
    ("formation", "formateur", "formatrice"),
    ("télétravail", "télétravailler"),
    ("gaspillage", "gaspiller"),
    ("chauffage", "chauffer"),
    ("éclairage", "éclairer"),
    ("achat", "acheter"),
    ("réduction", "réduire"),
    ("inclusion", "inclure"),
    ("jardinage", "jardiner", "jardin"),
    ("énergie", "énergétique"),
    ("durabilité", "durable"),
    ("sobriété", "sobre"),
    ("accessibilité", "accessible"),
    ("égalité", "égal"),
    ("apprentissage", "apprendre"),
    ("travail", "travaux"),
    ("plantation", "planter"),
)

WORD_RE = re.compile(r"(?:\w\.){2,}\w?|\w+(?:['’]\w+)*")


@lru_cache(maxsize=200_000)  # called for every token: words repeat a lot
def fold(text: str) -> str:
    """Lower-case and strip accents (é→e, œ→oe, ç→c); the typographic apostrophe becomes '."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae").replace("’", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def strip_elision(word: str) -> str:
    return ELISION_RE.sub("", word)


def join_acronym(word: str) -> str:
    """"R.S.E." → "RSE", so dotted and plain acronyms are one word."""
    return word.replace(".", "") if "." in word else word


def strip_plural(folded: str) -> str:
    """Snowball keeps a final s after a vowel ("vélos" → velos): drop it on words of 4+ letters,
    at index and query time alike, so singular and plural meet."""
    if len(folded) > 3 and folded.endswith("s") and not folded.endswith("ss"):
        return folded[:-1]
    return folded


_stem = stemmer_for_language("fr")


def _family_stems() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    to_first, family_of = {}, {}
    for family in WORD_FAMILIES:
        stems = [_stem(strip_plural(fold(word))) for word in family]
        for word_stem in stems:
            to_first[word_stem] = stems[0]
            family_of[word_stem] = family
    return to_first, family_of


# stem → the family's first stem (Whoosh index form); stem → the family's words (PostgreSQL).
FAMILY_STEMS, _FAMILY_BY_STEM = _family_stems()


def variants(word: str) -> list[str]:
    """Surface forms to search together for one user word (PostgreSQL): the word, its plural or
    singular, and the other members of its word family. Order: the typed word first."""
    base = join_acronym(strip_elision(word))
    folded = fold(base)
    if len(folded) < 2 or folded in STOP_WORDS:
        return []
    forms = [base]
    singular = strip_plural(folded)
    forms.append(singular if singular != folded else folded + "s")
    forms.extend(_FAMILY_BY_STEM.get(_stem(singular), ()))
    seen, unique = set(), []
    for form in forms:
        key = fold(form)
        if key not in seen:
            seen.add(key)
            unique.append(form)
    return unique
