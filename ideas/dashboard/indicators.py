"""Objective 4 indicators, computed by SQL aggregation (DOMAIN.md, "Indicators").

- Share of new services from learning communities: among services *launched* in the period
  (launch date inside it, status launched or retired: a planned service counts once launched,
  a later retirement does not remove it), those linked to at least one idea.
- Research interventions: interventions held in the period.

Periods are calendar dates (Europe/Paris calendar: a launch date has no time of day)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, distinct, exists, extract, func, select

from ideas.communities.models import Community
from ideas.extensions import db
from ideas.ideation.models import Idea
from ideas.offer.models import Service, ServiceStatus, service_ideas
from ideas.reference.models import Territory
from ideas.research.models import ResearchIntervention

SHARE_TARGET = 0.70
INTERVENTIONS_TARGET = 40
LAUNCHED = (ServiceStatus.LAUNCHED, ServiceStatus.RETIRED)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(date(year, 1, 1), date(year, 12, 31))


@dataclass(frozen=True)
class Share:
    total: int
    from_communities: int

    @property
    def ratio(self) -> float | None:
        """None when no service was launched: "no data", neither 0 % nor a division error."""
        return self.from_communities / self.total if self.total else None

    @property
    def meets_target(self) -> bool | None:
        return None if self.ratio is None else self.ratio >= SHARE_TARGET


def _launched_in(period: Period):
    return (Service.status.in_(LAUNCHED), Service.launch_date >= period.start,
            Service.launch_date <= period.end)


_from_community = exists().where(service_ideas.c.service_id == Service.id)


def services_share(period: Period) -> Share:
    total, linked = db.session.execute(
        select(func.count(Service.id),
               func.coalesce(func.sum(case((_from_community, 1), else_=0)), 0))
        .where(*_launched_in(period))).one()
    return Share(total=total, from_communities=int(linked))


def share_by_territory(period: Period) -> list[tuple[Territory | None, Share]]:
    """By the service's territory (None: national). The territory itself, not its name: two
    territories may share a name, and the drill-down needs its id."""
    rows = db.session.execute(
        select(Territory, func.count(Service.id),
               func.coalesce(func.sum(case((_from_community, 1), else_=0)), 0))
        .select_from(Service).outerjoin(Territory, Service.territory_id == Territory.id)
        .where(*_launched_in(period)).group_by(Territory.id)
        .order_by(func.count(Service.id).desc(), Territory.name))
    return [(territory, Share(total, int(linked))) for territory, total, linked in rows]


def services_by_community(period: Period) -> list[tuple[Community, int]]:
    """Services launched in the period per community of origin. A service whose ideas come
    from two communities counts once for each here, and once in the total."""
    rows = db.session.execute(
        select(Community, func.count(distinct(Service.id)))
        .select_from(Service)
        .join(service_ideas, service_ideas.c.service_id == Service.id)
        .join(Idea, Idea.id == service_ideas.c.idea_id)
        .join(Community, Community.id == Idea.community_id)
        .where(*_launched_in(period)).group_by(Community.id)
        .order_by(func.count(distinct(Service.id)).desc(), Community.name))
    return [(community, count) for community, count in rows]


def _quarter(column):
    # CASE rather than arithmetic: extract() is an integer on SQLite, numeric on PostgreSQL.
    month = extract("month", column)
    return case((month <= 3, 1), (month <= 6, 2), (month <= 9, 3), else_=4)


def share_by_quarter(period: Period) -> list[tuple[int, int, Share]]:
    """(year, quarter, share) for the quarters with launches."""
    year, quarter = extract("year", Service.launch_date), _quarter(Service.launch_date)
    rows = db.session.execute(
        select(year, quarter, func.count(Service.id),
               func.coalesce(func.sum(case((_from_community, 1), else_=0)), 0))
        .where(*_launched_in(period)).group_by(year, quarter).order_by(year, quarter))
    return [(int(y), int(q), Share(total, int(linked))) for y, q, total, linked in rows]


def services_in(period: Period, *, from_communities: bool | None = None,
                community_id: int | None = None, territory_id: int | None = None):
    """The services behind a figure (drill-down), newest launch first."""
    stmt = select(Service).where(*_launched_in(period))
    if from_communities is True:
        stmt = stmt.where(_from_community)
    elif from_communities is False:
        stmt = stmt.where(~_from_community)
    if community_id is not None:
        stmt = stmt.where(Service.id.in_(
            select(service_ideas.c.service_id).join(Idea, Idea.id == service_ideas.c.idea_id)
            .where(Idea.community_id == community_id)))
    if territory_id is not None:
        stmt = stmt.where(Service.territory_id == territory_id)
    return stmt.order_by(Service.launch_date.desc(), Service.name)


def _held_in(period: Period):
    return (ResearchIntervention.held_on >= period.start,
            ResearchIntervention.held_on <= period.end)


def interventions_count(period: Period) -> int:
    return db.session.scalar(select(func.count(ResearchIntervention.id))
                             .where(*_held_in(period)))


def interventions_by_community(period: Period) -> list[tuple[Community, int]]:
    rows = db.session.execute(
        select(Community, func.count(ResearchIntervention.id))
        .join(ResearchIntervention, ResearchIntervention.community_id == Community.id)
        .where(*_held_in(period)).group_by(Community.id)
        .order_by(func.count(ResearchIntervention.id).desc(), Community.name))
    return [(community, count) for community, count in rows]


def interventions_by_territory(period: Period) -> list[tuple[Territory | None, int]]:
    """By the territory of the community (None: national communities)."""
    rows = db.session.execute(
        select(Territory, func.count(ResearchIntervention.id))
        .select_from(ResearchIntervention)
        .join(Community, Community.id == ResearchIntervention.community_id)
        .outerjoin(Territory, Territory.id == Community.territory_id)
        .where(*_held_in(period)).group_by(Territory.id)
        .order_by(func.count(ResearchIntervention.id).desc(), Territory.name))
    return [(territory, count) for territory, count in rows]


def interventions_by_quarter(period: Period) -> list[tuple[int, int, int]]:
    held = ResearchIntervention.held_on
    year, quarter = extract("year", held), _quarter(held)
    rows = db.session.execute(
        select(year, quarter, func.count(ResearchIntervention.id))
        .where(*_held_in(period)).group_by(year, quarter).order_by(year, quarter))
    return [(int(y), int(q), count) for y, q, count in rows]
