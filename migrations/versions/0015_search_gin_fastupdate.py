"""PostgreSQL search: the GIN index of search_documents without its pending list

With fastupdate (PostgreSQL's default) new entries go to an unsorted pending list that every
search scans in full until autovacuum merges it; documents are rewritten at each change of an
idea, so the list was always there (126 pages, 1 MB, on the scale database). Written straight
into the index instead: each write pays a little more, each search no longer does.
Nothing on SQLite (search_documents stays empty there).

Revision ID: 0015_search_gin_fastupdate
Revises: 0014_activity_daily
Create Date: 2026-11-23 17:10:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_search_gin_fastupdate'
down_revision = '0014_activity_daily'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER INDEX ix_search_documents_vector SET (fastupdate = off)")
    # Merge what the pending list holds now: nothing else would (autovacuum would, later).
    op.execute("SELECT gin_clean_pending_list('ix_search_documents_vector')")
    op.execute("ANALYZE search_documents")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER INDEX ix_search_documents_vector RESET (fastupdate)")
