"""Confirming an erasure: the agent types their password; an admin ticks a box."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, InputRequired

from ideas.forms import BaseForm


def _understood():
    return BooleanField(
        _l("J'ai compris : la suppression est définitive et ne peut pas être annulée."),
        [DataRequired(_l("Cochez cette case pour confirmer la suppression."))])


class DeleteOwnAccountForm(BaseForm):
    password = PasswordField(_l("Votre mot de passe"),
                             [InputRequired(_l("Indiquez votre mot de passe."))],
                             render_kw={"autocomplete": "current-password"})
    understood = _understood()


class EraseAccountForm(BaseForm):
    understood = _understood()
