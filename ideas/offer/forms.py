"""Catalogue forms: a service (create, edit) and the CSV import upload."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ideas.forms import BaseForm, DayField, TerritoryField, territory_choices
from ideas.offer import labels
from ideas.offer.services import NAME_MAX, ORIGIN_MAX

_ID_SEPARATORS = re.compile(r"[\s,;|]+")
MAX_IDEA_ID = 2**31 - 1


def parse_idea_ids(text: str | None) -> list[int]:
    """"12, 15 #18" → [12, 15, 18]; ValueError with the first thing that is not a number."""
    ids = []
    for part in _ID_SEPARATORS.split(text or ""):
        part = part.strip().lstrip("#").removeprefix("n°")
        if not part:
            continue
        if not part.isdigit() or not 0 < int(part) <= MAX_IDEA_ID:
            raise ValueError(part)
        if int(part) not in ids:
            ids.append(int(part))
    return ids


class ServiceForm(BaseForm):
    name = StringField(_l("Nom du service"), [
        InputRequired(_l("Indiquez le nom du service.")),
        Length(max=NAME_MAX, message=_l("Le nom ne doit pas dépasser %(max)d caractères."))])
    description = TextAreaField(_l("Description"), [Length(max=10_000)])
    type = SelectField(_l("Type"), choices=labels.type_choices())
    territory_id = TerritoryField(_l("Territoire"),
                                  description=_l("Laissez vide pour un service national."))
    launch_date = DayField(_l("Date de lancement"), [Optional()],
                           description=_l("JJ/MM/AAAA ou AAAA-MM-JJ ; obligatoire pour un "
                                          "service lancé."))
    status = SelectField(_l("État"), choices=labels.status_choices())
    idea_ids = StringField(
        _l("Idées dont le service est issu"), [Length(max=2000)],
        description=_l("Leurs numéros, séparés par des virgules (le numéro figure dans "
                       "l'adresse de l'idée : /idees/123)."))
    stated_origin = StringField(
        _l("Origine, si le service n'est issu d'aucune idée"),
        [Length(max=ORIGIN_MAX, message=_l("L'origine ne doit pas dépasser %(max)d "
                                           "caractères."))],
        description=_l("Commande nationale, partenaire, équipe interne…"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.territory_id.choices = territory_choices(_l("— National —"))

    def validate_idea_ids(self, field):
        try:
            parse_idea_ids(field.data)
        except ValueError as error:
            raise ValidationError(_l("« %(value)s » n'est pas un numéro d'idée.",
                                     value=str(error)[:20])) from None

    def values(self, ideas: list) -> dict:
        return {"name": self.name.data, "description": self.description.data,
                "type": self.type.data, "territory_id": self.territory_id.data,
                "launch_date": self.launch_date.data, "status": self.status.data,
                "ideas": ideas, "stated_origin": self.stated_origin.data}


class ImportForm(BaseForm):
    file = FileField(_l("Fichier CSV ou JSON Lines"),
                     [FileRequired(_l("Choisissez le fichier à importer."))],
                     description=_l("CSV en UTF-8, séparé par des virgules ou des "
                                    "points-virgules, avec une ligne d'en-tête ; 2 Mo au plus."))
    dry_run = BooleanField(_l("Vérifier seulement (ne rien enregistrer)"))
