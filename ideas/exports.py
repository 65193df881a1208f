"""Every table the app exports, in CSV or XLSX, goes through here.

CSV is written for French Excel: UTF-8 with a BOM (else Excel reads it as Windows-1252), `;`
between cells (`,` is the French decimal separator), decimal commas. Both formats neutralise
cells that a spreadsheet would run as a formula (CSV/formula injection, OWASP): a text cell
starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`. Control
characters that XLSX (XML 1.0) cannot hold are removed first, in both formats, so that removing
them can never reveal a formula sign."""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Response

FORMATS = ("csv", "xlsx")
CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# What openpyxl refuses (XML 1.0 forbids them); tab, line feed and carriage return stay.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_PARIS = ZoneInfo("Europe/Paris")
SHEET_TITLE_MAX = 31  # Excel's limit


def clean_text(value: str) -> str:
    """A text cell made safe for a spreadsheet: no control character, no formula."""
    value = _CONTROL_CHARACTERS.sub("", value)
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _paris(moment: datetime) -> datetime:
    """Stored datetimes are naive UTC; a spreadsheet shows them in Paris time, naive."""
    return moment.replace(tzinfo=UTC).astimezone(_PARIS).replace(tzinfo=None)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, float):
        return f"{value:.6g}".replace(".", ",")
    if isinstance(value, datetime):
        return _paris(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return clean_text(str(value))


def _xlsx_cell(value):
    """Numbers and dates stay native (sortable in Excel); any other value becomes safe text."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime):
        return _paris(value)
    if isinstance(value, date):
        return value
    return clean_text(str(value))


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_cell(label) for label in header])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], sheet_title: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)  # streams rows: no cell objects kept for big lists
    title = _CONTROL_CHARACTERS.sub("", re.sub(r"[\[\]:*?/\\]", " ", sheet_title)).strip()
    sheet = workbook.create_sheet(title[:SHEET_TITLE_MAX] or "Export")
    bold = Font(bold=True)
    header_cells = []
    for label in header:
        cell = WriteOnlyCell(sheet, value=_xlsx_cell(label))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_xlsx_cell(value))
            if isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def safe_filename(name: str, extension: str, day: date | None = None) -> str:
    """ASCII letters, digits and dashes only: nothing to escape in the header, no path, no
    quote; the day keeps successive downloads apart."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-") or "export"
    if day is not None:
        stem = f"{stem}-{day.isoformat()}"
    return f"{stem}.{extension}"


def export_response(fmt: str, name: str, header: Sequence[str], rows: Iterable[Sequence],
                    sheet_title: str = "", day: date | None = None) -> Response:
    """The download of one table. `fmt` must be one of FORMATS (the route's converter)."""
    if fmt == "xlsx":
        body, mimetype = xlsx_bytes(header, rows, sheet_title or name), XLSX_MIMETYPE
    elif fmt == "csv":
        body, mimetype = csv_bytes(header, rows), CSV_MIMETYPE
    else:
        raise ValueError(fmt)
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{safe_filename(name, fmt, day)}"')
    # Exports hold internal figures and names: no shared or browser cache keeps a copy.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
