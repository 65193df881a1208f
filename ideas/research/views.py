"""Research interventions: recorded from a community's page by its facilitators and
management, listed there; the full list, edit and delete for management."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideas.accounts.views import apply_domain_error
from ideas.authz import require
from ideas.communities import queries as community_queries
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.htmx import render
from ideas.params import choice_arg, int_arg, page_arg
from ideas.research import queries, services
from ideas.research.forms import InterventionForm
from ideas.research.labels import FORMAT_LABELS, format_choices
from ideas.research.permissions import (
    can_manage_interventions,
    can_record_intervention,
    can_view_interventions,
)

blueprint = Blueprint("research", __name__)


@blueprint.before_request
@login_required
def _signed_in():
    """Every research page is for signed-in agents."""


@blueprint.app_context_processor
def _labels():
    return {"intervention_format_labels": FORMAT_LABELS}


@blueprint.app_template_global()
def community_interventions(community) -> dict:
    """For the community page: its latest interventions and their number."""
    items, total = queries.of_community(community)
    return {"items": items, "total": total}


def _community(slug: str):
    community = community_queries.get_by_slug(slug)
    if community is None:
        abort(404)
    require(can_view_interventions, community, hide=True)
    return community


def _intervention(intervention_id: int):
    intervention = queries.get(intervention_id)
    if intervention is None:
        abort(404)
    return intervention


def _save(form: InterventionForm, save) -> bool:
    if not form.validate_on_submit():
        return False
    try:
        save(form.values())
    except DomainError as error:
        db.session.rollback()
        apply_domain_error(form, error)
        return False
    db.session.commit()
    return True


def _form_page(form, community, intervention=None):
    status = 422 if form.errors or form.form_errors else 200
    return render_template("research/form.html", form=form, community=community,
                           intervention=intervention), status


@blueprint.route("/communautes/<slug>/interventions/nouvelle", methods=["GET", "POST"])
def create(slug: str):
    community = _community(slug)
    require(can_record_intervention, community)
    form = InterventionForm()
    if _save(form, lambda values: services.record_intervention(current_user, community,
                                                               **values)):
        flash(_("L'intervention est enregistrée."), "success")
        return redirect(url_for("communities.show", slug=community.slug,
                                _anchor="interventions"))
    return _form_page(form, community)


@blueprint.get("/interventions")
def index():
    require(can_manage_interventions)
    filters = queries.InterventionFilters(
        q=request.args.get("q", "").strip()[:100],
        year=int_arg("year", minimum=1900, maximum=2100),
        community=int_arg("community"),
        format=choice_arg("format", queries.FORMATS))
    pagination = queries.search(filters, page_arg(), current_app.config["PER_PAGE"])
    return render("research/index.html", "research/_results.html", pagination=pagination,
                  filters=filters, years=queries.years(), formats=format_choices(),
                  communities=queries.community_choices())


@blueprint.route("/interventions/<int:intervention_id>/modifier", methods=["GET", "POST"])
def edit(intervention_id: int):
    require(can_manage_interventions)
    intervention = _intervention(intervention_id)
    form = InterventionForm(obj=intervention)
    if request.method == "GET":
        form.format.data = intervention.format.value
    if _save(form, lambda values: services.update_intervention(current_user, intervention,
                                                               **values)):
        flash(_("Les modifications sont enregistrées."), "success")
        return redirect(url_for(".index"))
    return _form_page(form, intervention.community, intervention)


@blueprint.post("/interventions/<int:intervention_id>/supprimer")
def delete(intervention_id: int):
    """Back where the button was: the community page or the full list."""
    require(can_manage_interventions)
    intervention = _intervention(intervention_id)
    slug = intervention.community.slug
    services.delete_intervention(current_user, intervention)
    db.session.commit()
    flash(_("L'intervention est supprimée."), "success")
    if request.form.get("back") == "community":
        return redirect(url_for("communities.show", slug=slug, _anchor="interventions"))
    return redirect(url_for(".index"))
