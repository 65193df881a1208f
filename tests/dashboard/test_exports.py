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
