"""Ideas get a version, raised by every change of their content: an edit form loaded before
another change (another tab, a moderator's new title) is refused instead of undoing it.

Revision ID: 0011_idea_version
Revises: 0010_account_erasure
Create Date: 2026-11-24 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_idea_version'
down_revision = '0010_account_erasure'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_column('version')
