"""The shared export module (ideas/exports.py): CSV for French Excel, XLSX read back with
openpyxl, formula neutralisation, control characters, safe filenames."""

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from ideas import exports

HOSTILE = ["=HYPERLINK(\"http://x\",\"clic\")", "+33 1 23", "-2+3", "@SUM(A1)", "\tTab",
           "\rRetour", "\x01=1+1", "Normal ; « guillemets » \"doubles\"\nligne 2"]
NEUTRALISED = ["'=HYPERLINK(\"http://x\",\"clic\")", "'+33 1 23", "'-2+3", "'@SUM(A1)", "'\tTab",
               "'\rRetour", "'=1+1", "Normal ; « guillemets » \"doubles\"\nligne 2"]


def _csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM, for Excel"
    return list(csv.reader(io.StringIO(body[3:].decode("utf-8"), newline=""), delimiter=";"))


def _xml(text: str) -> str:
    """XML turns a carriage return into a line feed when the workbook is read back."""
    return text.replace("\r", "\n")


def _xlsx_rows(body: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(body)).active
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.parametrize(("raw", "expected"), list(zip(HOSTILE, NEUTRALISED, strict=True)))
def test_clean_text_neutralises_formulas_after_removing_control_characters(raw, expected):
    assert exports.clean_text(raw) == expected


def test_csv_has_bom_semicolons_decimal_commas_and_neutralised_cells():
    body = exports.csv_bytes(["Nom", "Part (%)", "Nombre", "Lancement"],
                             [[text, 70.6, -3, date(2025, 1, 31)] for text in HOSTILE])
    rows = _csv_rows(body)
    assert rows[0] == ["Nom", "Part (%)", "Nombre", "Lancement"]
    assert [row[0] for row in rows[1:]] == NEUTRALISED
    # Numbers are numbers, never prefixed: -3 stays a negative number in Excel.
    assert rows[1][1:] == ["70,6", "-3", "2025-01-31"]
    assert b";" in body.splitlines()[0]


def test_csv_datetimes_are_paris_time():
    rows = _csv_rows(exports.csv_bytes(["Quand"], [[datetime(2025, 1, 1, 23, 30)],
                                                   [datetime(2025, 7, 1, 10, 0)], [None]]))
    assert [row for row in rows[1:]] == [["2025-01-02 00:30"], ["2025-07-01 12:00"], [""]]


def test_xlsx_reads_back_with_neutralised_text_and_native_numbers():
    body = exports.xlsx_bytes(["Nom", "Part", "Lancement", "Quand"],
                              [[text, 0.706, date(2025, 1, 31), datetime(2025, 1, 1, 23, 30)]
                               for text in HOSTILE], sheet_title="Services [2025]: «A/B»?")
    workbook = load_workbook(io.BytesIO(body))
    sheet = workbook.active
    assert sheet.title == "Services  2025   «A B»"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Nom", "Part", "Lancement", "Quand")
    assert [row[0] for row in rows[1:]] == [_xml(text) for text in NEUTRALISED]
    assert rows[1][1:] == (0.706, datetime(2025, 1, 31), datetime(2025, 1, 2, 0, 30))
    # Nothing was stored as a formula.
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_survives_every_control_character():
    nasty = "".join(chr(code) for code in range(32)) + "fin"
    rows = _xlsx_rows(exports.xlsx_bytes(["Texte"], [[nasty]]))
    assert rows[1][0] == _xml("'\t\n\rfin")


@pytest.mark.parametrize(("name", "expected"), [
    ("Services 2025", "services-2025.csv"),
    ('../../etc/passwd"; x=y', "etc-passwd-x-y.csv"),
    ("Communauté « Énergie » \r\n Set-Cookie: a=b", "communaute-energie-set-cookie-a-b.csv"),
    ("", "export.csv"), ("€€€", "export.csv")])
def test_safe_filename(name, expected):
    assert exports.safe_filename(name, "csv") == expected


def test_export_response_headers(app):
    with app.test_request_context():
        response = exports.export_response("xlsx", "Revue des idées", ["A"], [["=1"]],
                                           day=date(2025, 3, 1))
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="revue-des-idees-2025-03-01.xlsx"')
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == exports.XLSX_MIMETYPE
    assert _xlsx_rows(response.get_data()) == [("A",), ("'=1",)]
    with app.test_request_context(), pytest.raises(ValueError):
        exports.export_response("pdf", "x", ["A"], [])


# -- the dashboard's export routes

def _community_with_service(name: str, service_name: str):
    from ideas.extensions import db
    from ideas.ideation.models import IdeaStatus
    from ideas.offer.models import Service, ServiceStatus, ServiceType
    from tests.factories import CommunityFactory, IdeaFactory

    community = CommunityFactory(name=name, slug="communaute-hostile")
    idea = IdeaFactory(community=community, title="=1+2 idée piégée", status=IdeaStatus.ADOPTED)
    db.session.add_all([
        Service(name=service_name, type=ServiceType.RESOURCE, launch_date=date(2025, 4, 1),
                status=ServiceStatus.LAUNCHED, ideas=[idea]),
        Service(name="Commande", type=ServiceType.RESOURCE, launch_date=date(2025, 5, 1),
                status=ServiceStatus.LAUNCHED, stated_origin="-1+2 commande\x07 nationale")])
    db.session.commit()
    return community


def test_table_export_csv_for_french_excel(client, manager):
    _community_with_service('=HYPERLINK("http://pirate.example";"clic")', "@SUM(1+1)")
    client.login(manager)
    response = client.get("/pilotage/export/communities.csv?year=2025")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="indicateurs-par-communaute-2025.csv"')
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "text/csv"
    rows = _csv_rows(response.get_data())
    assert rows == [["Communauté", "Services issus de ses idées", "Interventions de la recherche"],
                    ["'=HYPERLINK(\"http://pirate.example\";\"clic\")", "1", "0"]]


def test_table_export_xlsx_neutralised(client, manager):
    _community_with_service("+cmd|' /C calc'!A0", "Service")
    client.login(manager)
    response = client.get("/pilotage/export/communities.xlsx?start=2025-01-01&end=2025-06-30")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="indicateurs-par-communaute-2025-01-01-2025-06-30.xlsx"')
    assert _xlsx_rows(response.get_data())[1] == ("'+cmd|' /C calc'!A0", 1, 0)


@pytest.mark.parametrize("table", ["territories", "communities", "quarters", "funnel", "delays",
                                   "vitality"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_dashboard_table_exports(client, manager, table, fmt):
    client.login(manager)
    response = client.get(f"/pilotage/export/{table}.{fmt}?year=2025")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    header = (_csv_rows(response.get_data()) if fmt == "csv"
              else _xlsx_rows(response.get_data()))[0]
    assert len(header) >= 2 and all(header)


def test_services_export_lists_ideas_and_communities_neutralised(client, manager):
    _community_with_service("-Communauté", "@SUM(1+1)")
    client.login(manager)
    for fmt, read in (("csv", _csv_rows), ("xlsx", _xlsx_rows)):
        response = client.get(f"/pilotage/services.{fmt}?year=2025")
        assert response.headers["Cache-Control"] == "no-store"
        rows = read(response.get_data())
        by_name = {row[1]: row for row in rows[1:]}
        assert set(by_name) == {"'@SUM(1+1)", "Commande"}
        linked = by_name["'@SUM(1+1)"]
        assert linked[7].endswith("=1+2 idée piégée") and linked[7].startswith("#")
        assert linked[8] == "'-Communauté"
        assert by_name["Commande"][9] == "'-1+2 commande nationale"  # control character gone


def test_export_with_a_bad_period_is_refused_with_the_form(client, manager):
    client.login(manager)
    response = client.get("/pilotage/export/funnel.csv?start=32/01/2025&end=01/02/2025")
    assert response.status_code == 422
    assert "Date invalide" in response.get_data(as_text=True)
