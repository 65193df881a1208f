"""Listing indexes (bench/perf at 100,000 ideas): the all-ideas and community lists count,
sort and skip their candidates from an index holding the visibility rule's columns, then read
the page's rows only (ids first); the theme filter reads a theme's ideas from its index.
ix_ideas_created_at is the new listing index's prefix.

Revision ID: 0012_listing_indexes
Revises: 0011_idea_version
Create Date: 2026-11-23 14:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_listing_indexes'
down_revision = '0011_idea_version'
branch_labels = None
depends_on = None

LISTING = ['community_id', 'status', 'hidden_at', 'author_id']


def upgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index('ix_ideas_community_created')
        batch_op.create_index('ix_ideas_community_created',
                              ['community_id', 'created_at', 'id', 'status', 'hidden_at',
                               'author_id', 'pinned_at'], unique=False)
        batch_op.drop_index('ix_ideas_created_at')
        batch_op.create_index('ix_ideas_listing', ['created_at', 'id', *LISTING], unique=False)
    with op.batch_alter_table('idea_themes', schema=None) as batch_op:
        batch_op.drop_index('ix_idea_themes_theme_id')
        batch_op.create_index('ix_idea_themes_theme_id', ['theme_id', 'idea_id'], unique=False)
    # Statistics for the new indexes: without them SQLite's planner skips a deep page through
    # the rows instead of the listing index (73 ms instead of 9 at 100,000 ideas).
    op.execute('ANALYZE ideas')
    op.execute('ANALYZE idea_themes')


def downgrade():
    with op.batch_alter_table('idea_themes', schema=None) as batch_op:
        batch_op.drop_index('ix_idea_themes_theme_id')
        batch_op.create_index('ix_idea_themes_theme_id', ['theme_id'], unique=False)
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index('ix_ideas_listing')
        batch_op.create_index('ix_ideas_created_at', ['created_at'], unique=False)
        batch_op.drop_index('ix_ideas_community_created')
        batch_op.create_index('ix_ideas_community_created', ['community_id', 'created_at'],
                              unique=False)
