"""Catalogue use cases: create, edit, retire services and record where they came from.
Adds and flushes; the caller commits."""

from datetime import date

from flask_babel import lazy_gettext as _l

from ideas.errors import DomainError
from ideas.extensions import db
from ideas.ideation.models import Idea
from ideas.offer.models import Service, ServiceStatus, ServiceType
from ideas.utils import clean_line, clean_text, utcnow

NAME_MAX = 200
ORIGIN_MAX = 300


def _apply(service: Service, *, name: str, description: str = "", type: ServiceType | str,
           territory_id: int | None = None, launch_date: date | None = None,
           status: ServiceStatus | str = ServiceStatus.PLANNED, ideas: list[Idea] | None = None,
           stated_origin: str | None = None) -> None:
    name = clean_line(name)
    if not name:
        raise DomainError(_l("Indiquez le nom du service."), field="name")
    if len(name) > NAME_MAX:
        raise DomainError(_l("Le nom ne doit pas dépasser %(n)d caractères.", n=NAME_MAX),
                          field="name")
    try:
        type, status = ServiceType(type), ServiceStatus(status)
    except ValueError:
        raise DomainError(_l("Type ou état de service inconnu."), field="type") from None
    ideas = list(ideas or [])
    stated_origin = clean_line(stated_origin) or None
    if not ideas and not stated_origin:
        # Without its origin, a service would silently lower or inflate the 70 % share.
        raise DomainError(_l("Indiquez les idées dont le service est issu, ou son origine "
                             "(commande nationale, partenaire, équipe interne…)."),
                          field="stated_origin")
    if stated_origin and len(stated_origin) > ORIGIN_MAX:
        raise DomainError(_l("L'origine ne doit pas dépasser %(n)d caractères.", n=ORIGIN_MAX),
                          field="stated_origin")
    if status != ServiceStatus.PLANNED and launch_date is None:
        raise DomainError(_l("Un service lancé doit avoir une date de lancement."),
                          field="launch_date")
    service.name, service.description, service.type = name, clean_text(description), type
    service.territory_id, service.launch_date, service.status = territory_id, launch_date, status
    service.ideas = ideas
    service.stated_origin = None if ideas else stated_origin
    if status == ServiceStatus.RETIRED and service.retired_at is None:
        service.retired_at = utcnow()
    elif status != ServiceStatus.RETIRED:
        service.retired_at = None


def check_service(**fields) -> None:
    """Raise the DomainError `create_service` would, writing nothing: an import checks every
    row before it writes any."""
    _apply(Service(), **fields)


def create_service(user, **fields) -> Service:
    service = Service(created_by_id=getattr(user, "id", None))
    _apply(service, **fields)
    db.session.add(service)
    db.session.flush()
    return service


def update_service(service: Service, **fields) -> None:
    _apply(service, **fields)
    db.session.flush()


def retire_service(service: Service) -> None:
    """Retiring does not remove the service from the indicator of the year it was launched."""
    service.status = ServiceStatus.RETIRED
    service.retired_at = service.retired_at or utcnow()
    db.session.flush()
