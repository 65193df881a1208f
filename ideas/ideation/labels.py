"""Words the idea pages show for codes: states (DOMAIN.md) and the UN Sustainable Development
Goals (ODD), in French with their English translation in the catalog."""

from flask_babel import lazy_gettext as _l

from ideas.ideation.models import IdeaStatus

STATUS_LABELS = {
    IdeaStatus.SUBMITTED: _l("déposée"),
    IdeaStatus.IN_REVIEW: _l("à l'étude"),
    IdeaStatus.SELECTED: _l("retenue"),
    IdeaStatus.PILOTING: _l("en expérimentation"),
    IdeaStatus.ADOPTED: _l("adoptée — devenue service"),
    IdeaStatus.DECLINED: _l("non retenue"),
    IdeaStatus.MERGED: _l("fusionnée"),
    IdeaStatus.WITHDRAWN: _l("retirée"),
}
# DSFR badge kinds, so every page shows a state the same way.
STATUS_BADGES = {
    IdeaStatus.SUBMITTED: "info",
    IdeaStatus.IN_REVIEW: "new",
    IdeaStatus.SELECTED: "success",
    IdeaStatus.PILOTING: "new",
    IdeaStatus.ADOPTED: "success",
    IdeaStatus.DECLINED: "error",
    IdeaStatus.MERGED: None,
    IdeaStatus.WITHDRAWN: "warning",
}

# The official French names of the 17 goals (agenda 2030).
SDG_NAMES = {
    1: _l("Pas de pauvreté"),
    2: _l("Faim « zéro »"),
    3: _l("Bonne santé et bien-être"),
    4: _l("Éducation de qualité"),
    5: _l("Égalité entre les sexes"),
    6: _l("Eau propre et assainissement"),
    7: _l("Énergie propre et d'un coût abordable"),
    8: _l("Travail décent et croissance économique"),
    9: _l("Industrie, innovation et infrastructure"),
    10: _l("Inégalités réduites"),
    11: _l("Villes et communautés durables"),
    12: _l("Consommation et production responsables"),
    13: _l("Mesures relatives à la lutte contre les changements climatiques"),
    14: _l("Vie aquatique"),
    15: _l("Vie terrestre"),
    16: _l("Paix, justice et institutions efficaces"),
    17: _l("Partenariats pour la réalisation des objectifs"),
}


def status_label(status) -> str:
    return str(STATUS_LABELS.get(status, status))


def sdg_label(number: int) -> str:
    """"7 – Énergie propre et d'un coût abordable"."""
    return f"{number} – {SDG_NAMES[number]}"
