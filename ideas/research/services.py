"""Recording research interventions. Adds and flushes; the view commits."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from ideas.communities.models import Community
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.research.models import InterventionFormat, ResearchIntervention
from ideas.research.permissions import can_manage_interventions, can_record_intervention
from ideas.utils import clean_line, clean_text

RESEARCHER_MAX, INSTITUTION_MAX, TOPIC_MAX, NOTES_MAX = 160, 200, 300, 5_000
EARLIEST = date(2000, 1, 1)  # older dates are typos (0024, 1924), not interventions
AHEAD = timedelta(days=366)  # an intervention scheduled within the year may be recorded


def _line(value, field: str, maximum: int, missing) -> str:
    text = clean_line(value)
    if not text:
        raise DomainError(missing, field=field)
    if len(text) > maximum:
        raise DomainError(_l("Ce champ ne doit pas dépasser %(n)d caractères.", n=maximum),
                          field=field)
    return text


def _apply(intervention: ResearchIntervention, *, researcher, institution, held_on, format,
           topic, notes="", today: date | None = None) -> None:
    """Validate everything, then write: a refusal leaves the intervention untouched."""
    researcher = _line(researcher, "researcher", RESEARCHER_MAX,
                       _l("Indiquez le chercheur ou la chercheuse."))
    institution = _line(institution, "institution", INSTITUTION_MAX,
                        _l("Indiquez son institution (université, laboratoire…)."))
    topic = _line(topic, "topic", TOPIC_MAX, _l("Indiquez le sujet de l'intervention."))
    if held_on is None:
        raise DomainError(_l("Indiquez la date de l'intervention."), field="held_on")
    if not EARLIEST <= held_on <= (today or date.today()) + AHEAD:
        raise DomainError(_l("Cette date n'est pas plausible : vérifiez l'année."),
                          field="held_on")
    try:
        format = InterventionFormat(format)
    except ValueError:
        raise DomainError(_l("Choisissez un format dans la liste."), field="format") from None
    notes = clean_text(notes)
    if len(notes) > NOTES_MAX:
        raise DomainError(_l("Les notes ne doivent pas dépasser %(n)d caractères.",
                             n=NOTES_MAX), field="notes")
    intervention.researcher, intervention.institution, intervention.topic = (
        researcher, institution, topic)
    intervention.held_on, intervention.format, intervention.notes = held_on, format, notes


def record_intervention(user, community: Community, **fields) -> ResearchIntervention:
    if not can_record_intervention(user, community):
        raise DomainError(_l("Vous ne pouvez pas enregistrer d'intervention dans cette "
                             "communauté."))
    intervention = ResearchIntervention(community_id=community.id,
                                        created_by_id=getattr(user, "id", None))
    _apply(intervention, **fields)
    db.session.add(intervention)
    db.session.flush()
    return intervention


def update_intervention(user, intervention: ResearchIntervention, **fields) -> None:
    if not can_manage_interventions(user):
        raise DomainError(_l("Seule la direction modifie les interventions enregistrées."))
    _apply(intervention, **fields)
    db.session.flush()


def delete_intervention(user, intervention: ResearchIntervention) -> None:
    if not can_manage_interventions(user):
        raise DomainError(_l("Seule la direction supprime les interventions enregistrées."))
    db.session.delete(intervention)
    db.session.flush()
