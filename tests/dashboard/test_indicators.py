"""The indicator on fixtures with known answers (issue 5, "Correctness")."""

from datetime import date

import pytest

from ideas.dashboard import indicators
from ideas.dashboard.indicators import Period
from ideas.extensions import db
from ideas.ideation.models import Idea, IdeaStatus
from ideas.offer.models import Service, ServiceStatus, ServiceType
from ideas.research.models import InterventionFormat, ResearchIntervention
from tests.factories import CommunityFactory, UserFactory

YEAR = Period.year(2025)


def _idea(community, title="Idée"):
    idea = Idea(community_id=community.id, author_id=UserFactory().id, title=title, body="…",
                status=IdeaStatus.ADOPTED)
    db.session.add(idea)
    db.session.flush()
    return idea


def _service(launch, ideas=(), status=ServiceStatus.LAUNCHED, name="Service"):
    service = Service(name=name, type=ServiceType.TRAINING, launch_date=launch, status=status,
                      ideas=list(ideas), stated_origin=None if ideas else "Commande nationale")
    db.session.add(service)
    db.session.flush()
    return service


def test_twelve_of_seventeen_is_70_6_percent(db):
    community = CommunityFactory()
    for n in range(12):
        _service(date(2025, 3, 1), [_idea(community, f"Idée {n}")])
    for _ in range(5):
        _service(date(2025, 6, 1))
    db.session.commit()
    share = indicators.services_share(YEAR)
    assert (share.from_communities, share.total) == (12, 17)
    assert round(share.ratio * 100, 1) == 70.6
    assert share.meets_target is True


def test_no_service_is_no_data_not_zero(db):
    share = indicators.services_share(YEAR)
    assert share.total == 0 and share.ratio is None and share.meets_target is None


def test_planned_services_do_not_count_and_retired_ones_still_do(db):
    community = CommunityFactory()
    _service(date(2025, 5, 1), [_idea(community)], status=ServiceStatus.PLANNED)
    _service(date(2025, 5, 1), [_idea(community)], status=ServiceStatus.RETIRED)
    db.session.commit()
    assert indicators.services_share(YEAR) == indicators.Share(total=1, from_communities=1)


def test_service_from_two_communities_counts_once_in_total_once_per_community(db):
    first, second = CommunityFactory(name="Première"), CommunityFactory(name="Seconde")
    _service(date(2025, 9, 1), [_idea(first), _idea(second)])
    db.session.commit()
    assert indicators.services_share(YEAR).total == 1
    assert {c.name: n for c, n in indicators.services_by_community(YEAR)} == {
        "Première": 1, "Seconde": 1}


@pytest.mark.parametrize("status", [IdeaStatus.MERGED, IdeaStatus.WITHDRAWN])
def test_idea_merged_or_withdrawn_after_adoption_keeps_the_origin(db, status):
    community = CommunityFactory()
    idea = _idea(community)
    _service(date(2025, 2, 1), [idea])
    idea.status = status
    db.session.commit()
    assert indicators.services_share(YEAR).from_communities == 1


def test_year_boundaries(db):
    _service(date(2024, 12, 31), name="Fin 2024")
    _service(date(2025, 1, 1), name="Début 2025")
    _service(date(2025, 12, 31), name="Fin 2025")
    _service(date(2026, 1, 1), name="Début 2026")
    db.session.commit()
    names = {s.name for s in db.session.scalars(indicators.services_in(YEAR))}
    assert names == {"Début 2025", "Fin 2025"}
    assert [(y, q, s.total) for y, q, s in indicators.share_by_quarter(YEAR)] == [
        (2025, 1, 1), (2025, 4, 1)]


def test_drill_down_lists_the_services_behind_each_figure(db):
    community = CommunityFactory()
    linked = _service(date(2025, 4, 2), [_idea(community)], name="Issu")
    other = _service(date(2025, 4, 3), name="Commande")
    db.session.commit()
    assert list(db.session.scalars(indicators.services_in(YEAR, from_communities=True))) == [
        linked]
    assert list(db.session.scalars(indicators.services_in(YEAR, from_communities=False))) == [
        other]
    assert list(db.session.scalars(indicators.services_in(YEAR, community_id=community.id))
                ) == [linked]


def test_research_interventions_by_period_community_and_quarter(db):
    community = CommunityFactory(name="Recherche")
    for held in (date(2024, 12, 31), date(2025, 1, 15), date(2025, 11, 30)):
        db.session.add(ResearchIntervention(
            community_id=community.id, researcher="Dr Lemaire", institution="Université de "
            "Poitiers", held_on=held, format=InterventionFormat.TALK, topic="Sobriété"))
    db.session.commit()
    assert indicators.interventions_count(YEAR) == 2
    assert [(c.name, n) for c, n in indicators.interventions_by_community(YEAR)] == [
        ("Recherche", 2)]
    assert indicators.interventions_by_quarter(YEAR) == [(2025, 1, 1), (2025, 4, 1)]
