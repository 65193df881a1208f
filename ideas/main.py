"""Home page, language switch, health check, legal pages."""

from flask import Blueprint, current_app, redirect, render_template, request, session
from flask_login import current_user, login_required

from ideas.accounts.views import safe_next_url
from ideas.communities import queries as community_queries
from ideas.extensions import db
from ideas.privacy.pages import accessibility_statement, retention_periods

blueprint = Blueprint("main", __name__)


@blueprint.get("/")
@login_required
def home():
    return render_template(
        "main/home.html",
        my_communities=community_queries.communities_of(current_user),
    )


@blueprint.post("/langue")
def set_language():
    """Remember the language in the session, and on the profile of a signed-in agent."""
    locale = request.form.get("locale")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    return redirect(safe_next_url(request.form.get("next")))


@blueprint.get("/sante")
def health():
    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok"}


@blueprint.get("/accessibilite")
def accessibility():
    return render_template("main/accessibility.html", **accessibility_statement())


@blueprint.get("/donnees-personnelles")
def privacy():
    return render_template("main/privacy.html", periods=retention_periods(),
                           dpo_email=current_app.config["DPO_EMAIL"],
                           contact_email=current_app.config["CONTACT_EMAIL"])
