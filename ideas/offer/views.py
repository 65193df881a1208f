"""The catalogue of new services: list with filters, a service's page with its origins, and
for management create, edit, retire and the CSV import."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideas.accounts.views import apply_domain_error
from ideas.authz import require
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.forms import territory_choices
from ideas.htmx import render
from ideas.import_files import error_lines
from ideas.offer import importer, labels, queries, services
from ideas.offer.forms import ImportForm, ServiceForm, parse_idea_ids
from ideas.offer.models import Service
from ideas.offer.permissions import can_manage_services, can_view_services
from ideas.params import choice_arg, int_arg, page_arg

blueprint = Blueprint("offer", __name__, url_prefix="/services")


@blueprint.before_request
@login_required
def _signed_in():
    """The catalogue is for signed-in agents."""


@blueprint.app_context_processor
def _labels():
    return {"service_type_labels": labels.TYPE_LABELS,
            "service_status_labels": labels.STATUS_LABELS,
            "service_status_badges": labels.STATUS_BADGES}


def _service(service_id: int) -> Service:
    service = queries.get_service(service_id)
    if service is None:
        abort(404)
    return service


@blueprint.get("/")
def index():
    require(can_view_services)
    filters = queries.ServiceFilters(
        q=request.args.get("q", "").strip()[:100],
        type=choice_arg("type", queries.TYPES),
        status=choice_arg("status", queries.STATUSES),
        territory=int_arg("territory"),
        year=int_arg("year", minimum=1900, maximum=2100),
        origin=choice_arg("origin", queries.ORIGINS))
    pagination = queries.search_services(filters, page_arg(), current_app.config["PER_PAGE"])
    return render("offer/index.html", "offer/_results.html", pagination=pagination,
                  filters=filters, years=[(year, year) for year in queries.launch_years()],
                  types=labels.type_choices(), statuses=labels.status_choices(),
                  territories=territory_choices(_("Tous les territoires")))


@blueprint.get("/<int:service_id>")
def show(service_id: int):
    require(can_view_services)
    service = _service(service_id)
    return render_template("offer/show.html", service=service,
                           origins=queries.origins_of(current_user, service))


def _ideas_of(form: ServiceForm) -> list | None:
    """The ideas typed by number, each existing and visible; None (with the field's error)
    otherwise."""
    ids = parse_idea_ids(form.idea_ids.data)
    found = queries.visible_ideas_by_id(current_user, ids)
    missing = [str(i) for i in ids if i not in found]
    if missing:
        form.idea_ids.errors = [*form.idea_ids.errors, _(
            "Aucune idée visible ne porte ce numéro : %(ids)s.", ids=", ".join(missing))]
        return None
    return [found[i] for i in ids]


def _save(form: ServiceForm, save) -> Service | None:
    """Validate, then create or update through the service; None when refused (the form
    holds why, and what was typed)."""
    if not form.validate_on_submit():
        return None
    ideas = _ideas_of(form)
    if ideas is None:
        return None
    try:
        service = save(form.values(ideas))
    except DomainError as error:
        db.session.rollback()
        apply_domain_error(form, error)
        return None
    db.session.commit()
    return service


def _form_page(form, service=None):
    status = 422 if form.errors or form.form_errors else 200
    return render_template("offer/form.html", form=form, service=service), status


@blueprint.route("/nouveau", methods=["GET", "POST"])
def create():
    require(can_manage_services)
    form = ServiceForm()
    service = _save(form, lambda values: services.create_service(current_user, **values))
    if service is not None:
        flash(_("Le service « %(name)s » est enregistré.", name=service.name), "success")
        return redirect(url_for(".show", service_id=service.id))
    return _form_page(form)


@blueprint.route("/<int:service_id>/modifier", methods=["GET", "POST"])
def edit(service_id: int):
    require(can_manage_services)
    service = _service(service_id)
    form = ServiceForm(obj=service)
    if request.method == "GET":
        form.idea_ids.data = ", ".join(str(idea.id) for idea in service.ideas)
        form.type.data, form.status.data = service.type.value, service.status.value
    saved = _save(form, lambda values: services.update_service(service, **values) or service)
    if saved is not None:
        flash(_("Les modifications sont enregistrées."), "success")
        return redirect(url_for(".show", service_id=service.id))
    return _form_page(form, service)


@blueprint.post("/<int:service_id>/retirer")
def retire(service_id: int):
    require(can_manage_services)
    service = _service(service_id)
    services.retire_service(service)
    db.session.commit()
    flash(_("Le service est retiré de l'offre. Il reste compté l'année de son lancement."),
          "success")
    return redirect(url_for(".show", service_id=service.id))


@blueprint.route("/import", methods=["GET", "POST"])
def import_services():
    require(can_manage_services)
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("offer/import.html", form=form), (
            422 if form.errors else 200)
    upload = form.file.data
    report = importer.import_upload(upload.read(), upload.filename or "", current_user)
    if report.errors:
        db.session.rollback()
        return render_template("offer/import.html", form=form, report=report,
                               error_lines=error_lines(report.errors)), 422
    created = len(report.created)
    if form.dry_run.data:
        db.session.rollback()
    else:
        db.session.commit()
    return render_template("offer/import.html", form=ImportForm(formdata=None), report=report,
                           created=created, dry_run=form.dry_run.data)
