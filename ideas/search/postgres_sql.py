"""SQL of the PostgreSQL backend. Every user value is a bound parameter; the f-strings below
only assemble constant fragments of this module."""

from sqlalchemy import text

from ideas.search import french
from ideas.search.models import TS_CONFIG
from ideas.search.query import Item, ParsedQuery, Phrase

CFG = f"'{TS_CONFIG}'::regconfig"
TSQ = "CAST(:tsq AS tsquery)"
WEIGHTS = "'{0.05, 0.2, 0.5, 1.0}'"  # D comments, C body, B tags/themes/community, A title
HEADLINE_TITLE = "HighlightAll=true, StartSel=<mark>, StopSel=</mark>"
HEADLINE_BODY = ("StartSel=<mark>, StopSel=</mark>, MaxWords=40, MinWords=15, ShortWord=2, "
                 'MaxFragments=2, FragmentDelimiter=" … "')

# Texts are escaped (markupsafe) before to_tsvector, exactly as before ts_headline, so both
# parse the same tokens: a body's "<script>" is the word script, not an ignored XML tag.
UPSERT = text(f"""
    INSERT INTO search_documents (idea_id, fingerprint, title, body, vector, updated_at)
    VALUES (:idea_id, :fingerprint, :title, :body,
            setweight(to_tsvector({CFG}, :title_escaped), 'A')
            || setweight(to_tsvector({CFG}, :keywords_escaped), 'B')
            || setweight(to_tsvector({CFG}, :body_escaped), 'C')
            || setweight(to_tsvector({CFG}, :comments_escaped), 'D'),
            now() AT TIME ZONE 'utc')
    ON CONFLICT (idea_id) DO UPDATE SET fingerprint = excluded.fingerprint,
        title = excluded.title, body = excluded.body, vector = excluded.vector,
        updated_at = excluded.updated_at
""")  # noqa: S608 - constants only

DELETE = text("DELETE FROM search_documents WHERE idea_id = ANY(:ids)")

QUEUE = text("INSERT INTO search_queue (idea_id, reason, created_at) "
             "VALUES (:idea_id, :reason, now() AT TIME ZONE 'utc')")

# The visible ideas matching :tsq (or all visible ideas when there is no text): ids and the
# columns facets and sorts need, never the texts (a broad query matches tens of thousands).
# The ideas' columns come from ix_ideas_id_listing (an index-only scan, not the 230 MB of rows
# with their bodies); the territory is the community's, looked up per community afterwards.
MATCHED = """
    SELECT d.idea_id AS id, i.community_id, i.status, i.created_at, i.vote_count,
           {rank} AS rank
    FROM search_documents d
    JOIN ideas i ON i.id = d.idea_id
    WHERE i.community_id = ANY(:allowed) AND i.status <> ALL(:hidden_statuses)
      AND (i.hidden_at IS NULL OR i.community_id = ANY(:moderated)) {conditions}
"""

# The results page in one pass over the matched set: the facet counts (status, community, year
# and territory from one grouping by community, status and year; themes and SDGs through their
# link tables) and the page's ids in order ('hit' rows, their rank). The rank is computed in the
# same pass as the match (the vector is at hand then), never in a second scan.
FACETS_AND_PAGE = """
    WITH matched AS MATERIALIZED ({matched}),
    counts AS (SELECT community_id, status, extract(year FROM created_at)::int AS year,
                      count(*) AS n
               FROM matched GROUP BY community_id, status, year)
    SELECT 'community' AS facet, community_id::text AS value, sum(n)::int AS n,
           NULL::real AS rank, NULL::int AS position
    FROM counts GROUP BY community_id
    UNION ALL SELECT 'status', status, sum(n)::int, NULL, NULL FROM counts GROUP BY status
    UNION ALL SELECT 'year', year::text, sum(n)::int, NULL, NULL FROM counts GROUP BY year
    UNION ALL SELECT 'territory', c.territory_id::text, sum(n)::int, NULL, NULL
              FROM counts JOIN communities c ON c.id = counts.community_id
              WHERE c.territory_id IS NOT NULL GROUP BY c.territory_id
    UNION ALL SELECT 'theme', t.theme_id::text, count(*)::int, NULL, NULL
              FROM matched m JOIN idea_themes t ON t.idea_id = m.id GROUP BY t.theme_id
    UNION ALL SELECT 'sdg', s.sdg::text, count(*)::int, NULL, NULL
              FROM matched m JOIN idea_sdgs s ON s.idea_id = m.id GROUP BY s.sdg
    UNION ALL SELECT 'hit', page.id::text, NULL, page.rank, page.position FROM (
        SELECT id, rank, row_number() OVER (ORDER BY {order})::int AS position
        FROM matched ORDER BY {order} LIMIT :limit OFFSET :offset) page
"""

# The highlighted title and passages of the page's ideas only (ts_headline is the costly part).
HIGHLIGHTS = """
    SELECT d.idea_id AS id, {title} AS title_html, {body} AS body_html, d.body AS d_body
    FROM search_documents d WHERE d.idea_id = ANY(:ids)
"""

# Hash tables of a broad query's matches (80,000 ideas and their 150,000 theme links) spill to
# disk at the default 4 MB; this transaction only.
WORK_MEM = text("SELECT set_config('work_mem', '32MB', true)")

# One page of hits: ordered on the slim matched set, then the texts of that page only go
# through ts_headline (the costly part).
PAGE = """
    WITH page AS (SELECT * FROM ({matched}) m ORDER BY {inner_order}
                  LIMIT :limit OFFSET :offset)
    SELECT page.id, page.rank, {title} AS title_html, {body} AS body_html, d.body AS d_body
    FROM page JOIN search_documents d ON d.idea_id = page.id
    ORDER BY {order}
"""

ORDERS = {"relevance": "rank DESC, created_at DESC, id DESC",
          "newest": "created_at DESC, id DESC",
          "votes": "vote_count DESC, created_at DESC, id DESC",
          "suggest": "rank DESC, vote_count DESC, id DESC"}
PAGE_ORDERS = {key: ", ".join(f"page.{part}" for part in order.split(", "))
               for key, order in ORDERS.items()}

# Escaping in SQL before ts_headline adds <mark>: the marks are then its only markup.
ESCAPED = ("replace(replace(replace(replace(replace({0}, '&', '&amp;'), '<', '&lt;'), "
           "'>', '&gt;'), '\"', '&#34;'), '''', '&#39;')")

# The lexemes of the typed title (all) and body (the most frequent), for "similar ideas".
SIMILAR_LEXEMES = text(f"""
    (SELECT lexeme FROM unnest(to_tsvector({CFG}, :title)))
    UNION
    (SELECT lexeme FROM unnest(to_tsvector({CFG}, :body))
     ORDER BY cardinality(positions) DESC, lexeme LIMIT :n)
""")  # noqa: S608 - constants only
LEXEMES_TO_TSQUERY = text(
    "SELECT CAST((SELECT string_agg(quote_literal(l), ' | ') "
    "FROM unnest(CAST(:lexemes AS text[])) l)::tsquery AS text)")

# "Did you mean": words of titles, tags, themes and community names (search_words), the
# closest by trigram similarity; a one-letter typo in a short word leaves few trigrams in
# common, hence 0.3 rather than the default 0.6 (SET LOCAL: this transaction only).
ADD_WORDS = text("INSERT INTO search_words (word) SELECT unnest(CAST(:words AS text[])) "
                 "ON CONFLICT (word) DO NOTHING")
SIMILARITY_THRESHOLD = text("SELECT set_config('pg_trgm.similarity_threshold', '0.3', true)")
SIMILAR_WORDS = text("SELECT word FROM search_words WHERE word % :word "
                     "ORDER BY similarity(word, :word) DESC, word LIMIT 10")
WORD_MATCHES = text(
    f"SELECT EXISTS (SELECT 1 FROM search_documents WHERE vector @@ websearch_to_tsquery({CFG}, "  # noqa: S608
    ":word))")


def tsquery_sql(parsed: ParsedQuery, prefix: str = "") -> tuple[str, dict]:
    """SQL computing the tsquery of a parsed query, with its parameters.

    websearch_to_tsquery gives OR a *lower* precedence than AND ("a OR b c" is a | (b & c)), so
    the structure is built here with tsquery operators: groups ANDed, alternatives (each word's
    French variants, the group's items) ORed, exclusions AND NOT. Each leaf is
    websearch_to_tsquery of one word or one quoted phrase; a stop word gives an empty tsquery,
    which the operators ignore."""
    params: dict[str, str] = {}

    def leaf(value: str) -> str:
        name = f"w{len(params)}"
        params[name] = value
        return f"websearch_to_tsquery({CFG}, :{name})"

    parts = []
    for group in parsed.required:
        leaves = [leaf(alt) for item in group for alt in alternatives(item)]
        if leaves:
            parts.append("(" + " || ".join(leaves) + ")")
    for item in parsed.excluded:
        leaves = [leaf(alt) for alt in alternatives(item)]
        if leaves:
            parts.append("!!(" + " || ".join(leaves) + ")")
    if prefix:
        params["prefix"] = prefix
        # Prefix on the title's lexemes only (weight A): what is being typed is a title.
        parts.append(f"to_tsquery({CFG}, :prefix || ':*A')")
    if not parts:
        return "", params
    return "SELECT CAST((" + " && ".join(parts) + ") AS text)", params


def alternatives(item: Item) -> list[str]:
    """A phrase stays as typed (PostgreSQL keeps stop-word gaps in phrase distances, so
    "économiser l'énergie" must keep its l'); a word becomes its French variants."""
    if isinstance(item, Phrase):
        return ['"' + " ".join(french.join_acronym(w) for w in item.words) + '"']
    return french.variants(item.text)
