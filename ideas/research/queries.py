"""Reading research interventions: a community's, and every one for management."""

from dataclasses import dataclass

from sqlalchemy import extract, or_
from sqlalchemy.orm import selectinload

from ideas.communities.models import Community
from ideas.extensions import db
from ideas.pagination import paginate
from ideas.research.models import InterventionFormat, ResearchIntervention

COMMUNITY_PAGE_MAX = 10  # the latest ones on the community page; management has the full list
FORMATS = tuple(kind.value for kind in InterventionFormat)


def of_community(community: Community, limit: int = COMMUNITY_PAGE_MAX):
    """The latest interventions, and how many there are in all."""
    where = ResearchIntervention.community_id == community.id
    items = list(db.session.scalars(db.select(ResearchIntervention).where(where)
                                    .order_by(ResearchIntervention.held_on.desc(),
                                              ResearchIntervention.id.desc()).limit(limit)))
    total = db.session.scalar(db.select(db.func.count()).select_from(ResearchIntervention)
                              .where(where))
    return items, total


@dataclass
class InterventionFilters:
    q: str = ""
    year: int | None = None
    community: int | None = None
    format: str | None = None

    def args(self) -> dict:
        return {key: value for key, value in vars(self).items() if value not in (None, "")}


def search(filters: InterventionFilters, page: int, per_page: int):
    stmt = db.select(ResearchIntervention)
    if filters.q:
        text = filters.q.lower()
        stmt = stmt.where(or_(*(db.func.lower(column).contains(text, autoescape=True) for column
                                in (ResearchIntervention.researcher,
                                    ResearchIntervention.institution,
                                    ResearchIntervention.topic))))
    if filters.year:
        stmt = stmt.where(extract("year", ResearchIntervention.held_on) == filters.year)
    if filters.community:
        stmt = stmt.where(ResearchIntervention.community_id == filters.community)
    if filters.format:
        stmt = stmt.where(ResearchIntervention.format == InterventionFormat(filters.format))
    stmt = stmt.options(selectinload(ResearchIntervention.community)).order_by(
        ResearchIntervention.held_on.desc(), ResearchIntervention.id.desc())
    return paginate(stmt, page, per_page)


def years() -> list[int]:
    found = db.session.scalars(db.select(extract("year", ResearchIntervention.held_on))
                               .distinct())
    return sorted((int(year) for year in found), reverse=True)


def get(intervention_id: int) -> ResearchIntervention | None:
    if not 0 < intervention_id < 2**31:
        return None
    return db.session.get(ResearchIntervention, intervention_id)


def community_choices() -> list[tuple[int, str]]:
    return [(id_, name) for id_, name in db.session.execute(
        db.select(Community.id, Community.name).order_by(Community.name))]
