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
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Response, request, stream_with_context
from werkzeug.wsgi import wrap_file

FORMATS = ("csv", "xlsx")
CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# What openpyxl refuses (XML 1.0 forbids them); tab, line feed and carriage return stay.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_PARIS = ZoneInfo("Europe/Paris")
SHEET_TITLE_MAX = 31  # Excel's limit
CHUNK_ROWS = 500  # rows written (and fetched) at a time


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


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence],
               rows_per_chunk: int = CHUNK_ROWS) -> Iterator[bytes]:
    """The CSV a few hundred rows at a time: a 100,000-row export never sits in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([_csv_cell(label) for label in header])
    for number, row in enumerate(rows, 1):
        writer.writerow([_csv_cell(value) for value in row])
        if number % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    return b"".join(csv_chunks(header, rows))


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], sheet_title: str = "") -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, header, rows, sheet_title)
    return buffer.getvalue()


def write_xlsx(target, header: Sequence[str], rows: Iterable[Sequence],
               sheet_title: str = "") -> None:
    """Write the workbook into `target` (a file or buffer). Write-only mode keeps each row
    only until it is written to the sheet's temporary file."""
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
    workbook.save(target)


def safe_filename(name: str, extension: str, day: date | None = None) -> str:
    """ASCII letters, digits and dashes only: nothing to escape in the header, no path, no
    quote; the day keeps successive downloads apart."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-") or "export"
    if day is not None:
        stem = f"{stem}-{day.isoformat()}"
    return f"{stem}.{extension}"


def stream_scalars(statement, batch: int = CHUNK_ROWS):
    """The objects of an ORM select, fetched `batch` at a time (a server-side cursor on
    PostgreSQL); the session keeps no reference to those already exported, so memory stays
    bounded however many rows there are. Eager loads must be `selectinload` (per batch).

    A generator: the query runs at the first row. A streamed CSV is iterated after the view
    has returned and its app context has ended (Flask then re-enters the contexts for
    `stream_with_context`), and that teardown closed the request's session: a result opened
    in the view died with it (500 under gunicorn: "identity map is no longer valid")."""
    from ideas.extensions import db

    yield from db.session.scalars(statement.execution_options(yield_per=batch))


def export_response(fmt: str, name: str, header: Sequence[str], rows: Iterable[Sequence],
                    sheet_title: str = "", day: date | None = None) -> Response:
    """The download of one table. `fmt` must be one of FORMATS (the route's converter).

    CSV is streamed as it is written (rows may be a generator over `stream_scalars`); XLSX,
    a zip that can only be finished at the end, is written to a temporary file first, then
    sent from it."""
    if fmt == "xlsx":
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response
        write_xlsx(spool, header, rows, sheet_title or name)
        spool.seek(0)
        response = Response(wrap_file(request.environ, spool), content_type=XLSX_MIMETYPE)
    elif fmt == "csv":
        response = Response(stream_with_context(csv_chunks(header, rows)),
                            content_type=CSV_MIMETYPE)
    else:
        raise ValueError(fmt)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{safe_filename(name, fmt, day)}"')
    # Exports hold internal figures and names: no shared or browser cache keeps a copy.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
