"""Admin pages: list, search and page through agents; change roles; (de)activate; invite."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from wtforms import EmailField, SelectField

from ideas.accounts import services as accounts
from ideas.accounts.models import Role, User
from ideas.accounts.permissions import can_admin_users, can_change_role
from ideas.authz import require
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.forms import EMAIL_VALIDATORS, BaseForm
from ideas.mail import send_email
from ideas.pagination import paginate
from ideas.params import choice_arg, page_arg

blueprint = Blueprint("admin", __name__, url_prefix="/admin")

ROLE_LABELS = {Role.AGENT: _l("Agent"), Role.MANAGER: _l("Direction"),
               Role.ADMIN: _l("Administrateur")}
STATUSES = ("active", "inactive", "invited")


class RoleForm(BaseForm):
    role = SelectField(_l("Rôle"), choices=[(r.value, label) for r, label in ROLE_LABELS.items()])


class PlatformInviteForm(BaseForm):
    email = EmailField(_l("Adresse électronique"), EMAIL_VALIDATORS)


@blueprint.before_request
@login_required
def _admins_only():
    require(can_admin_users)


def _user(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


@blueprint.get("/agents")
def users():
    q = request.args.get("q", "").strip()[:100]
    role = choice_arg("role", [r.value for r in Role])
    status = choice_arg("status", STATUSES)
    stmt = db.select(User).options(selectinload(User.territory)).order_by(User.display_name)
    if q:
        q_lower = q.lower()  # emails are stored lower-cased
        stmt = stmt.where(db.or_(User.email.contains(q_lower, autoescape=True),
                                 db.func.lower(User.display_name).contains(
                                     q_lower, autoescape=True)))
    if role:
        stmt = stmt.where(User.role == role)
    if status == "active":
        stmt = stmt.where(User.is_active, User.password_hash.is_not(None))
    elif status == "inactive":
        stmt = stmt.where(User.is_active.is_(False))
    elif status == "invited":
        stmt = stmt.where(User.password_hash.is_(None), User.erased_at.is_(None))
    pagination = paginate(stmt, page_arg(), 50)
    return render_template("admin/users.html", pagination=pagination, q=q, role=role,
                           status=status, role_labels=ROLE_LABELS,
                           invite_form=PlatformInviteForm())


@blueprint.route("/agents/<int:user_id>", methods=["GET", "POST"])
def user(user_id: int):
    target = _user(user_id)
    form = RoleForm(role=target.role.value)
    if request.method == "POST":  # the right first: one's own role is 403 whatever is posted
        require(can_change_role, target)
    if form.validate_on_submit():
        accounts.set_role(target, Role(form.role.data))
        db.session.commit()
        flash(_("Le rôle de %(name)s est maintenant : %(role)s.", name=target.display_name,
                role=ROLE_LABELS[target.role]), "success")
        return redirect(url_for(".user", user_id=user_id))
    return render_template("admin/user.html", target=target, form=form,
                           role_labels=ROLE_LABELS), 422 if form.errors else 200


@blueprint.post("/agents/<int:user_id>/desactiver")
def deactivate(user_id: int):
    target = _user(user_id)
    require(can_change_role, target)
    accounts.deactivate(target)
    db.session.commit()
    flash(_("Le compte de %(name)s est désactivé. Ses contributions restent visibles.",
            name=target.display_name), "success")
    return redirect(url_for(".user", user_id=user_id))


@blueprint.post("/agents/<int:user_id>/reactiver")
def reactivate(user_id: int):
    target = _user(user_id)
    require(can_change_role, target)
    accounts.reactivate(target)
    db.session.commit()
    flash(_("Le compte de %(name)s est réactivé.", name=target.display_name), "success")
    return redirect(url_for(".user", user_id=user_id))


@blueprint.post("/invitations")
def invite():
    form = PlatformInviteForm()
    if form.validate_on_submit():
        try:
            if accounts.get_user_by_email(form.email.data):
                raise DomainError(accounts.EMAIL_TAKEN)
            _invitation, token = accounts.create_invitation(form.email.data, current_user)
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            db.session.commit()
            send_email(form.email.data, _("Invitation à la Fabrique à idées"), "invitation",
                       community=None, inviter=current_user,
                       link=current_app.config["PUBLIC_URL"].rstrip("/")
                       + url_for("accounts.accept_invitation", token=token))
            flash(_("Une invitation a été envoyée à %(email)s.", email=form.email.data),
                  "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    return redirect(url_for(".users"))
