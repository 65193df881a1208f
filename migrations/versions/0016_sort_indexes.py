"""The "supported" and "commented" sorts of the idea lists in their own covering indexes (sort
keys, then the visibility columns), as ix_ideas_listing for the newest first: a page sought
after a keyset cursor (ideas.pagination.PageCursor) and its total read without the rows.
ix_ideas_supported leads with vote_count and replaces ix_ideas_vote_count (the same writes on
each support).

Revision ID: 0016_sort_indexes
Revises: 0015_search_gin_fastupdate
Create Date: 2026-11-23 20:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_sort_indexes'
down_revision = '0015_search_gin_fastupdate'
branch_labels = None
depends_on = None

LISTING = [  # ix_ideas_listing's columns: the sort's tail, then the visibility rule's
    'created_at', 'id', 'community_id', 'status', 'hidden_at', 'author_id']


def upgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.create_index('ix_ideas_supported', ['vote_count', *LISTING], unique=False)
        batch_op.create_index('ix_ideas_commented', ['comment_count', *LISTING],
                              unique=False)
        batch_op.drop_index('ix_ideas_vote_count')
    op.execute('ANALYZE ideas')


def downgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.create_index('ix_ideas_vote_count', ['vote_count'], unique=False)
        batch_op.drop_index('ix_ideas_commented')
        batch_op.drop_index('ix_ideas_supported')
