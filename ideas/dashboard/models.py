"""Daily activity aggregates of the dashboard's vitality table (ideas/dashboard/daily.py).

- `activity_days`: per Paris day and community, ideas posted, comments written, supports given;
- `activity_agents`: per Paris day and community, each agent who did one of those: "active
  agents" over a period is a distinct count, which daily totals cannot be summed into;
- `activity_dirty`: the UTC dates whose events changed since their rows were computed. Database
  triggers (ideas/dashboard/triggers.py) fill it on every write that can move a figure — a
  support, a comment, a hidden idea, a merge, an erased account, a cascade — whoever writes.

No foreign keys: the rows are derived data, recomputed from the events, never the reverse."""

from datetime import date

from sqlalchemy import Index
from sqlalchemy.orm import Mapped, mapped_column

from ideas.dashboard import triggers  # noqa: F401 - created with the tables by create_all
from ideas.extensions import db


class ActivityDay(db.Model):
    __tablename__ = "activity_days"

    day: Mapped[date] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(primary_key=True)
    ideas: Mapped[int] = mapped_column(default=0)
    comments: Mapped[int] = mapped_column(default=0)
    supports: Mapped[int] = mapped_column(default=0)


class ActivityAgent(db.Model):
    """`prev_day`: the agent's previous active day in that community (None: the first). An
    agent is active in [start, end] exactly once with `day` in it and `prev_day` before start:
    active agents are counted with no DISTINCT (a year holds ~230,000 rows at full scale, which
    a distinct count took 0.5 s to hash)."""

    __tablename__ = "activity_agents"
    __table_args__ = (
        # The count of a period, from the index alone.
        Index("ix_activity_agents_day", "day", "prev_day", "community_id"),
    )

    # In this order: an agent's days in a community, for `prev_day`.
    community_id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    prev_day: Mapped[date | None]


class ActivityDirty(db.Model):
    __tablename__ = "activity_dirty"

    # A UTC date (what a trigger can compute on SQLite): its events belong to that Paris day
    # or, from 22:00/23:00 UTC, to the next.
    day: Mapped[date] = mapped_column(primary_key=True)
