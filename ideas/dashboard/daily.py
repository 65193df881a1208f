"""The daily activity aggregates behind the vitality table (models in ideas/dashboard/models.py).

A year of activity is about 240,000 events (ideas, comments, supports) at 1,000,000 supports;
mapping each to its idea's community on every cold dashboard took 0.4–4 s on PostgreSQL. The
vitality table now reads about 20,000 day rows and the period's (day, community, agent) pairs.

Exact by construction: a day's rows are recomputed from its events with the same rules as the
live computation (`events_by_agent`), never adjusted by deltas. Triggers note which
dates changed (ideas/dashboard/triggers.py); `refresh()` recomputes them before a read, so a
support given a second ago, an idea hidden, a merge or an erased account show at once."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from sqlalchemy import and_, case, delete, func, insert, literal, select, tuple_, union_all, update
from sqlalchemy.orm import aliased

from ideas.comments.models import Comment
from ideas.dashboard.indicators import Period
from ideas.dashboard.models import ActivityAgent, ActivityDay, ActivityDirty
from ideas.dashboard.periods import utc_bounds
from ideas.extensions import db
from ideas.ideation.models import Idea
from ideas.votes.models import Vote

IDEA, COMMENT, SUPPORT = 1, 2, 3  # kinds of activity
LINK_BATCH = 400  # (community, agent) pairs per statement: SQLite's bound parameters


def events_by_agent(start, end):
    """(community, agent, ideas, comments, supports) of the events in [start, end) (naive UTC):
    ideas posted, comments written (deleted ones left out), supports given. Content hidden by
    the moderation counts for nobody: an idea hidden takes its comments and supports along."""
    shown = Idea.hidden_at.is_(None)

    def between(column):
        return and_(column >= start, column < end)

    posted = select(Idea.community_id.label("community_id"), Idea.author_id.label("user_id"),
                    literal(IDEA).label("kind")).where(between(Idea.created_at), shown)
    commented = (select(Idea.community_id, Comment.author_id, literal(COMMENT))
                 .join(Idea, Idea.id == Comment.idea_id)
                 .where(between(Comment.created_at), Comment.deleted_at.is_(None),
                        Comment.hidden_at.is_(None), shown))
    supported = (select(Idea.community_id, Vote.user_id, literal(SUPPORT))
                 .join(Idea, Idea.id == Vote.idea_id).where(between(Vote.created_at), shown))
    events = union_all(posted, commented, supported).subquery()

    def count_of(kind, name):
        return func.sum(case((events.c.kind == kind, 1), else_=0)).label(name)

    return (select(events.c.community_id, events.c.user_id, count_of(IDEA, "ideas"),
                   count_of(COMMENT, "comments"), count_of(SUPPORT, "supports"))
            .group_by(events.c.community_id, events.c.user_id))


def recompute(days: Iterable[date], progress: Callable[[int], None] | None = None,
              session=None) -> None:
    """Replace the rows of these Paris days by their events' figures, then the `prev_day` of
    the agents who became or stopped being active on one of them (no commit). `session`: the
    app's by default, the migration's own connection's in migration 0014."""
    session = session or db.session
    days = sorted(set(days))
    changed = set()  # (community, agent) pairs that appeared on or left one of the days
    for day in days:
        changed.update(_replace_day(session, day))
        if progress:
            progress(1)
    pairs = sorted(changed)
    for first in range(0, len(pairs), LINK_BATCH):
        _link(session, _pair_in(pairs[first:first + LINK_BATCH]), days[0])


def _pair_in(pairs):
    return tuple_(ActivityAgent.community_id, ActivityAgent.user_id).in_(pairs)


def _replace_day(session, day: date, last_days: dict | None = None) -> set[tuple[int, int]]:
    """The day's rows from its events; the (community, agent) pairs added or removed.

    Agents active before and after keep their row, and its `prev_day`: a refresh of today,
    after a few supports, touches a handful of the day's thousands of rows. `last_days`, when
    days come in order on empty tables (rebuild): each pair's last day so far, to write
    `prev_day` at once rather than by an UPDATE of every row (which doubled the table on
    PostgreSQL until a VACUUM)."""
    start, end = utc_bounds(Period(day, day))
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    agents = set()
    for community_id, user_id, ideas, comments, supports in session.execute(
            events_by_agent(start, end)):
        total = totals[community_id]
        total[0] += ideas
        total[1] += comments
        total[2] += supports
        if user_id is not None:  # a deleted account's contributions count, not the agent
            agents.add((community_id, user_id))
    session.execute(delete(ActivityDay).where(ActivityDay.day == day))
    if totals:
        session.execute(insert(ActivityDay), [
            {"day": day, "community_id": community_id, "ideas": ideas, "comments": comments,
             "supports": supports}
            for community_id, (ideas, comments, supports) in totals.items()])
    if last_days is None:
        before = {(community_id, user_id) for community_id, user_id in session.execute(
            select(ActivityAgent.community_id, ActivityAgent.user_id)
            .where(ActivityAgent.day == day))}
        gone, added = sorted(before - agents), agents - before
        for first in range(0, len(gone), LINK_BATCH):
            session.execute(delete(ActivityAgent).where(
                ActivityAgent.day == day, _pair_in(gone[first:first + LINK_BATCH])))
    else:
        gone, added = [], agents
    if added:
        known = last_days or {}
        session.execute(insert(ActivityAgent), [
            {"day": day, "community_id": community_id, "user_id": user_id,
             "prev_day": known.get((community_id, user_id))}
            for community_id, user_id in added])
    if last_days is not None:
        last_days.update(dict.fromkeys(agents, day))
    return set(gone) | added


def _link(session, pairs_condition, since: date) -> None:
    """Set `prev_day` (the previous row of the same agent in the same community) where it is
    wrong, for the pairs matching the condition, on their rows from `since` on: rows before
    the recomputed days keep theirs. Each row's value is one primary-key seek (a window over
    every row of a few thousand pairs took seconds on PostgreSQL)."""
    agent, earlier = ActivityAgent, aliased(ActivityAgent)
    previous = (select(func.max(earlier.day))
                .where(earlier.community_id == agent.community_id,
                       earlier.user_id == agent.user_id, earlier.day < agent.day)
                .scalar_subquery())
    session.execute(
        update(agent).values(prev_day=previous)
        .where(pairs_condition, agent.day >= since, agent.prev_day.is_distinct_from(previous))
        .execution_options(synchronize_session=False))


def refresh() -> int:
    """Recompute the days whose events changed; how many days. Claiming the dates by DELETE …
    RETURNING makes a concurrent refresh wait, then find nothing left to do; a write committed
    meanwhile marks its date again."""
    if db.session.scalar(select(ActivityDirty.day).limit(1)) is None:
        return 0  # the usual case: a read, no write lock
    claimed = db.session.scalars(delete(ActivityDirty).returning(ActivityDirty.day)).all()
    # A UTC date's events fall on that Paris day or, late in the evening, on the next.
    days = {utc_date + timedelta(days=shift) for utc_date in claimed for shift in (0, 1)}
    recompute(days)
    return len(days)


def history_days(session) -> list[date]:
    """Every Paris day from the first event to the last (empty without any)."""
    firsts, lasts = zip(*(session.execute(
        select(func.min(column), func.max(column))).one()
        for column in (Idea.created_at, Comment.created_at, Vote.created_at)), strict=True)
    firsts, lasts = [v for v in firsts if v is not None], [v for v in lasts if v is not None]
    if not firsts:
        return []
    first, last = min(firsts).date(), max(lasts).date() + timedelta(days=1)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def rebuild(progress: Callable[[int], None] | None = None, session=None) -> int:
    """Recompute every day (migration 0014, `flask dashboard rebuild-activity`, the scale
    seed); how many days. `progress(n)` after each."""
    session = session or db.session
    days = history_days(session)
    for model in (ActivityDirty, ActivityDay, ActivityAgent):
        session.execute(delete(model))
    last_days: dict[tuple[int, int], date] = {}
    for day in days:  # in order
        _replace_day(session, day, last_days)
        if progress:
            progress(1)
    return len(days)
