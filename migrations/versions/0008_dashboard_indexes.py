"""Dashboard indexes: vitality (supports and comments of a period), funnel and delays (status
changes with their idea), management review (ideas to decide on, sorted from the index).
Measured with bench/dashboard/run.py (bench/results/dashboard.md).

Revision ID: 0008_dashboard_indexes
Revises: 0007_notifications
Create Date: 2026-11-23 10:05:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008_dashboard_indexes'
down_revision = '0007_notifications'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_index('ix_votes_created', ['created_at', 'idea_id', 'user_id'],
                              unique=False)
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_created',
                              ['created_at', 'idea_id', 'author_id', 'deleted_at'], unique=False)
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        # The same index with idea_id added: it answers the funnel without reading the rows.
        batch_op.drop_index('ix_status_changes_to_created')
        batch_op.create_index('ix_status_changes_to_created_idea',
                              ['to_status', 'created_at', 'idea_id'], unique=False)
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.create_index('ix_ideas_status_changed',
                              ['status', 'status_changed_at', 'created_at', 'community_id',
                               'vote_count'], unique=False)


def downgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index('ix_ideas_status_changed')
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_status_changes_to_created_idea')
        batch_op.create_index('ix_status_changes_to_created', ['to_status', 'created_at'],
                              unique=False)
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_created')
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index('ix_votes_created')
