"""The rows behind each figure of the dashboard (drill-down): services, research interventions
and ideas of a period, narrowed like the figure was (origin, community, territory, stage)."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import defer, joinedload, selectinload

from ideas.communities.models import Community
from ideas.dashboard import indicators
from ideas.dashboard.activity import reached_in
from ideas.dashboard.indicators import Period
from ideas.extensions import db
from ideas.ideation.models import Idea, IdeaStatus
from ideas.offer.models import Service
from ideas.reference.models import Territory
from ideas.research.models import ResearchIntervention
from ideas.workflow.transitions import FUNNEL

NATIONAL = "national"  # the territory of services and communities attached to none
ORIGINS = ("communities", "other")
STAGES = tuple(status.value for status in FUNNEL)


@dataclass
class DrillDown:
    """What a figure was narrowed by; the view dropped anything else (allow-list)."""

    origin: str | None = None  # "communities", "other" or None (all)
    community: int | None = None
    territory: int | str | None = None  # a territory id, NATIONAL or None (all)
    stage: str | None = None  # a FUNNEL status, for ideas

    def args(self) -> dict:
        return {key: value for key, value in vars(self).items() if value is not None}


def services(period: Period, drill: DrillDown):
    """Services launched in the period, each with its ideas and their communities."""
    stmt = indicators.services_in(
        period, from_communities={"communities": True, "other": False}.get(drill.origin),
        community_id=drill.community,
        territory_id=drill.territory if isinstance(drill.territory, int) else None)
    if drill.territory == NATIONAL:
        stmt = stmt.where(Service.territory_id.is_(None))
    return stmt.order_by(Service.id.desc()).options(
        joinedload(Service.territory),
        selectinload(Service.ideas).joinedload(Idea.community))


def interventions(period: Period, drill: DrillDown):
    """Interventions held in the period; their territory is their community's."""
    stmt = (select(ResearchIntervention)
            .join(Community, Community.id == ResearchIntervention.community_id)
            .where(ResearchIntervention.held_on >= period.start,
                   ResearchIntervention.held_on <= period.end))
    if drill.community is not None:
        stmt = stmt.where(ResearchIntervention.community_id == drill.community)
    if drill.territory == NATIONAL:
        stmt = stmt.where(Community.territory_id.is_(None))
    elif drill.territory is not None:
        stmt = stmt.where(Community.territory_id == drill.territory)
    return stmt.options(joinedload(ResearchIntervention.community)).order_by(
        ResearchIntervention.held_on.desc(), ResearchIntervention.id.desc())


def ideas(period: Period, drill: DrillDown):
    """Ideas that reached the stage in the period (posted in it, for `submitted`)."""
    stage = IdeaStatus(drill.stage or IdeaStatus.SUBMITTED)
    stmt = select(Idea).where(reached_in(period, stage))
    if drill.community is not None:
        stmt = stmt.where(Idea.community_id == drill.community)
    # The community by an IN query and no text: a stage may hold thousands of ideas, and
    # joined or wide rows would all go through the sort before LIMIT keeps one page.
    return stmt.options(defer(Idea.body), defer(Idea.body_html),
                        selectinload(Idea.community)).order_by(
        Idea.created_at.desc(), Idea.id.desc())


def community_name(community_id: int | None) -> str | None:
    if community_id is None:
        return None
    return db.session.scalar(select(Community.name).where(Community.id == community_id))


def territory_name(territory: int | str | None) -> str | None:
    if not isinstance(territory, int):
        return None
    return db.session.scalar(select(Territory.name).where(Territory.id == territory))
