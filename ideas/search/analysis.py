"""The Whoosh French analysis chain.

tokenize → split elisions (l', d', qu'… also with ’) → join dotted acronyms → lower-case and
fold accents → drop stop words → strip plural s → Snowball French stem (Whoosh's, the one behind
`StemFilter(lang="fr")`) → map word families.

Accents are folded *before* stemming and stop-word removal: a query typed without accents
(`mobilite`) must reach the same stem as the indexed `mobilités`, so both sides stem the folded
form. Stop words are removed with renumbered positions, so "économie de l'énergie" is the phrase
"économie énergie" on both sides.

The steps run in one filter, memoised per distinct token: a corpus repeats its words, and six
chained generators per token made indexing twice as slow (the 100,000-idea rebuild must stay
under two minutes).
"""

from whoosh.analysis import Filter, RegexTokenizer, ShingleFilter
from whoosh.lang import stemmer_for_language

from ideas.search import french

_MISSING = object()
_CACHE_LIMIT = 500_000
_stem = stemmer_for_language("fr")


def _words_form(raw: str) -> str | None:
    folded = french.fold(french.join_acronym(french.strip_elision(raw)))
    if len(folded) < 2 or folded in french.STOP_WORDS:
        return None
    return folded


def _stemmed_form(raw: str) -> str | None:
    folded = _words_form(raw)
    if folded is None:
        return None
    stem = _stem(french.strip_plural(folded))
    return french.FAMILY_STEMS.get(stem, stem)


class FrenchFilter(Filter):
    """All the steps after the tokenizer; `stem=False` keeps the folded word."""

    def __init__(self, stem: bool = True):
        self.stem = stem
        self._form = _stemmed_form if stem else _words_form
        self._cache: dict[str, str | None] = {}

    def __eq__(self, other):
        return isinstance(other, FrenchFilter) and other.stem == self.stem

    def __getstate__(self):  # the schema is pickled into the index: not the cache
        return {"stem": self.stem}

    def __setstate__(self, state):
        self.__init__(state["stem"])

    def __call__(self, tokens):
        cache, form = self._cache, self._form
        position = None
        for token in tokens:
            text = cache.get(token.text, _MISSING)
            if text is _MISSING:
                if len(cache) > _CACHE_LIMIT:
                    cache.clear()
                text = cache[token.text] = form(token.text)
            if text is None:  # a stop word
                if not token.removestops:  # the highlighter wants every token back
                    token.stopped = True
                    yield token
                continue
            token.text, token.stopped = text, False
            if token.positions:  # renumbered, as Whoosh's StopFilter does
                position = token.pos if position is None else position + 1
                token.pos = position
            yield token


def french_analyzer():
    """Full chain for the searchable text fields."""
    return RegexTokenizer(french.WORD_RE) | FrenchFilter(stem=True)


def words_analyzer():
    """Folded words without stemming: prefixes for search-as-you-type, spelling corrections."""
    return RegexTokenizer(french.WORD_RE) | FrenchFilter(stem=False)


PAIR_SEPARATOR = " "  # never inside a token: a pair never equals a single word


def pairs_analyzer():
    """Adjacent pairs of the full chain's tokens ("ateli canop"): a phrase of two words is
    then a term. Stop words are gone first, as for positions, so pairs are phrases exactly."""
    return french_analyzer() | ShingleFilter(size=2, sep=PAIR_SEPARATOR)
