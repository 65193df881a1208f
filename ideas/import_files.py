"""Reading an import file into records: CSV (UTF-8, BOM or not, `,` or `;`) or JSON Lines.

Shared by every bulk import (ideas, services). A record is the line number where it starts and
a dict keyed by the importer's column names; each importer describes its columns (and the
French names people give them) in a `Columns`. Problems of the file itself (encoding, header,
broken JSON line) come back as `RowError`s like bad rows do, so one report lists them all."""

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ideas.utils import fold

JSONL_SUFFIXES = (".jsonl", ".ndjson")
NOT_A_JSON_OBJECT = _l("Cette ligne n'est pas un objet JSON valide.")


@dataclass(frozen=True)
class RowError:
    line: int  # 0: the file as a whole
    message: object  # a lazy translated string


@dataclass
class Record:
    line: int
    values: dict


@dataclass
class ReadResult:
    records: list[Record] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an import did or would do: every bad row, the columns it did not read, the rows a
    previous run already imported; each importer adds what it created."""

    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    already_imported: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Columns:
    """The columns an importer reads: required ones, optional ones, other accepted names."""

    required: tuple[str, ...]
    optional: tuple[str, ...]
    aliases: dict[str, list[str]]
    empty_message: object  # "the file holds no idea", said in the importer's words

    @property
    def keys(self) -> dict[str, str]:
        return {key: name for name in (*self.required, *self.optional)
                for key in [name, *self.aliases.get(name, [])]}

    def column(self, name: str) -> str | None:
        return self.keys.get(fold(name or "").replace(" ", "_"))


def _decode(data: bytes, result: ReadResult) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        result.errors.append(RowError(line, _l(
            "Le fichier n'est pas encodé en UTF-8 (enregistrez-le en « CSV UTF-8 »).")))
        return None


def _header_columns(text: str, delimiter: str, columns: Columns) -> list[str]:
    header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    return [columns.column(name) for name in header]


def _delimiter(text: str, columns: Columns) -> str:
    """The sniffer's guess between `,` and `;`, unless only the other one gives a header with
    every required column (the sniffer can be fooled by long texts full of commas)."""
    try:
        guess = csv.Sniffer().sniff(text[:8192], delimiters=",;").delimiter
    except csv.Error:
        header = text.split("\n", 1)[0]
        guess = ";" if header.count(";") > header.count(",") else ","
    for delimiter in (guess, ";" if guess == "," else ","):
        if set(columns.required) <= set(_header_columns(text, delimiter, columns)):
            return delimiter
    return guess


def _read_csv(text: str, columns: Columns, result: ReadResult) -> None:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, columns))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        result.errors.append(RowError(1, _l("Le fichier est vide ou n'a pas de ligne d'en-tête.")))
        return
    names = [columns.column(name) for name in header]
    result.ignored_columns = [name.strip() for name, column in zip(header, names, strict=True)
                              if column is None and name.strip()]
    missing = [name for name in columns.required if name not in names]
    if missing:
        result.errors.append(RowError(1, _l(
            "Colonnes obligatoires absentes de l'en-tête : %(columns)s.",
            columns=", ".join(missing))))
        return
    end_of_previous = reader.line_num
    for cells in reader:
        line, end_of_previous = end_of_previous + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, and the `;;;;` rows spreadsheets leave at the end
        if len(cells) > len(header):  # the cells after it are shifted: nothing is reliable
            result.errors.append(RowError(line, _l(
                "Cette ligne a plus de cellules que l'en-tête (un « %(delimiter)s » non protégé "
                "par des guillemets ?).", delimiter=reader.dialect.delimiter)))
            continue
        values = {column: cell for column, cell in zip(names, cells, strict=False) if column}
        result.records.append(Record(line, values))


def _read_jsonl(text: str, columns: Columns, result: ReadResult) -> None:
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            data = None
        if not isinstance(data, dict):
            result.errors.append(RowError(number, NOT_A_JSON_OBJECT))
            continue
        values = {}
        for key, value in data.items():
            column = columns.column(str(key))
            if column is None:
                if key not in result.ignored_columns:
                    result.ignored_columns.append(str(key))
                continue
            values[column] = value
        result.records.append(Record(number, values))
    if not result.records and not result.errors:
        result.errors.append(RowError(1, columns.empty_message))


def is_json_lines(name: str, text: str) -> bool:
    suffix = Path(name or "").suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return True
    if suffix == ".csv":
        return False
    return text.lstrip().startswith("{")


def read_data(data: bytes, name: str, columns: Columns) -> ReadResult:
    """The bytes of a file called `name` (its extension chooses CSV or JSON Lines)."""
    result = ReadResult()
    text = _decode(data, result)
    if text is None:
        return result
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if is_json_lines(name, text):
        _read_jsonl(text, columns, result)
    else:
        _read_csv(text, columns, result)
    return result


def read_file(path: str | Path, columns: Columns) -> ReadResult:
    path = Path(path)
    return read_data(path.read_bytes(), path.name, columns)


def error_lines(errors: list[RowError]) -> list[str]:
    """The report of a refused file, as the command line prints it and the upload page shows
    it: each problem as "Ligne N : reason", then how many lines to fix."""
    lines = [_("Ligne %(line)d : %(reason)s", line=error.line, reason=error.message)
             for error in errors]
    bad_lines = len({error.line for error in errors})
    lines.append(ngettext("Rien n'a été importé : %(num)d ligne est à corriger.",
                          "Rien n'a été importé : %(num)d lignes sont à corriger.", bad_lines))
    return lines
