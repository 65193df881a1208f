"""Moderation forms. They carry the CSRF token and render the fields; the rules (required
reason, lengths, allowed choices) are checked again by the services, which name the field."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    Form,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from ideas.forms import BaseForm, DayField
from ideas.moderation.labels import ACTION_LABELS, REASON_LABELS
from ideas.moderation.models import DETAILS_MAX, REASON_MAX


class ReportForm(BaseForm):
    reason = RadioField(_l("Motif du signalement"),
                        choices=[(reason.value, label) for reason, label in REASON_LABELS.items()],
                        validate_choice=False)
    details = TextAreaField(_l("Précisions"),
                            description=_l("Obligatoires pour le motif « Autre » ; %(max)d "
                                           "caractères au plus.", max=DETAILS_MAX),
                            render_kw={"rows": 3, "maxlength": DETAILS_MAX})


class ItemActionForm(BaseForm):
    """One queue item's form: the hiding reason goes with the "Masquer" button."""

    reason = TextAreaField(_l("Motif du masquage (lu par l'auteur ou l'autrice)"),
                           render_kw={"rows": 2, "maxlength": REASON_MAX})
    queue = HiddenField()
    next = HiddenField()


class TitleForm(BaseForm):
    title = StringField(_l("Nouveau titre"))
    expected = HiddenField()
    reason = StringField(_l("Pourquoi ce changement (journal de modération)"),
                         render_kw={"maxlength": 500})
    next = HiddenField()


class MergeForm(BaseForm):
    merge_into = IntegerField(_l("Numéro de l'idée à conserver"), [Optional()],
                              description=_l("Le numéro figure dans l'adresse de l'idée : "
                                             "/idees/123"))
    next = HiddenField()


class BulkForm(BaseForm):
    action = SelectField(_l("Action sur les éléments cochés"), validate_choice=False, choices=[
        ("", _l("— Choisir une action —")), ("hide", _l("Masquer")),
        ("restore", _l("Rétablir (masqués)")), ("dismiss", _l("Classer les signalements"))])
    reason = TextAreaField(_l("Motif du masquage (lu par les auteurs et autrices)"),
                           render_kw={"rows": 2, "maxlength": REASON_MAX})
    next = HiddenField()
    community = HiddenField()  # the community queue to show again with the errors


class SuspendForm(BaseForm):
    reason = TextAreaField(_l("Motif (lu par l'agent)"), render_kw={"rows": 3})
    ends_on = DayField(_l("Jusqu'au (inclus)"),
                       description=_l("Format : JJ/MM/AAAA. Laissez vide pour une suspension "
                                      "sans date de fin."))


class HideAllForm(BaseForm):
    reason = TextAreaField(_l("Motif du masquage (lu par l'agent)"),
                           render_kw={"rows": 2, "maxlength": REASON_MAX})


class LogFilterForm(Form):
    """Read from the query string (GET: nothing is written, no CSRF token)."""

    action = SelectField(_l("Action"), validate_choice=False, choices=[
        ("", _l("Toutes"))] + [(kind.value, label) for kind, label in ACTION_LABELS.items()])
    actor = SelectField(_l("Par"), validate_choice=False)
    du = DayField(_l("Du"), description=_l("Format : JJ/MM/AAAA"))
    au = DayField(_l("Au"), description=_l("Format : JJ/MM/AAAA"))
