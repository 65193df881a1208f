"""Research services re-check who may act, whatever the view did."""

from datetime import date

import pytest

from ideas.errors import DomainError
from ideas.extensions import db
from ideas.research import services
from ideas.research.models import ResearchIntervention

FIELDS = {"researcher": "Ana Silva", "institution": "Inrae", "held_on": date(2025, 5, 2),
          "format": "etude", "topic": "Les jardins pédagogiques", "notes": ""}


def test_only_facilitators_and_management_record(agent, facilitator, manager, open_community):
    with pytest.raises(DomainError):
        services.record_intervention(agent, open_community, **FIELDS)
    for user in (facilitator, manager):
        services.record_intervention(user, open_community, **FIELDS)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(ResearchIntervention)) == 2


def test_only_management_edits_and_deletes(facilitator, manager, open_community):
    intervention = services.record_intervention(facilitator, open_community, **FIELDS)
    with pytest.raises(DomainError):
        services.update_intervention(facilitator, intervention, **FIELDS)
    with pytest.raises(DomainError):
        services.delete_intervention(facilitator, intervention)
    services.update_intervention(manager, intervention, **{**FIELDS, "topic": "Autre sujet"})
    assert intervention.topic == "Autre sujet"
    services.delete_intervention(manager, intervention)
    assert db.session.get(ResearchIntervention, intervention.id) is None


def test_a_refusal_leaves_the_intervention_untouched(manager, open_community):
    intervention = services.record_intervention(manager, open_community, **FIELDS)
    with pytest.raises(DomainError) as error:
        services.update_intervention(manager, intervention,
                                     **{**FIELDS, "topic": "Nouveau", "format": "magie"})
    assert error.value.field == "format" and intervention.topic == "Les jardins pédagogiques"
