"""Idempotency tokens on the create forms: one idea or comment per submitted form, however
often it is posted (double click, retry after a lost response). See ideas/idempotency.py.

Revision ID: 0009_submission_tokens
Revises: 0008_dashboard_indexes
Create Date: 2026-11-24 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_submission_tokens'
down_revision = '0008_dashboard_indexes'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('ideas', 'comments'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('submission_token', sa.String(length=64),
                                          nullable=True))
            batch_op.create_unique_constraint(f'uq_{table}_author_id_submission_token',
                                              ['author_id', 'submission_token'])


def downgrade():
    for table in ('comments', 'ideas'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'uq_{table}_author_id_submission_token', type_='unique')
            batch_op.drop_column('submission_token')
