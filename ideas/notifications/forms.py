"""The email preferences form: one choice of frequency per kind of event, built for the kinds
that concern the user."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from ideas.forms import BaseForm
from ideas.notifications.kinds import FREQUENCY_LABELS, KIND_LABELS, Frequency, Kind

CHOOSE = _l("Choisissez quand recevoir cet email.")


def field_name(kind: Kind) -> str:
    return f"kind_{kind}"


def preferences_form(kinds: list[Kind], current: dict[Kind, Frequency], **kwargs) -> BaseForm:
    class PreferencesForm(BaseForm):
        pass

    for kind in kinds:
        setattr(PreferencesForm, field_name(kind), RadioField(
            KIND_LABELS[kind], [InputRequired(CHOOSE)],
            choices=[SelectChoice(f.value, FREQUENCY_LABELS[f]) for f in Frequency],
            default=current[kind].value))
    return PreferencesForm(**kwargs)


def chosen(form, kinds: list[Kind]) -> dict[Kind, Frequency]:
    return {kind: Frequency(getattr(form, field_name(kind)).data) for kind in kinds}
