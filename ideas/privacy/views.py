""""Mes données" (download), "Supprimer mon compte", and an admin's erasure of an account.

Every response here is personal: `Cache-Control: no-store` (ASVS 8.2.1; checklist item 53).
"""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ideas.accounts.models import User
from ideas.accounts.services import verify_password
from ideas.authz import require
from ideas.exports import safe_filename
from ideas.extensions import db
from ideas.privacy import erasure, export
from ideas.privacy.forms import DeleteOwnAccountForm, EraseAccountForm
from ideas.privacy.pages import STATUS_LABELS, compliance_status
from ideas.privacy.permissions import (
    can_delete_own_account,
    can_erase_account,
    can_export_own_data,
    is_last_admin,
)
from ideas.security_log import security_event
from ideas.utils import utcnow

blueprint = Blueprint("privacy", __name__)


@blueprint.record_once
def _register_erasure_log(state) -> None:
    erasure.register(db.session)


def _private(response, status: int = 200):
    response = make_response(response, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/profil/mes-donnees")
@login_required
def my_data():
    require(can_export_own_data)
    return _private(render_template("privacy/my_data.html", descriptions=export.DESCRIPTIONS))


@blueprint.get("/profil/mes-donnees/archive.zip")
@login_required
def export_archive():
    require(can_export_own_data)
    now = utcnow()
    body = export.build_archive(current_user, now)
    response = _private(body)
    response.headers["Content-Type"] = "application/zip"
    filename = safe_filename("mes-donnees-fabrique-a-idees", "zip", now.date())
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blueprint.route("/profil/supprimer-mon-compte", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteOwnAccountForm()
    if form.is_submitted():
        require(can_delete_own_account)
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not verify_password(user, form.password.data):
            form.password.errors = [*form.password.errors,
                                    _("Le mot de passe est incorrect.")]
        else:
            erasure.erase_account(user)
            db.session.commit()
            security_event("account.erased", user=user.id, target=user.id)
            locale = session.get("locale")
            logout_user()
            session.clear()
            session["_remember"] = "clear"  # Flask-Login deletes the remember-me cookie
            if locale:
                session["locale"] = locale
            flash(_("Votre compte est supprimé. Vos idées et commentaires restent, signés "
                    "« Agent supprimé »."), "success")
            return redirect(url_for("accounts.login"))
    status = 422 if form.errors else 200
    return _private(render_template("privacy/delete_account.html", form=form,
                                    last_admin=is_last_admin(current_user)), status)


@blueprint.route("/admin/agents/<int:user_id>/supprimer", methods=["GET", "POST"])
@login_required
def erase_user(user_id: int):
    target = db.session.get(User, user_id) or abort(404)
    require(can_erase_account, target)
    form = EraseAccountForm()
    if form.validate_on_submit():
        erasure.erase_account(target)
        db.session.commit()
        security_event("account.erased", target=user_id)
        flash(_("Le compte est supprimé : son nom et son adresse sont effacés partout, ses "
                "contributions restent, signées « Agent supprimé »."), "success")
        return redirect(url_for("admin.user", user_id=user_id))
    status = 422 if form.errors else 200
    return _private(render_template("privacy/erase_user.html", form=form, target=target),
                    status)


@blueprint.app_context_processor
def _accessibility_status() -> dict:
    """The footer states the compliance status on every page (RGAA obligation)."""
    return {"accessibility_status": STATUS_LABELS[compliance_status(current_app.config)]}
