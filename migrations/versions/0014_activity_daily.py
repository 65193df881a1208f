"""Daily activity aggregates of the dashboard's vitality table (ideas/dashboard/daily.py):
activity_days (ideas, comments, supports per Paris day and community), activity_agents (each
active agent per day and community, with their previous active day: active agents over a
period are distinct, each counted on their first day in it),
activity_dirty (dates to recompute) and the triggers that fill it; then every day computed
from the events (about 1 min at 1,000,000 supports; progress on stderr).

Revision ID: 0014_activity_daily
Revises: 0013_id_listing_index
Create Date: 2026-11-23 17:30:00

"""
import sys

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

# revision identifiers, used by Alembic.
revision = '0014_activity_daily'
down_revision = '0013_id_listing_index'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'activity_days',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('community_id', sa.Integer(), nullable=False),
        sa.Column('ideas', sa.Integer(), nullable=False),
        sa.Column('comments', sa.Integer(), nullable=False),
        sa.Column('supports', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('day', 'community_id', name=op.f('pk_activity_days')))
    op.create_table(
        'activity_agents',
        sa.Column('community_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('prev_day', sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint('community_id', 'user_id', 'day',
                                name=op.f('pk_activity_agents')))
    op.create_index('ix_activity_agents_day', 'activity_agents',
                    ['day', 'prev_day', 'community_id'], unique=False)
    op.create_table(
        'activity_dirty',
        sa.Column('day', sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint('day', name=op.f('pk_activity_dirty')))

    from ideas.dashboard import daily, triggers

    connection = op.get_bind()
    triggers.install(connection)
    session = Session(bind=connection)
    total = len(daily.history_days(session))
    done = {'days': 0}

    def progress(step: int) -> None:
        done['days'] += step
        if done['days'] % 100 == 0 or done['days'] == total:
            print(f'\ractivity_days: {done["days"]}/{total} days', end='', file=sys.stderr)

    daily.rebuild(progress, session)
    session.flush()
    if total:
        print(file=sys.stderr)
    for table in ('activity_days', 'activity_agents'):
        op.execute(f'ANALYZE {table}')


def downgrade():
    from ideas.dashboard import triggers

    triggers.uninstall(op.get_bind())
    op.drop_table('activity_dirty')
    op.drop_index('ix_activity_agents_day', table_name='activity_agents')
    op.drop_table('activity_agents')
    op.drop_table('activity_days')
