"""The idea form (post and edit) and the community chooser. The form checks shapes and lengths so
errors show beside their field; the services check the rules again (themes, SDGs, tags)."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from ideas.forms import BaseForm
from ideas.ideation.labels import sdg_label
from ideas.ideation.models import BODY_MAX, SDG_NUMBERS, TITLE_MAX, TITLE_MIN
from ideas.ideation.services import TAG_MAX_LENGTH, TAGS_MAX
from ideas.idempotency import SubmissionTokenField

INVALID_CHOICE = _l("Choisissez dans la liste proposée.")


class CheckboxesField(SelectMultipleField):
    """Several checkboxes. Choices are not checked here (a removed theme would give WTForms'
    untranslated message): the service refuses unknown ones with a clear one."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, coerce=int, validate_choice=False,
                         invalid_value_message=INVALID_CHOICE, **kwargs)


class AtLeastOne:
    """Like InputRequired for a group of checkboxes, without the `required` flag: rendered on each
    box, it would tell browsers and screen readers that every box must be ticked."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if not field.data and not field.errors:
            raise StopValidation(self.message)


class IdeaForm(BaseForm):
    title = StringField(_l("Titre"), [
        InputRequired(_l("Donnez un titre à votre idée.")),
        Length(min=TITLE_MIN, max=TITLE_MAX,
               message=_l("Le titre doit faire entre %(min)d et %(max)d caractères.",
                          min=TITLE_MIN, max=TITLE_MAX))],
        description=_l("Une phrase qui dit ce que vous proposez (%(min)d à %(max)d caractères).",
                       min=TITLE_MIN, max=TITLE_MAX))
    body = TextAreaField(_l("Description"), [
        InputRequired(_l("Décrivez votre idée.")),
        Length(max=BODY_MAX, message=_l("La description ne doit pas dépasser 20 000 caractères."))],
        description=_l("Le constat, la proposition, ce qu'elle changerait. Mise en forme Markdown "
                       ": **gras**, *italique*, listes, liens, citations."))
    theme_ids = CheckboxesField(_l("Thèmes"), [AtLeastOne(_l("Choisissez au moins un thème."))],
                                description=_l("Obligatoire : un ou plusieurs."))
    sdgs = CheckboxesField(_l("Objectifs de développement durable (ODD)"),
                           description=_l("Facultatif : les objectifs auxquels l'idée contribue."))
    tags = StringField(_l("Mots-clés"), [Length(max=TAGS_MAX * (TAG_MAX_LENGTH + 2))],
                       description=_l("Facultatif : séparés par des virgules, %(max)d au plus.",
                                      max=TAGS_MAX))
    submission_token = SubmissionTokenField()  # posting only: one idea per submitted form
    version = HiddenField()  # editing only: the idea's version the form was loaded with

    @property
    def loaded_version(self) -> int | None:
        """The version sent back, or None when missing or malformed (then no check is made
        beyond the conditional update itself)."""
        value = str(self.version.data or "").strip()
        return int(value) if value.isdigit() and len(value) < 10 else None

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.theme_ids.choices = [SelectChoice(t.id, t.name) for t in themes]
        self.sdgs.choices = [SelectChoice(n, sdg_label(n)) for n in SDG_NUMBERS]

    def values(self) -> dict:
        return {"title": self.title.data, "body": self.body.data,
                "theme_ids": self.theme_ids.data or [], "sdgs": self.sdgs.data or [],
                "tags": self.tags.data or ""}


class ChooseCommunityForm(BaseForm):
    """Where to post, from the all-ideas list (a GET form: no CSRF needed, nothing changes)."""

    community = SelectField(_l("Communauté"), [InputRequired(_l("Choisissez une communauté."))],
                            validate_choice=False)

    class Meta:
        csrf = False
