"""Words shown for the formats of research interventions (English in the catalog)."""

from flask_babel import lazy_gettext as _l

from ideas.research.models import InterventionFormat

FORMAT_LABELS = {
    InterventionFormat.TALK: _l("Conférence"),
    InterventionFormat.WORKSHOP: _l("Atelier"),
    InterventionFormat.STUDY: _l("Étude"),
    InterventionFormat.SUPPORT: _l("Accompagnement"),
    InterventionFormat.SEMINAR: _l("Séminaire"),
    InterventionFormat.OTHER: _l("Autre"),
}


def format_choices() -> list[tuple[str, object]]:
    return [(kind.value, label) for kind, label in FORMAT_LABELS.items()]
