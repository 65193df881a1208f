"""Words the catalogue shows for service types and states, in French (English in the catalog)."""

from flask_babel import lazy_gettext as _l

from ideas.offer.models import ServiceStatus, ServiceType

TYPE_LABELS = {
    ServiceType.TRAINING: _l("Formation"),
    ServiceType.RESOURCE: _l("Ressource"),
    ServiceType.PLATFORM: _l("Plateforme"),
    ServiceType.SUPPORT: _l("Accompagnement"),
    ServiceType.EVENT: _l("Événement"),
    ServiceType.OTHER: _l("Autre"),
}
STATUS_LABELS = {
    ServiceStatus.PLANNED: _l("Prévu"),
    ServiceStatus.LAUNCHED: _l("Lancé"),
    ServiceStatus.RETIRED: _l("Retiré"),
}
STATUS_BADGES = {
    ServiceStatus.PLANNED: "info",
    ServiceStatus.LAUNCHED: "success",
    ServiceStatus.RETIRED: "warning",
}


def type_choices() -> list[tuple[str, object]]:
    return [(kind.value, label) for kind, label in TYPE_LABELS.items()]


def status_choices(include_retired: bool = True) -> list[tuple[str, object]]:
    return [(status.value, label) for status, label in STATUS_LABELS.items()
            if include_retired or status != ServiceStatus.RETIRED]
