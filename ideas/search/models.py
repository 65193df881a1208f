"""Search tables: the retry queue (both backends) and the PostgreSQL full-text documents.

`search_documents` exists on SQLite too (empty, its vector a plain TEXT) so that one metadata
and one chain of migrations describe both databases; only the PostgreSQL backend fills it.
"""

from datetime import datetime

from sqlalchemy import DDL, ForeignKey, Index, String, Text, event
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from ideas.extensions import db
from ideas.utils import utcnow

TS_CONFIG = "fabrique_fr"


class SearchQueueEntry(db.Model):
    """An idea whose index update failed (index missing, corrupt, locked, read-only): retried by
    `search check --fix` and drained on the next successful index write."""

    __tablename__ = "search_queue"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: a deleted idea must stay queued so its document gets removed.
    idea_id: Mapped[int] = mapped_column(index=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SearchDocument(db.Model):
    """One idea's weighted tsvector (title A, tags/themes/community B, body C, comments D) and the
    plain texts ts_headline highlights. Rewritten in the transaction that changes the idea."""

    __tablename__ = "search_documents"
    __table_args__ = (
        # No pending list (migration 0015): every search would scan it in full.
        Index("ix_search_documents_vector", "vector", postgresql_using="gin",
              postgresql_with={"fastupdate": "off"}),
    )

    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"),
                                         primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    vector: Mapped[str | None] = mapped_column(TSVECTOR().with_variant(Text(), "sqlite"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SearchWord(db.Model):
    """PostgreSQL backend: the folded words (5+ letters) of titles, tags, themes and community
    names, the vocabulary "Did you mean" picks from by trigram similarity (pg_trgm compares
    characters, so words are stored accent-folded like the typed word is)."""

    __tablename__ = "search_words"
    __table_args__ = (
        Index("ix_search_words_word_trgm", "word", postgresql_using="gin",
              postgresql_ops={"word": "gin_trgm_ops"}),
    )

    word: Mapped[str] = mapped_column(String(60), primary_key=True)


# The French configuration: unaccent first, then the French Snowball stemmer (unaccent() itself is
# not immutable, a text search configuration is). The migration runs the same statements;
# create_all (tests) needs them too, before the trigram index is created.
POSTGRES_SETUP = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{TS_CONFIG}') THEN
            CREATE TEXT SEARCH CONFIGURATION {TS_CONFIG} (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION {TS_CONFIG}
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END $$""",  # noqa: S608 - a constant of this module
)

for _table in (SearchDocument.__table__, SearchWord.__table__):
    for _statement in POSTGRES_SETUP:
        event.listen(_table, "before_create", DDL(_statement).execute_if(dialect="postgresql"))
