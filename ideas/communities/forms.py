"""Community forms."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from ideas.forms import EMAIL_VALIDATORS, BaseForm, TerritoryField, territory_choices
from ideas.reference import cache as reference_cache


def theme_choices() -> list[tuple[int, str]]:
    return [(t.id, t.name) for t in reference_cache.themes() if t.is_active]


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CommunityForm(BaseForm):
    name = StringField(_l("Nom"), [
        InputRequired(_l("Indiquez le nom de la communauté.")),
        Length(min=3, max=120, message=_l("Le nom doit faire entre 3 et 120 caractères."))])
    description = TextAreaField(_l("Description"), [
        Length(max=5000, message=_l("La description ne doit pas dépasser 5 000 caractères."))],
        description=_l("À qui s'adresse la communauté, ce qu'elle cherche à faire."))
    is_private = BooleanField(
        _l("Communauté privée"),
        description=_l("Seuls les membres voient ses idées ; on y entre sur invitation ou "
                       "après accord d'un animateur ou d'une animatrice."))
    territory_id = TerritoryField(_l("Territoire"),
                                  description=_l("Laissez vide pour une communauté nationale."))
    theme_ids = CheckboxesField(_l("Thèmes"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.territory_id.choices = territory_choices(_l("— National —"))
        self.theme_ids.choices = theme_choices()

    def values(self) -> dict:
        return {"name": self.name.data, "description": self.description.data,
                "is_private": self.is_private.data, "territory_id": self.territory_id.data,
                "theme_ids": self.theme_ids.data}


class JoinRequestForm(BaseForm):
    message = TextAreaField(_l("Message aux animateurs (facultatif)"), [
        Length(max=500, message=_l("Le message ne doit pas dépasser 500 caractères."))])


class InviteForm(BaseForm):
    email = EmailField(_l("Adresse électronique de l'agent"), EMAIL_VALIDATORS)
