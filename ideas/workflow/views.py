"""Moving an idea through the workflow from its page (htmx form, plain POST fallback).

The idea page (ideation) includes `workflow/_timeline.html` and `workflow/_move_form.html`; what
they need comes from the `idea_workflow(idea)` template global, not through ideation's view.
A refused move changes nothing (one rollback), keeps what was typed and says why: the form
fragment with status 422 (409 when the idea changed state meanwhile) for htmx, the form page
otherwise. A successful move reloads the idea page, since its state shows everywhere on it."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideas.authz import allowed, get_or_404, require
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.htmx import is_htmx, make_response
from ideas.ideation import queries as idea_queries
from ideas.ideation.labels import status_label
from ideas.ideation.models import Idea, IdeaStatus
from ideas.ideation.permissions import can_view_idea
from ideas.offer import services as offer_services
from ideas.offer.models import Service, ServiceStatus
from ideas.workflow import queries
from ideas.workflow.forms import NEW, MoveForm
from ideas.workflow.permissions import allowed_targets, can_move_idea, is_reviewer
from ideas.workflow.services import WorkflowConflict, move_idea
from ideas.workflow.transitions import TERMINAL

blueprint = Blueprint("workflow", __name__)
MAX_ID = 2**31 - 1  # beyond, PostgreSQL refuses the integer before saying "not found"
# Service errors name the catalogue's fields; the form prefixes them.
_SERVICE_FIELDS = {"name": "service_name", "type": "service_type",
                   "launch_date": "service_launch_date", "stated_origin": "service_name",
                   "description": "service_description"}


@blueprint.before_request
@login_required
def _signed_in():
    """Every workflow route is for signed-in agents."""


def move_form(idea: Idea, formdata=None) -> MoveForm:
    return MoveForm(idea, allowed_targets(current_user, idea), formdata=formdata)


@blueprint.app_template_global()
def idea_workflow(idea: Idea) -> queries.IdeaWorkflow:
    """For the idea page: its history, services and merges, and the move form if allowed."""
    workflow = queries.workflow_of(current_user, idea)
    if allowed(can_move_idea, idea):
        workflow.move_form = move_form(idea)
    return workflow


def _idea(idea_id: int) -> Idea:
    return get_or_404(Idea, idea_id, can_view_idea, load=idea_queries.get_idea)


def _service(form: MoveForm, idea: Idea) -> Service | None:
    """The service an adopted idea became: an existing one, or one created now (same
    transaction: if the move is refused, it is not kept either)."""
    if form.service_choice.data == NEW:
        try:
            return offer_services.create_service(current_user, ideas=[idea],
                                                 **form.new_service_values())
        except DomainError as error:
            raise DomainError(error.message, _SERVICE_FIELDS.get(error.field, "service_name")
                              ) from None
    service = db.session.get(Service, form.service_id.data) if (
        form.service_id.data is not None and form.service_id.data <= MAX_ID) else None
    if service is None or service.status == ServiceStatus.RETIRED:
        raise DomainError(_("Choisissez un service de l'offre existant (non retiré)."),
                          "service_id")
    return service


def _merge_target(form: MoveForm) -> Idea:
    target_id = form.merge_target_id
    target = db.session.get(Idea, target_id) if target_id and target_id <= MAX_ID else None
    field = "merge_into_number" if form.merge_into_number.data else "merge_into"
    if target is None or not can_view_idea(current_user, target):
        raise DomainError(_("Aucune idée visible ne porte ce numéro."), field)
    return target


def _form_response(idea: Idea, form: MoveForm, status: int):
    if is_htmx():
        response = make_response(render_template("workflow/_move_form.html", idea=idea,
                                                 move_form=form, fragment=True), status)
    else:
        response = make_response(render_template("workflow/move.html", idea=idea,
                                                 move_form=form), status)
    response.vary.add("HX-Request")
    return response


def _refused(idea: Idea, form: MoveForm, error: DomainError, status: int = 422):
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and error.field not in ("csrf_token", "expected"):
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))
    return _form_response(idea, form, status)


@blueprint.route("/idees/<int:idea_id>/statut", methods=["GET", "POST"])
def move(idea_id: int):
    idea = _idea(idea_id)
    if request.method == "GET":
        require(can_move_idea, idea)
        return _form_response(idea, move_form(idea), 200)
    require(is_reviewer, idea)
    form = move_form(idea, request.form)
    if form.expected_status is None:  # a form from nowhere: incomplete, not out of date
        return _refused(idea, form, DomainError(_(
            "Le formulaire est incomplet. Rechargez la page et réessayez.")), 422)
    if form.expected_status != idea.status:
        # Checked before the right to move: a facilitator whose page is out of date learns the
        # idea moved on (it may now be beyond their reach), not that they lack the right.
        return _refused(idea, form, WorkflowConflict(_(
            "L'idée a changé de statut entre-temps. Rechargez la page.")), 409)
    if idea.status in TERMINAL:
        # Nobody may leave a final state: an illegal move (422), not a missing right (403).
        return _refused(idea, form, DomainError(_(
            "Ce changement de statut n'est pas possible depuis « %(status)s ».",
            status=status_label(idea.status))), 422)
    require(can_move_idea, idea)
    if not form.validate():
        return _form_response(idea, form, 422)
    target = form.target
    try:
        service = _service(form, idea) if target == IdeaStatus.ADOPTED else None
        merge_into = _merge_target(form) if target == IdeaStatus.MERGED else None
        move_idea(current_user, idea, target, answer=form.answer.data or "",
                  service=service, merge_into=merge_into, expected=form.expected_status)
    except WorkflowConflict as error:
        return _refused(idea, form, error, 409)
    except DomainError as error:
        return _refused(idea, form, error)
    db.session.commit()
    flash(_("L'idée est passée au statut « %(status)s ».", status=status_label(target)),
          "success")
    if is_htmx():
        # No anchor: from the idea page itself, a URL that differs only by its fragment would
        # scroll instead of loading the page again. The flash message is at the top anyway.
        return make_response("", 200, redirect=url_for("ideation.show", idea_id=idea.id))
    return redirect(url_for("ideation.show", idea_id=idea.id, _anchor="statut"), 303)
