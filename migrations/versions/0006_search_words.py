"""Search: vocabulary for typo corrections (PostgreSQL), drop the spelling column

Revision ID: 0006_search_words
Revises: 0005_moderation
Create Date: 2026-11-23 09:40:37.609288

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_search_words'
down_revision = '0005_moderation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_words',
    sa.Column('word', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('word', name=op.f('pk_search_words'))
    )
    with op.batch_alter_table('search_words', schema=None) as batch_op:
        batch_op.create_index('ix_search_words_word_trgm', ['word'], unique=False, postgresql_using='gin', postgresql_ops={'word': 'gin_trgm_ops'})

    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_documents_spelling_trgm'))
        batch_op.drop_column('spelling')


def downgrade():
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('spelling', sa.TEXT(), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_search_documents_spelling_trgm'), ['spelling'],
                              unique=False, postgresql_using='gin',
                              postgresql_ops={'spelling': 'gin_trgm_ops'})

    with op.batch_alter_table('search_words', schema=None) as batch_op:
        batch_op.drop_index('ix_search_words_word_trgm', postgresql_using='gin', postgresql_ops={'word': 'gin_trgm_ops'})

    op.drop_table('search_words')
