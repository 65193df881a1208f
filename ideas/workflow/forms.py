"""The form that moves an idea: new state, official answer, and, depending on the state, the
service it became (existing or created on the spot) or the idea it is merged into.

Only the states the user may reach are offered (workflow.permissions.allowed_targets); the
service (workflow.services.move_idea) checks everything again."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from ideas.extensions import db
from ideas.forms import BaseForm, DayField, TerritoryField, optional_int, territory_choices
from ideas.ideation.labels import STATUS_LABELS
from ideas.ideation.models import Idea, IdeaStatus
from ideas.offer import labels as offer_labels
from ideas.offer.models import Service, ServiceStatus
from ideas.workflow.services import ANSWER_MAX
from ideas.workflow.transitions import ANSWER_REQUIRED

MERGE_CHOICES_MAX = 200  # most recent ideas of the community offered in the list
NEW, EXISTING = "new", "existing"


def _service_choices() -> list:
    services = db.session.execute(
        db.select(Service.id, Service.name).where(Service.status != ServiceStatus.RETIRED)
        .order_by(Service.name, Service.id)).all()
    return [("", _l("— Choisir un service —"))] + [(id_, name) for id_, name in services]


def _merge_choices(idea: Idea) -> list:
    ideas = db.session.execute(
        db.select(Idea.id, Idea.title).where(
            Idea.community_id == idea.community_id, Idea.id != idea.id,
            Idea.status.not_in((IdeaStatus.MERGED, IdeaStatus.WITHDRAWN)),
            Idea.hidden_at.is_(None))  # hidden by the moderation: no merge target, not listed
        .order_by(Idea.created_at.desc(), Idea.id.desc()).limit(MERGE_CHOICES_MAX)).all()
    return [("", _l("— Choisir une idée —"))] + [(id_, f"n° {id_} – {title}")
                                                 for id_, title in ideas]


class MoveForm(BaseForm):
    expected = HiddenField()
    status = SelectField(_l("Nouveau statut"), validate_choice=False)
    answer = TextAreaField(
        _l("Réponse officielle"),
        [Length(max=ANSWER_MAX, message=_l("La réponse officielle ne doit pas dépasser "
                                           "%(max)d caractères."))],
        description=_l("En Markdown. Obligatoire pour « retenue », « non retenue » et "
                       "« adoptée » ; l'auteur et les personnes qui suivent l'idée la liront."))
    service_choice = RadioField(_l("Service de l'offre issu de l'idée"), default=EXISTING,
                                choices=[(EXISTING, _l("Un service existant")),
                                         (NEW, _l("Un nouveau service, créé maintenant"))])
    service_id = SelectField(_l("Service existant"), coerce=optional_int, validate_choice=False)
    service_name = StringField(_l("Nom du nouveau service"), [Optional(), Length(max=200)])
    service_description = TextAreaField(_l("Description du service"), [Length(max=10_000)])
    service_type = SelectField(_l("Type"), choices=offer_labels.type_choices())
    service_territory_id = TerritoryField(_l("Territoire"),
                                          description=_l("Laissez vide pour un service national."))
    service_launch_date = DayField(_l("Date de lancement"),
                                   description=_l("JJ/MM/AAAA ; obligatoire pour un service "
                                                  "lancé."))
    service_status = SelectField(_l("État du service"),
                                 choices=offer_labels.status_choices(include_retired=False))
    merge_into = SelectField(_l("Idée de la même communauté"), coerce=optional_int,
                             validate_choice=False)
    merge_into_number = StringField(
        _l("Ou le numéro d'une autre idée"), [Optional(), Length(max=12)],
        description=_l("Le numéro figure dans l'adresse de l'idée : /idees/123."))

    def __init__(self, idea: Idea, targets: list[IdeaStatus], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.idea, self.targets = idea, targets
        self.status.choices = [("", _l("— Choisir —"))] + [
            (target.value, STATUS_LABELS[target]) for target in targets]
        if kwargs.get("formdata", ...) is None:  # a fresh form: the state the user sees
            self.expected.data = idea.status.value
        if IdeaStatus.ADOPTED in targets:
            self.service_id.choices = _service_choices()
            self.service_territory_id.choices = territory_choices(_l("— National —"))
        if IdeaStatus.MERGED in targets:
            self.merge_into.choices = _merge_choices(idea)

    @property
    def target(self) -> IdeaStatus | None:
        try:
            return IdeaStatus(self.status.data)
        except ValueError:
            return None

    @property
    def expected_status(self) -> IdeaStatus | None:
        try:
            return IdeaStatus(self.expected.data)
        except ValueError:
            return None

    def validate(self, extra_validators=None) -> bool:
        """The field rules, then what depends on the chosen state, so every problem of the
        form shows at once (the service re-checks them, from the same table). Fields for
        another state than the chosen one are ignored, whatever they hold."""
        super().validate(extra_validators)
        target = self.target
        if target is None or target not in self.targets:
            self.status.errors = [_l("Choisissez un statut parmi ceux proposés.")]
            return False
        for field in self._ignored_fields(target):
            field.errors = []
        if target in ANSWER_REQUIRED and not (self.answer.data or "").strip():
            self.answer.errors = [*self.answer.errors, _l(
                "Une réponse officielle est obligatoire pour ce statut.")]
        if target == IdeaStatus.ADOPTED:
            self._validate_service()
        if target == IdeaStatus.MERGED:
            self._validate_merge()
        return not any(field.errors for field in self)

    def _ignored_fields(self, target: IdeaStatus) -> list:
        new_service = [self.service_name, self.service_description, self.service_type,
                       self.service_territory_id, self.service_launch_date,
                       self.service_status]
        ignored = []
        if target != IdeaStatus.ADOPTED:
            ignored += [self.service_choice, self.service_id, *new_service]
        elif self.service_choice.data == NEW:
            ignored.append(self.service_id)
        else:
            ignored += new_service
        if target != IdeaStatus.MERGED:
            ignored += [self.merge_into, self.merge_into_number]
        return ignored

    def _validate_service(self) -> None:
        if self.service_choice.data == NEW:
            if not (self.service_name.data or "").strip():
                self.service_name.errors = [*self.service_name.errors,
                                            _l("Indiquez le nom du nouveau service.")]
        elif self.service_id.data is None:
            self.service_id.errors = [*self.service_id.errors, _l(
                "Choisissez le service existant, ou créez-en un nouveau.")]

    def _merge_number(self) -> str:
        return (self.merge_into_number.data or "").strip().lstrip("#").removeprefix("n°").strip()

    def _validate_merge(self) -> None:
        number = self._merge_number()
        if number and not number.isdigit():
            self.merge_into_number.errors = [*self.merge_into_number.errors,
                                             _l("Indiquez un numéro d'idée (des chiffres).")]
        elif not number and self.merge_into.data is None:
            self.merge_into.errors = [*self.merge_into.errors, _l(
                "Indiquez l'idée dans laquelle fusionner celle-ci.")]

    @property
    def merge_target_id(self) -> int | None:
        """The number typed wins over the list (it reaches ideas of other communities)."""
        number = self._merge_number()
        return int(number) if number.isdigit() else self.merge_into.data

    def new_service_values(self) -> dict:
        return {"name": self.service_name.data, "description": self.service_description.data,
                "type": self.service_type.data, "territory_id": self.service_territory_id.data,
                "launch_date": self.service_launch_date.data,
                "status": self.service_status.data}
