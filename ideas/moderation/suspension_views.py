"""Suspensions (admins): the list, suspending an agent, lifting, hiding all they wrote."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ideas.accounts.models import User
from ideas.accounts.views import apply_domain_error
from ideas.authz import require
from ideas.extensions import db
from ideas.moderation import actions, queries, suspension_services
from ideas.moderation.forms import HideAllForm, SuspendForm
from ideas.moderation.models import Suspension
from ideas.moderation.permissions import can_manage_suspensions, can_suspend
from ideas.moderation.services import ModerationRefused
from ideas.moderation.suspensions import active_suspension

blueprint = Blueprint("suspensions", __name__)
_PARIS = ZoneInfo("Europe/Paris")


@blueprint.before_request
@login_required
def _signed_in():
    """Suspensions are for signed-in admins."""


def end_of_day_utc(day) -> datetime:
    """A suspension "until the 12th" ends at midnight after the 12th, Paris time (naive UTC)."""
    moment = datetime.combine(day + timedelta(days=1), time.min, tzinfo=_PARIS)
    return moment.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


@blueprint.get("/moderation/suspensions")
def index():
    require(can_manage_suspensions)
    active, past = queries.suspensions()
    return render_template("moderation/suspensions.html", active=active, past=past)


def _target(user_id: int) -> User:
    target = db.session.get(User, user_id)
    if target is None:
        abort(404)
    return target


def _suspend_page(target, form, hide_form, status: int = 200):
    return render_template("moderation/suspend.html", target=target, form=form,
                           hide_form=hide_form, suspension=active_suspension(target)), status


@blueprint.route("/moderation/agents/<int:user_id>/suspendre", methods=["GET", "POST"])
def suspend(user_id: int):
    require(can_manage_suspensions)
    target = _target(user_id)
    require(can_suspend, target)
    form = SuspendForm()
    hide_form = HideAllForm(formdata=None)
    if form.is_submitted():
        if not form.validate():
            if not form.ends_on.errors:
                abort(400)
            return _suspend_page(target, form, hide_form, 422)
        ends_at = end_of_day_utc(form.ends_on.data) if form.ends_on.data else None
        try:
            suspension_services.suspend_user(current_user, target, form.reason.data, ends_at)
        except ModerationRefused as error:
            db.session.rollback()
            apply_domain_error(form, error)
            return _suspend_page(target, form, hide_form, error.status)
        db.session.commit()
        flash(_("%(name)s est suspendu(e) : lecture seule jusqu'à la fin de la suspension.",
                name=target.display_name), "success")
        return redirect(url_for(".suspend", user_id=target.id))
    return _suspend_page(target, form, hide_form)


@blueprint.post("/moderation/suspensions/<int:suspension_id>/lever")
def lift(suspension_id: int):
    require(can_manage_suspensions)
    suspension = db.session.get(Suspension, suspension_id)
    if suspension is None:
        abort(404)
    try:
        suspension_services.lift_suspension(current_user, suspension)
    except ModerationRefused as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for(".index"))
    db.session.commit()
    flash(_("La suspension est levée."), "success")
    return redirect(url_for(".index"))


@blueprint.post("/moderation/agents/<int:user_id>/masquer-contenus")
def hide_content(user_id: int):
    require(can_manage_suspensions)
    target = _target(user_id)
    require(can_suspend, target)
    form = HideAllForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        hidden = actions.hide_all_content(current_user, target, form.reason.data)
    except ModerationRefused as error:
        db.session.rollback()
        apply_domain_error(form, error)
        return _suspend_page(target, SuspendForm(formdata=None), form, error.status)
    db.session.commit()
    flash(ngettext("%(num)d contenu masqué.", "%(num)d contenus masqués.", hidden),
          "success")
    return redirect(url_for(".suspend", user_id=target.id))
