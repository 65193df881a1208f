"""Account forms. Privileged fields (role, is_active…) are never part of them."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from ideas.accounts.services import PASSWORD_MAX_LENGTH, password_problem
from ideas.forms import EMAIL_VALIDATORS, BaseForm, TerritoryField

PASSWORD_HINT = _l("Au moins 12 caractères. Une phrase de passe de plusieurs mots est idéale.")


def strong_password(_form, field):
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(str(problem))


def new_password_field(label):
    return PasswordField(label, [InputRequired(_l("Choisissez un mot de passe.")),
                                 strong_password], description=PASSWORD_HINT,
                         render_kw={"autocomplete": "new-password",
                                    "maxlength": PASSWORD_MAX_LENGTH})


def confirm_field():
    return PasswordField(_l("Confirmez le mot de passe"), [
        InputRequired(_l("Confirmez le mot de passe.")),
        EqualTo("password", _l("Les deux mots de passe ne correspondent pas."))],
        render_kw={"autocomplete": "new-password"})


def display_name_field():
    return StringField(_l("Nom affiché"), [
        InputRequired(_l("Indiquez le nom affiché aux autres agents.")),
        Length(min=2, max=80, message=_l("Le nom affiché doit faire entre 2 et 80 caractères."))],
        description=_l("Prénom et nom, tels que vos collègues vous connaissent."),
        render_kw={"autocomplete": "name"})


class LoginForm(BaseForm):
    email = EmailField(_l("Adresse électronique"), EMAIL_VALIDATORS,
                       render_kw={"autocomplete": "email"})
    password = PasswordField(_l("Mot de passe"),
                             [InputRequired(_l("Indiquez votre mot de passe."))],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Rester connecté sur cet appareil"))


class SignupForm(BaseForm):
    email = EmailField(_l("Adresse électronique professionnelle"), EMAIL_VALIDATORS,
                       render_kw={"autocomplete": "email"})
    display_name = display_name_field()
    territory_id = TerritoryField(_l("Territoire d'affectation"))
    password = new_password_field(_l("Mot de passe"))
    confirm = confirm_field()


class ForgotPasswordForm(BaseForm):
    email = EmailField(_l("Adresse électronique"), EMAIL_VALIDATORS,
                       render_kw={"autocomplete": "email"})


class ResetPasswordForm(BaseForm):
    password = new_password_field(_l("Nouveau mot de passe"))
    confirm = confirm_field()


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(_l("Mot de passe actuel"), [
        InputRequired(_l("Indiquez votre mot de passe actuel."))],
        render_kw={"autocomplete": "current-password"})
    password = new_password_field(_l("Nouveau mot de passe"))
    confirm = confirm_field()


class ProfileForm(BaseForm):
    display_name = display_name_field()
    territory_id = TerritoryField(_l("Territoire d'affectation"))
    locale = RadioField(_l("Langue de l'interface"),
                        choices=[("fr", "Français"), ("en", "English")],
                        validators=[InputRequired(_l("Choisissez une langue."))])
