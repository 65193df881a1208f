"""The columns of an idea import file; reading CSV and JSON Lines is shared
(`ideas.import_files`).

A record is the line number where it starts and a dict keyed by the importer's column names
(title, body, community, …); French column names are accepted too."""

from pathlib import Path

from flask_babel import lazy_gettext as _l

from ideas.import_files import Columns, ReadResult, Record, RowError, read_data
from ideas.import_files import read_file as _read_file

__all__ = ["IDEA_COLUMNS", "ReadResult", "Record", "RowError", "read_data", "read_file"]

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
IDEA_COLUMNS = Columns(REQUIRED_COLUMNS, OPTIONAL_COLUMNS, _ALIASES,
                       _l("Le fichier ne contient aucune idée."))


def read_file(path: str | Path) -> ReadResult:
    return _read_file(path, IDEA_COLUMNS)
