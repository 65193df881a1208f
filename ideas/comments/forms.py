"""The comment form: one text field, used to comment, reply and edit.

The text is checked by the service (`services.clean_body`), the one place that knows the rules;
the form only carries it, so a refusal and a validation error come back the same way.
"""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField

from ideas.forms import BaseForm, optional_int
from ideas.idempotency import SubmissionTokenField

LABELS = {
    "new": _l("Votre commentaire"),
    "reply": _l("Votre réponse"),
    "edit": _l("Votre commentaire modifié"),
}


class CommentForm(BaseForm):
    body = TextAreaField(_l("Votre commentaire"), description=_l(
        "Markdown accepté : **gras**, *italique*, listes, citations, liens. 10 000 caractères "
        "au plus."))
    parent_id = HiddenField(filters=[optional_int])
    submission_token = SubmissionTokenField()  # new comments and replies: one per submitted form


def comment_form(kind: str, key: int, **kwargs) -> CommentForm:
    """A form whose field ids are unique on the page (several reply or edit forms may be open
    at once): `kind` is new, reply or edit, `key` the idea or comment it belongs to."""
    form = CommentForm(**kwargs)
    form.body.id = f"commentaire-texte-{kind}-{key}"
    form.body.label.text = LABELS[kind]
    form.body.label.field_id = form.body.id
    return form
