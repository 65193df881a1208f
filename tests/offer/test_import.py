"""`flask import-services` and the upload page: a good file (`;`, BOM, French dates, territory
codes and names, ideas by number and by import reference), bad rows (nothing imported, each
reported with its line), re-import (nothing duplicated), JSON Lines, --dry-run."""

import io
from datetime import date

import pytest

from ideas.extensions import db
from ideas.offer.models import Service, ServiceStatus, ServiceType
from tests.factories import IdeaFactory
from tests.helpers import count, text

HEADER = "nom;description;type;territoire;date_lancement;statut;idees;origine;reference"


@pytest.fixture
def run(app, db):
    def invoke(path, *options):
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["import-services", str(path), *options])
        db.session.expire_all()
        return result

    return invoke


@pytest.fixture
def ideas(open_community):
    return (IdeaFactory(community=open_community, status="adopted"),
            IdeaFactory(community=open_community, status="adopted", external_ref="boite-86-3"))


def good_rows(ideas) -> list[str]:
    first = ideas[0]
    return [
        HEADER,
        f'Formation éco-impression;"Deux heures pour\nimprimer moins.";formation;atelier-86;'
        f'12/03/2024;lancé;{first.id} | boite-86-3;;offre-2024-1',
        "Plateforme Éduthèque 2;;Plateforme;Siège (Chasseneuil-du-Poitou, Futuroscope);"
        "2025-01-06;;;Commande du ministère;offre-2025-1",
        "Malle réemploi;;ressource;;;prévu;;Équipe interne;offre-2026-1",
        ";;;;;;;;",
    ]


def by_ref(ref: str) -> Service:
    return db.session.scalar(db.select(Service).filter_by(external_ref=ref))


def test_good_file_then_reimport_creates_nothing_twice(run, tmp_path, ideas):
    path = tmp_path / "offre.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(good_rows(ideas)).encode())

    result = run(path)
    assert result.exit_code == 0, result.output
    assert "3 services importés, 0 déjà importé" in result.output
    training = by_ref("offre-2024-1")
    assert training.name == "Formation éco-impression" and training.type == ServiceType.TRAINING
    assert training.description == "Deux heures pour\nimprimer moins."
    assert training.territory.code == "atelier-86" and training.launch_date == date(2024, 3, 12)
    assert training.status == ServiceStatus.LAUNCHED and training.stated_origin is None
    assert [idea.id for idea in training.ideas] == [ideas[0].id, ideas[1].id]
    platform = by_ref("offre-2025-1")
    assert platform.territory.code == "siege" and platform.status == ServiceStatus.LAUNCHED
    assert platform.ideas == [] and platform.stated_origin == "Commande du ministère"
    assert by_ref("offre-2026-1").status == ServiceStatus.PLANNED

    again = run(path)
    assert again.exit_code == 0 and "0 service importé, 3 déjà importés" in again.output
    assert count(Service) == 3


def test_bad_rows_import_nothing_and_say_which_line(run, tmp_path, ideas):
    rows = good_rows(ideas)
    rows[2] = "Plateforme;;magie;Atlantide;31/02/2025;fini;;;offre-2025-1"
    rows.insert(4, "Sans origine;;formation;;01/01/2025;;;;offre-x")
    rows.insert(5, "Idée fantôme;;formation;;01/01/2025;;999999|inconnue;;offre-y")
    rows.insert(6, "Doublon;;formation;;01/01/2025;;;Siège;offre-2024-1")
    path = tmp_path / "offre.csv"
    path.write_text("\n".join(rows), encoding="utf-8")

    result = run(path)
    assert result.exit_code == 1
    output = result.output
    assert "Ligne 4 : Type de service inconnu : « magie »" in output  # line 3 spans two lines
    assert "Ligne 4 : Territoire inconnu : « Atlantide »" in output
    assert "Ligne 4 : Date de lancement invalide : « 31/02/2025 »" in output
    assert "Ligne 4 : État inconnu : « fini »" in output
    assert "Ligne 6 : Indiquez les idées dont le service est issu, ou son origine" in output
    assert "Ligne 7 : Idée introuvable : « 999999 »" in output
    assert "Ligne 7 : Idée introuvable : « inconnue »" in output
    assert "Ligne 8 : La référence « offre-2024-1 » figure déjà ligne 2." in output
    assert "Rien n'a été importé : 4 lignes sont à corriger." in output
    assert count(Service) == 0


def test_missing_columns_and_bad_encoding(run, tmp_path):
    path = tmp_path / "offre.csv"
    path.write_text("description;date\nx;01/01/2025\n", encoding="utf-8")
    result = run(path)
    assert result.exit_code == 1
    assert "Ligne 1 : Colonnes obligatoires absentes de l'en-tête : name, type." in result.output
    path.write_bytes("nom;type;origine\nÉté;formation;Siège\n".encode("latin-1"))
    result = run(path)
    assert "n'est pas encodé en UTF-8" in result.output and count(Service) == 0


def test_json_lines_and_dry_run(run, tmp_path, ideas):
    path = tmp_path / "offre.jsonl"
    path.write_text(
        '{"name": "Webinaire RSE", "type": "événement", "launch_date": "2025-06-01", '
        f'"source_ideas": [{ideas[0].id}], "external_ref": "w1"}}\n'
        '{"nom": "Guide achats", "type": "ressource", "origine": "Partenaire", "couleur": "x"}\n',
        encoding="utf-8")
    dry = run(path, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "2 services importés" in dry.output and "rien n'a été enregistré" in dry.output
    assert "Colonnes ignorées : couleur." in dry.output
    assert count(Service) == 0
    assert run(path).exit_code == 0
    webinar = by_ref("w1")
    assert webinar.type == ServiceType.EVENT and [i.id for i in webinar.ideas] == [ideas[0].id]
    assert count(Service) == 2


# -- The upload page

def _upload(client, content: str, name="offre.csv", **extra):
    data = {"file": (io.BytesIO(content.encode()), name), **extra}
    return client.post("/services/import", data, content_type="multipart/form-data")


def test_upload_imports_then_skips_on_reupload(make_client, manager, ideas):
    client = make_client(manager)
    content = "\n".join(good_rows(ideas))
    response = _upload(client, content)
    assert response.status_code == 200
    assert "3 services importés, 0 déjà importé (ignoré)." in text(response)
    assert by_ref("offre-2024-1").created_by_id == manager.id
    again = _upload(client, content)
    assert "0 service importé, 3 déjà importés (ignorés)." in text(again)
    assert count(Service) == 3


def test_upload_with_bad_rows_imports_nothing(make_client, manager, ideas):
    rows = good_rows(ideas)
    rows[3] = "Malle réemploi;;ressource;;2025-01-01;lancé;;Équipe interne;offre-2026-1"
    rows.append("Sans nom ni origine;;formation;;;;;;")
    response = _upload(make_client(manager), "\n".join(rows))
    assert response.status_code == 422
    page = text(response)
    assert "Rien n'a été importé : 1 ligne est à corriger." in page
    assert "Ligne 7 : Indiquez les idées dont le service est issu" in page
    assert count(Service) == 0


def test_upload_dry_run_and_missing_file(make_client, manager, ideas):
    client = make_client(manager)
    response = _upload(client, "\n".join(good_rows(ideas)), dry_run="y")
    assert "Simulation : rien n'a été enregistré." in text(response)
    assert count(Service) == 0
    response = client.post("/services/import", {}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choisissez le fichier à importer." in text(response)


def test_the_example_file_of_the_readme_imports(run, open_community):
    from pathlib import Path

    for ref in ("demo-005", "demo-006", "demo-008"):
        IdeaFactory(community=open_community, external_ref=ref)
    example = Path(__file__).parents[2] / "docs" / "examples" / "services-example.csv"
    result = run(example)
    assert result.exit_code == 0, result.output
    assert "4 services importés" in result.output
    assert len(by_ref("offre-2026-102").ideas) == 2
    assert by_ref("offre-2026-102").territory.code == "dir-nouvelle-aquitaine"
    assert by_ref("offre-2027-104").status == ServiceStatus.PLANNED
