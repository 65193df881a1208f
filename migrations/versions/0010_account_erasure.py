"""Account erasure (RGPD): users.erased_at marks an account anonymised by ideas.privacy.erasure
(the row stays so that foreign keys hold; its name and email are placeholders).

Revision ID: 0010_account_erasure
Revises: 0009_submission_tokens
Create Date: 2026-11-24 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_account_erasure'
down_revision = '0009_submission_tokens'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(), nullable=True))


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        # Not a batch "copy and move": dropping the old users table would cascade to every
        # membership, vote and follow (foreign keys are on). SQLite >= 3.35 drops in place.
        op.execute('ALTER TABLE users DROP COLUMN erased_at')
    else:
        op.drop_column('users', 'erased_at')
