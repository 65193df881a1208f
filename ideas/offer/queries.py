"""Reading the catalogue: the filtered list, one service, the ideas it came from."""

from dataclasses import dataclass

from sqlalchemy import exists, extract, or_
from sqlalchemy.orm import selectinload

from ideas.extensions import db
from ideas.ideation.models import Idea
from ideas.ideation.queries import visible_ideas_filter
from ideas.offer.models import Service, ServiceStatus, ServiceType, service_ideas
from ideas.pagination import paginate
from ideas.reference.models import Territory

ORIGINS = ("communities", "other")
TYPES = tuple(kind.value for kind in ServiceType)
STATUSES = tuple(status.value for status in ServiceStatus)


@dataclass
class ServiceFilters:
    """What the query string may ask for; the view dropped anything else (allow-list)."""

    q: str = ""
    type: str | None = None
    status: str | None = None
    territory: int | None = None
    year: int | None = None
    origin: str | None = None

    def args(self) -> dict:
        return {key: value for key, value in vars(self).items() if value not in (None, "")}


_from_community = exists().where(service_ideas.c.service_id == Service.id)


def _territory_and_children(territory_id: int):
    """A directorate stands for its Ateliers too."""
    return db.select(Territory.id).where(or_(Territory.id == territory_id,
                                             Territory.parent_id == territory_id))


def search_services(filters: ServiceFilters, page: int, per_page: int):
    stmt = db.select(Service)
    if filters.q:
        # autoescape: a typed % or _ is searched literally.
        text = filters.q.lower()
        stmt = stmt.where(or_(*(db.func.lower(column).contains(text, autoescape=True)
                                for column in (Service.name, Service.description,
                                               Service.stated_origin))))
    if filters.type:
        stmt = stmt.where(Service.type == ServiceType(filters.type))
    if filters.status:
        stmt = stmt.where(Service.status == ServiceStatus(filters.status))
    if filters.territory:
        stmt = stmt.where(Service.territory_id.in_(_territory_and_children(filters.territory)))
    if filters.year:
        stmt = stmt.where(extract("year", Service.launch_date) == filters.year)
    if filters.origin == "communities":
        stmt = stmt.where(_from_community)
    elif filters.origin == "other":
        stmt = stmt.where(~_from_community)
    stmt = stmt.options(selectinload(Service.territory),
                        selectinload(Service.ideas).selectinload(Idea.community))
    stmt = stmt.order_by(Service.launch_date.desc().nulls_first(), Service.name, Service.id)
    return paginate(stmt, page, per_page)


def launch_years() -> list[int]:
    years = db.session.scalars(db.select(extract("year", Service.launch_date)).where(
        Service.launch_date.is_not(None)).distinct())
    return sorted((int(year) for year in years), reverse=True)


def get_service(service_id: int) -> Service | None:
    if not 0 < service_id < 2**31:
        return None
    return db.session.scalar(db.select(Service).where(Service.id == service_id).options(
        selectinload(Service.territory), selectinload(Service.created_by)))


@dataclass
class Origins:
    ideas: list[Idea]  # the ones the reader may see, with their community loaded
    hidden: int  # ideas of private communities the reader is not a member of


def origins_of(user, service: Service) -> Origins:
    linked = db.select(service_ideas.c.idea_id).where(service_ideas.c.service_id == service.id)
    ideas = list(db.session.scalars(
        db.select(Idea).where(Idea.id.in_(linked), visible_ideas_filter(user))
        .options(selectinload(Idea.community)).order_by(Idea.created_at, Idea.id)))
    total = db.session.scalar(db.select(db.func.count()).select_from(linked.subquery()))
    return Origins(ideas, total - len(ideas))


def visible_ideas_by_id(user, ids: list[int]) -> dict[int, Idea]:
    if not ids:
        return {}
    return {idea.id: idea for idea in db.session.scalars(
        db.select(Idea).where(Idea.id.in_(ids), visible_ideas_filter(user)))}
