"""Search: retry queue, PostgreSQL full-text documents

Revision ID: 0004_search
Revises: 0003_workflow
Create Date: 2026-11-23 08:35:57.905392

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0004_search'
down_revision = '0003_workflow'
branch_labels = None
depends_on = None


# The French text search configuration: unaccent, then the French Snowball stemmer. A copy of
# ideas.search.models.POSTGRES_SETUP as it was when this migration was written (migrations
# do not import application code that may change later). Nothing of it runs on SQLite.
POSTGRES_SETUP = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'fabrique_fr') THEN
            CREATE TEXT SEARCH CONFIGURATION fabrique_fr (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION fabrique_fr
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END $$""",
)


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRES_SETUP:
            op.execute(statement)
    op.create_table('search_queue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_queue'))
    )
    with op.batch_alter_table('search_queue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_queue_idea_id'), ['idea_id'], unique=False)

    op.create_table('search_documents',
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=40), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('spelling', sa.Text(), nullable=False),
    sa.Column('vector', postgresql.TSVECTOR().with_variant(sa.Text(), 'sqlite'), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_search_documents_idea_id_ideas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('idea_id', name=op.f('pk_search_documents'))
    )
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.create_index('ix_search_documents_spelling_trgm', ['spelling'], unique=False, postgresql_using='gin', postgresql_ops={'spelling': 'gin_trgm_ops'})
        batch_op.create_index('ix_search_documents_vector', ['vector'], unique=False, postgresql_using='gin')



def downgrade():
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_search_documents_vector', postgresql_using='gin')
        batch_op.drop_index('ix_search_documents_spelling_trgm', postgresql_using='gin', postgresql_ops={'spelling': 'gin_trgm_ops'})

    op.drop_table('search_documents')
    with op.batch_alter_table('search_queue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_queue_idea_id'))

    op.drop_table('search_queue')
    if op.get_bind().dialect.name == "postgresql":
        # The extensions stay: other objects may use them, and they cost nothing.
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS fabrique_fr")
