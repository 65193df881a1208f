"""Form pieces shared by every domain."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import Field, SelectField
from wtforms.validators import Email, InputRequired, Length, ValidationError
from wtforms.widgets import TextInput, html_params

from ideas.extensions import db
from ideas.reference import cache as reference_cache
from ideas.reference.models import Territory, TerritoryKind
from ideas.utils import parse_date

EMAIL_VALIDATORS = [
    InputRequired(_l("Indiquez votre adresse électronique.")),
    Email(_l("Cette adresse électronique n'est pas valide."), check_deliverability=False),
    Length(max=254),
]


def territory_choices(blank_label=None) -> list:
    """Territories as option groups: the headquarters and services, then each directorate."""
    territories = reference_cache.territories()
    national = [(t.id, t.name) for t in territories if t.parent_id is None and t.kind in (
        TerritoryKind.HEADQUARTERS, TerritoryKind.SERVICE)]
    groups: dict[str, list] = {str(_l("National")): national}
    for directorate in (t for t in territories if t.kind in (
            TerritoryKind.DIRECTORATE, TerritoryKind.ACADEMIC)):
        groups[directorate.name] = [(directorate.id, directorate.name)] + [
            (t.id, t.name) for t in territories if t.parent_id == directorate.id]
    return [("", blank_label or _l("— Choisir —"))] + [
        (label, options) for label, options in groups.items()]


def optional_int(value):
    return int(value) if value not in (None, "", "None") else None


def grouped_select(field, **attrs) -> Markup:
    """A <select> for `territory_choices()`: a blank option, then one <optgroup> per group."""
    attrs.setdefault("id", field.id)
    options = []
    for value, label in field.choices:
        if isinstance(label, list):
            inner = "".join(
                f'<option value="{v}"{" selected" if v == field.data else ""}>{escape(text)}'
                "</option>" for v, text in label)
            options.append(f'<optgroup label="{escape(value)}">{inner}</optgroup>')
        else:
            options.append(f'<option value="{escape(value)}">{escape(label)}</option>')
    return Markup(f"<select {html_params(name=field.name, **attrs)}>{''.join(options)}</select>")  # noqa: S704


class TerritoryField(SelectField):
    widget = staticmethod(grouped_select)

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, coerce=optional_int, validate_choice=False, **kwargs)

    def pre_validate(self, form):
        # ValidationError, not ValueError: WTForms 3.2+ lets any other exception escape (500).
        if self.data is not None and db.session.get(Territory, self.data) is None:
            raise ValidationError(_l("Choisissez un territoire dans la liste."))


class DayField(Field):
    """A calendar day typed as JJ/MM/AAAA or AAAA-MM-JJ (ideas.utils.parse_date, the rule the
    import files follow too). What was typed is shown again when it is wrong."""

    widget = TextInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%d/%m/%Y") if self.data else ""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = parse_date(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(_l("Date invalide : « %(value)s » (attendu : JJ/MM/AAAA ou "
                                "AAAA-MM-JJ).", value=valuelist[0].strip()[:40])) from None


class BaseForm(FlaskForm):
    """Every form of the app; CSRF included."""


REQUIRED = InputRequired
