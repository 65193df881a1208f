"""Reading an import file into records: CSV (UTF-8, BOM or not, `,` or `;`) or JSON Lines.

A record is the line number where it starts and a dict keyed by the importer's column names
(title, body, community, …); French column names are accepted too. Problems of the file
itself (encoding, header, broken JSON line) come back as `RowError`s like bad rows do."""

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import lazy_gettext as _l

from ideas.ideation.import_values import fold

REQUIRED_COLUMNS = ("title", "body", "community", "themes", "author_email")
OPTIONAL_COLUMNS = ("tags", "sdgs", "author_name", "created_at", "status", "external_ref")
_ALIASES = {
    "title": ["titre"],
    "body": ["description", "texte", "corps", "contenu"],
    "community": ["communaute", "communaute_apprenante"],
    "themes": ["theme"],
    "tags": ["etiquettes", "mots_cles"],
    "sdgs": ["odd", "sdg"],
    "author_email": ["email", "courriel", "email_auteur", "courriel_auteur", "auteur"],
    "author_name": ["nom_auteur", "auteur_nom"],
    "created_at": ["date", "date_creation", "cree_le", "depose_le"],
    "status": ["statut", "etat"],
    "external_ref": ["reference", "ref", "reference_externe", "id"],
}
COLUMN_KEYS = {key: name for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
               for key in [name, *_ALIASES.get(name, [])]}
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


def _column(name: str) -> str | None:
    return COLUMN_KEYS.get(fold(name or "").replace(" ", "_"))


def _decode(data: bytes, result: ReadResult) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        result.errors.append(RowError(line, _l(
            "Le fichier n'est pas encodé en UTF-8 (enregistrez-le en « CSV UTF-8 »).")))
        return None


def _header_columns(text: str, delimiter: str) -> list[str]:
    header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    return [_column(name) for name in header]


def _delimiter(text: str) -> str:
    """The sniffer's guess between `,` and `;`, unless only the other one gives a header with
    every required column (the sniffer can be fooled by long bodies full of commas)."""
    try:
        guess = csv.Sniffer().sniff(text[:8192], delimiters=",;").delimiter
    except csv.Error:
        header = text.split("\n", 1)[0]
        guess = ";" if header.count(";") > header.count(",") else ","
    for delimiter in (guess, ";" if guess == "," else ","):
        if set(REQUIRED_COLUMNS) <= set(_header_columns(text, delimiter)):
            return delimiter
    return guess


def _read_csv(text: str, result: ReadResult) -> None:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        result.errors.append(RowError(1, _l("Le fichier est vide ou n'a pas de ligne d'en-tête.")))
        return
    columns = [_column(name) for name in header]
    result.ignored_columns = [name.strip() for name, column in zip(header, columns, strict=True)
                              if column is None and name.strip()]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
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
        values = {column: cell for column, cell in zip(columns, cells, strict=False) if column}
        result.records.append(Record(line, values))


def _read_jsonl(text: str, result: ReadResult) -> None:
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
            column = _column(str(key))
            if column is None:
                if key not in result.ignored_columns:
                    result.ignored_columns.append(str(key))
                continue
            values[column] = value
        result.records.append(Record(number, values))
    if not result.records and not result.errors:
        result.errors.append(RowError(1, _l("Le fichier ne contient aucune idée.")))


def is_json_lines(path: Path, text: str) -> bool:
    if path.suffix.lower() in JSONL_SUFFIXES:
        return True
    if path.suffix.lower() == ".csv":
        return False
    return text.lstrip().startswith("{")


def read_file(path: str | Path) -> ReadResult:
    path, result = Path(path), ReadResult()
    text = _decode(path.read_bytes(), result)
    if text is None:
        return result
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if is_json_lines(path, text):
        _read_jsonl(text, result)
    else:
        _read_csv(text, result)
    return result
