"""Sign-up, login, logout, password reset, invitations, profile."""

import logging
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ideas.accounts import services, sessions
from ideas.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    ResetPasswordForm,
    SignupForm,
)
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.forms import territory_choices
from ideas.mail import send_email, send_email_after_response
from ideas.security_log import login_fingerprint, security_event
from ideas.utils import clean_line

blueprint = Blueprint("accounts", __name__)
log = logging.getLogger(__name__)

RESET_SENT = _l(
    "Si un compte actif correspond à cette adresse, un message contenant un lien de "
    "réinitialisation vient d'y être envoyé. Le lien est valable une heure."
)


def safe_next_url(target: str | None) -> str:
    """Only a local path: `//evil.fr`, `/\\evil.fr`, schemes and control characters go home."""
    default = url_for("main.home")
    if not target or any(ord(c) < 32 for c in target) or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def apply_domain_error(form, error: DomainError) -> None:
    """Show a service refusal beside its field, or as a form-level alert."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def _start_session(user, remember: bool = False) -> None:
    # A new session: whatever the anonymous one held is dropped (fixation), the language kept.
    sessions.start_session(user, remember=remember)
    security_event("login.success", user=user.id, remember=bool(remember))


@blueprint.route("/connexion", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except DomainError as error:
            known = services.get_user_by_email(form.email.data)
            security_event("login.failure", user=known.id if known else None,
                           login=login_fingerprint(form.email.data))
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            _start_session(user, remember=form.remember.data)
            flash(_("Bienvenue, %(name)s.", name=user.display_name), "success")
            return redirect(safe_next_url(request.args.get("next")))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("accounts/login.html", form=form), status


@blueprint.post("/deconnexion")
@login_required
def logout():
    # Sessions are signed cookies: only a new session token makes a copy of this one (or of
    # its remember-me cookie) worthless after logout (ASVS 3.3.1). It also ends the agent's
    # sessions on other devices: there is no server-side record to end this one alone.
    current_user.rotate_session_token()
    db.session.commit()
    security_event("logout")
    sessions.end_session()
    flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("accounts.login"))


def _signup(form: SignupForm, invitation=None):
    """Shared by open sign-up and invitation acceptance."""
    form.territory_id.choices = territory_choices()
    if form.validate_on_submit():
        try:
            user = services.register(
                form.email.data, form.display_name.data, form.password.data,
                territory_id=form.territory_id.data, locale=session.get("locale"),
                invitation=invitation)
            if invitation is not None:
                services.accept_invitation(invitation, user)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            _start_session(user)
            flash(_("Votre compte est créé. Bienvenue sur la Fabrique à idées !"), "success")
            return redirect(url_for("communities.index"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("accounts/signup.html", form=form, invitation=invitation,
                           registration_open=current_app.config["REGISTRATION_MODE"] == "open",
                           allowed_domains=current_app.config["REGISTRATION_ALLOWED_DOMAINS"]
                           ), status


@blueprint.route("/inscription", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    return _signup(SignupForm())


@blueprint.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    try:
        invitation = services.invitation_for_token(token)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("accounts.login"))
    if current_user.is_authenticated:
        if current_user.email != invitation.email:
            flash(_("Cette invitation est destinée à une autre adresse électronique."), "error")
            return redirect(url_for("main.home"))
        services.accept_invitation(invitation, current_user)
        db.session.commit()
        flash(_("Invitation acceptée."), "success")
        return redirect(url_for("communities.mine"))
    form = SignupForm(email=invitation.email)
    if request.method == "POST":
        form.email.data = invitation.email  # the invitation fixes the address
    return _signup(form, invitation)


@blueprint.route("/mot-de-passe/oubli", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.get_user_by_email(form.email.data)
        security_event("password.reset_requested", user=user.id if user else None,
                       login=login_fingerprint(form.email.data))
        # Same answer, in the same time, whether or not the address exists (no account
        # enumeration): the email leaves after the response.
        flash(str(RESET_SENT), "info")
        response = redirect(url_for("accounts.login"))
        if user is not None and user.is_active:
            token = services.make_reset_token(user)
            send_email_after_response(
                response, user.email, _("Réinitialisation de votre mot de passe"),
                "reset_password", user=user, link=current_app.config["PUBLIC_URL"].rstrip("/")
                + url_for("accounts.reset_password", token=token))
        return response
    return render_template("accounts/forgot_password.html", form=form), (
        422 if form.errors else 200)


@blueprint.route("/mot-de-passe/reinitialiser/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        user = services.user_for_reset_token(token)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        db.session.commit()
        security_event("password.reset", user=user.id)
        _notify_password_changed(user)
        sessions.end_session()
        flash(_("Votre mot de passe a été modifié. Connectez-vous avec le nouveau."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form), (
        422 if form.errors else 200)


def _notify_password_changed(user) -> None:
    """Tell the owner (ASVS 2.5.5): if they did not do it, they know at once. In their
    language; a mail server down does not undo the change."""
    try:
        with force_locale(user.locale or "fr"):
            send_email(user.email, _("Votre mot de passe a été modifié"), "password_changed",
                       user=user, link=current_app.config["PUBLIC_URL"].rstrip("/")
                       + url_for("accounts.forgot_password"))
    except Exception:
        log.exception("password change notice not sent user=%s", user.id)


@blueprint.route("/profil", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    form.territory_id.choices = territory_choices(_l("— Non renseigné —"))
    if request.method == "GET":
        form.locale.data = current_user.locale or str(session.get("locale") or "fr")
    if form.validate_on_submit():
        current_user.display_name = (clean_line(form.display_name.data)
                                     or current_user.display_name)
        current_user.territory_id = form.territory_id.data
        current_user.locale = form.locale.data
        db.session.commit()
        flash(_("Votre profil est enregistré."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form), 422 if form.errors else 200


@blueprint.route("/profil/mot-de-passe", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data,
                                     form.password.data)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            user = current_user._get_current_object()
            security_event("password.changed", user=user.id)
            _notify_password_changed(user)
            # The session token rotated: log in again on this device only (the current password
            # was just checked), keeping its "stay signed in" choice.
            _start_session(user, remember=bool(session.get("_persistent")))
            flash(_("Votre mot de passe a été modifié. Vos autres sessions sont fermées."),
                  "success")
            return redirect(url_for("accounts.profile"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("accounts/change_password.html", form=form), status
