"""The Whoosh French analysis chain.

tokenize → split elisions (l', d', qu'… also with ’) → join dotted acronyms → lower-case →
fold accents → drop stop words → strip plural s → Snowball French stem → map word families.

Accents are folded *before* stemming and stop-word removal: a query typed without accents
(`mobilite`) must reach the same stem as the indexed `mobilités`, so both sides stem the folded
form. Stop words are removed with renumbered positions, so "économie de l'énergie" is the phrase
"économie énergie" on both sides.
"""

from whoosh.analysis import Filter, RegexTokenizer, StemFilter, StopFilter

from ideas.search import french


class ElisionFilter(Filter):
    """l'énergie → énergie; R.S.E. → RSE (same position, so phrases stay intact)."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = french.join_acronym(french.strip_elision(token.text))
            yield token


class FoldFilter(Filter):
    """Lower-case and accent folding, the same function the PostgreSQL side uses."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = french.fold(token.text)
            yield token


class PluralFilter(Filter):
    def __call__(self, tokens):
        for token in tokens:
            token.text = french.strip_plural(token.text)
            yield token


class FamilyFilter(Filter):
    def __call__(self, tokens):
        for token in tokens:
            token.text = french.FAMILY_STEMS.get(token.text, token.text)
            yield token


def _words_chain():
    return (RegexTokenizer(french.WORD_RE) | ElisionFilter() | FoldFilter()
            | StopFilter(stoplist=french.STOP_WORDS, minsize=2))


def french_analyzer():
    """Full chain for the searchable text fields."""
    return _words_chain() | PluralFilter() | StemFilter(lang="fr", cachesize=100_000) \
        | FamilyFilter()


def words_analyzer():
    """Folded words without stemming: prefixes for search-as-you-type, spelling corrections."""
    return _words_chain()
