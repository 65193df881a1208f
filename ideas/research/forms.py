"""The research intervention form."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from ideas.forms import BaseForm, DayField
from ideas.research import services
from ideas.research.labels import format_choices


class InterventionForm(BaseForm):
    researcher = StringField(_l("Chercheur ou chercheuse"), [
        InputRequired(_l("Indiquez le chercheur ou la chercheuse.")),
        Length(max=services.RESEARCHER_MAX)])
    institution = StringField(_l("Institution"), [
        InputRequired(_l("Indiquez son institution (université, laboratoire…).")),
        Length(max=services.INSTITUTION_MAX)],
        description=_l("Université, laboratoire, organisme de recherche…"))
    held_on = DayField(_l("Date"), [InputRequired(_l("Indiquez la date de l'intervention."))],
                       description=_l("JJ/MM/AAAA ou AAAA-MM-JJ"))
    format = SelectField(_l("Format"), choices=format_choices())
    topic = StringField(_l("Sujet"), [InputRequired(_l("Indiquez le sujet de l'intervention.")),
                                      Length(max=services.TOPIC_MAX)])
    notes = TextAreaField(_l("Notes"), [Length(max=services.NOTES_MAX)],
                          description=_l("Facultatif : public, suites données, ressources…"))

    def values(self) -> dict:
        return {"researcher": self.researcher.data, "institution": self.institution.data,
                "held_on": self.held_on.data, "format": self.format.data,
                "topic": self.topic.data, "notes": self.notes.data or ""}
