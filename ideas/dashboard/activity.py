"""Activity over a period, by SQL aggregation: the funnel of the workflow, the time from posting
to adoption, and the vitality of each community (DOMAIN.md, "Indicators").

Datetimes are stored in naive UTC; a period is made of Paris days (`periods.utc_bounds`).
Ideas and comments hidden by the moderation count for nobody: the figures are shared by every
manager (and cached), and hidden items leave "lists and counts" (moderation issue)."""

import math
from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select

from ideas.communities.models import Community
from ideas.dashboard import daily
from ideas.dashboard.indicators import Period
from ideas.dashboard.models import ActivityAgent, ActivityDay
from ideas.dashboard.periods import utc_bounds
from ideas.extensions import db
from ideas.ideation.models import Idea, IdeaStatus
from ideas.workflow.models import StatusChange
from ideas.workflow.transitions import FUNNEL

SECONDS_PER_DAY = 86_400
SHOWN = Idea.hidden_at.is_(None)  # not hidden by the moderation


@dataclass(frozen=True)
class FunnelStage:
    status: IdeaStatus
    count: int
    previous: int | None  # the stage before (None for the first)

    @property
    def conversion(self) -> float | None:
        """Share of the previous stage; None when there is nothing to compare with."""
        if self.previous is None or not self.previous:
            return None
        return self.count / self.previous


def reached_states(status: IdeaStatus) -> tuple[IdeaStatus, ...]:
    """The moves that mean an idea reached `status`: into it, or into a later stage of the
    funnel (an idea may be adopted straight from `selected`, skipping `piloting`)."""
    return FUNNEL[FUNNEL.index(status):]


def _in(column, period: Period):
    start, end = utc_bounds(period)
    return and_(column >= start, column < end)


def reached_in(period: Period, status: IdeaStatus):
    """SQL condition on Idea: the idea reached `status` in the period. For `submitted`, it was
    posted in the period; for the others, a status change moved it there (or past it)."""
    if status == IdeaStatus.SUBMITTED:
        return and_(_in(Idea.created_at, period), SHOWN)
    return and_(SHOWN, Idea.id.in_(select(StatusChange.idea_id).where(
        StatusChange.to_status.in_(reached_states(status)), _in(StatusChange.created_at, period))))


def funnel(period: Period) -> list[FunnelStage]:
    """Ideas that reached each stage in the period: two queries whatever the volume. Each idea's
    furthest stage reached in the period is computed once (one GROUP BY), then counted for
    every stage up to it: cheaper than one COUNT(DISTINCT) per stage."""
    posted = db.session.scalar(select(func.count(Idea.id))
                               .where(_in(Idea.created_at, period), SHOWN))
    later = FUNNEL[1:]
    rank = case(*((StatusChange.to_status == status, position)
                  for position, status in enumerate(later, start=1)))
    furthest = (select(func.max(rank).label("rank"))
                .join(Idea, Idea.id == StatusChange.idea_id)
                .where(StatusChange.to_status.in_(later), _in(StatusChange.created_at, period),
                       SHOWN)
                .group_by(StatusChange.idea_id).subquery())
    counts = db.session.execute(select(*(
        func.coalesce(func.sum(case((furthest.c.rank >= position, 1), else_=0)), 0)
        for position in range(1, len(later) + 1)))).one()
    numbers = [posted, *(int(count) for count in counts)]
    return [FunnelStage(status, numbers[i], numbers[i - 1] if i else None)
            for i, status in enumerate(FUNNEL)]


@dataclass(frozen=True)
class Delays:
    """Days from posting to adoption, over the ideas adopted in the period."""

    count: int
    median: float | None
    p80: float | None


def percentile(values: list[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks (the spreadsheet's PERCENTILE.INC)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * fraction
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def adoption_delays(period: Period) -> Delays:
    """Only the (bounded) list of the period's adoptions comes into Python, for percentiles."""
    rows = db.session.execute(
        select(Idea.created_at, func.min(StatusChange.created_at))
        .join(StatusChange, StatusChange.idea_id == Idea.id)
        .where(StatusChange.to_status == IdeaStatus.ADOPTED, _in(StatusChange.created_at, period),
               SHOWN)
        .group_by(Idea.id, Idea.created_at))
    days = [max((adopted - posted).total_seconds(), 0) / SECONDS_PER_DAY
            for posted, adopted in rows]
    return Delays(len(days), percentile(days, 0.5), percentile(days, 0.8))


@dataclass(frozen=True)
class Vitality:
    """Plain values, not the Community row: the dashboard may keep them past the request."""

    community_id: int
    community_name: str
    ideas: int
    comments: int
    supports: int
    active_agents: int  # distinct agents who posted, commented or supported in the period


def _vitality_rows(activity) -> list[Vitality]:
    """Every community that is open for business, idle ones with zeros; an archived one only
    if it had activity. `activity`: (community_id, ideas, comments, supports, agents)."""
    rows = db.session.execute(
        select(Community.id, Community.name, func.coalesce(activity.c.ideas, 0),
               func.coalesce(activity.c.comments, 0),
               func.coalesce(activity.c.supports, 0), func.coalesce(activity.c.agents, 0))
        .outerjoin(activity, activity.c.community_id == Community.id)
        .where(or_(Community.archived_at.is_(None), activity.c.community_id.is_not(None)))
        .order_by(func.coalesce(activity.c.agents, 0).desc(),
                  func.coalesce(activity.c.ideas, 0).desc(), Community.name))
    return [Vitality(community_id, name, int(ideas), int(comments), int(supports), int(agents))
            for community_id, name, ideas, comments, supports, agents in rows]


def vitality(period: Period) -> list[Vitality]:
    """Per community: ideas posted, comments written (deleted ones left out), supports given and
    distinct active agents in the period, from the daily aggregates (ideas/dashboard/daily.py,
    brought up to date first): the day totals are summed, the agents counted once over the
    period's (day, community, agent) rows, each on their first day in the period."""
    daily.refresh()
    in_period = (ActivityDay.day >= period.start, ActivityDay.day <= period.end)
    totals = (select(ActivityDay.community_id, func.sum(ActivityDay.ideas).label("ideas"),
                     func.sum(ActivityDay.comments).label("comments"),
                     func.sum(ActivityDay.supports).label("supports"))
              .where(*in_period).group_by(ActivityDay.community_id).subquery())
    # Each agent once: on their first active day of the period (see ActivityAgent).
    first_days = (ActivityAgent.day >= period.start, ActivityAgent.day <= period.end,
                  or_(ActivityAgent.prev_day.is_(None), ActivityAgent.prev_day < period.start))
    agents = (select(ActivityAgent.community_id, func.count().label("agents"))
              .where(*first_days).group_by(ActivityAgent.community_id).subquery())
    activity = (select(totals.c.community_id, totals.c.ideas, totals.c.comments,
                       totals.c.supports, agents.c.agents)
                .outerjoin(agents, agents.c.community_id == totals.c.community_id).subquery())
    return _vitality_rows(activity)


def live_vitality(period: Period) -> list[Vitality]:
    """The same figures straight from the events (checks and tests: the aggregates must agree).
    Summed per (community, agent) pair, then per community, where each pair is one agent."""
    start, end = utc_bounds(period)
    pairs = daily.events_by_agent(start, end).subquery()
    # A deleted account (user_id NULL) still counts its contributions, not as an active agent.
    activity = (select(pairs.c.community_id, func.sum(pairs.c.ideas).label("ideas"),
                       func.sum(pairs.c.comments).label("comments"),
                       func.sum(pairs.c.supports).label("supports"),
                       func.count(pairs.c.user_id).label("agents"))
                .group_by(pairs.c.community_id).subquery())
    return _vitality_rows(activity)
