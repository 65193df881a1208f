"""Catalogue fixtures: services straight into the database, and territories by code."""

from datetime import date

import pytest

from ideas.extensions import db
from ideas.offer.models import Service, ServiceStatus, ServiceType
from ideas.reference.models import Territory


def territory(code: str) -> Territory:
    return db.session.scalar(db.select(Territory).filter_by(code=code))


def make_service(name="Parcours sobriété numérique", *, ideas=(), stated_origin=None,
                 type=ServiceType.TRAINING, status=ServiceStatus.LAUNCHED,
                 launch_date=date(2025, 3, 1), territory_code=None, **extra) -> Service:
    service = Service(name=name, type=type, status=status, launch_date=launch_date,
                      ideas=list(ideas),
                      stated_origin=None if ideas else (stated_origin or "Commande nationale"),
                      territory_id=territory(territory_code).id if territory_code else None,
                      **extra)
    db.session.add(service)
    db.session.commit()
    return service


@pytest.fixture
def service_factory(db):
    return make_service
