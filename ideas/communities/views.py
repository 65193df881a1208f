"""Community pages: list, page, create/edit/archive, join/leave/request, members."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideas.accounts.views import apply_domain_error
from ideas.authz import require
from ideas.communities import permissions as perms
from ideas.communities import queries, services
from ideas.communities.forms import CommunityForm, InviteForm, JoinRequestForm, theme_choices
from ideas.errors import DomainError
from ideas.extensions import db
from ideas.forms import territory_choices
from ideas.htmx import is_htmx, render
from ideas.mail import send_email
from ideas.params import choice_arg, int_arg, page_arg

blueprint = Blueprint("communities", __name__, url_prefix="/communautes")


@blueprint.before_request
@login_required
def _signed_in():
    """Every community page is for signed-in agents."""


def _community(slug: str):
    community = queries.get_by_slug(slug)
    if community is None:
        abort(404)
    return community


@blueprint.get("/")
def index():
    filters = queries.CommunityFilters(
        q=request.args.get("q", "").strip()[:100],
        theme=int_arg("theme"),
        territory=int_arg("territory"),
        visibility=choice_arg("visibility", queries.VISIBILITIES),
        archived=request.args.get("archived") == "1" and perms.can_manage_communities(
            current_user),
    )
    pagination = queries.search_communities(filters, page_arg(),
                                            current_app.config["PER_PAGE"])
    return render("communities/index.html", "communities/_results.html",
                  pagination=pagination, filters=filters, themes=theme_choices(),
                  territories=territory_choices(_("Tous les territoires")))


@blueprint.get("/miennes")
def mine():
    return render_template("communities/mine.html",
                           communities=queries.communities_of(current_user, include_pending=True),
                           memberships=perms.memberships_by_community(current_user))


@blueprint.route("/nouvelle", methods=["GET", "POST"])
def create():
    require(perms.can_manage_communities)
    form = CommunityForm()
    if form.validate_on_submit():
        try:
            community = services.create_community(current_user, **form.values())
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("La communauté « %(name)s » est créée.", name=community.name), "success")
            return redirect(url_for(".show", slug=community.slug))
    return render_template("communities/form.html", form=form, community=None), (
        422 if form.errors or form.form_errors else 200)


@blueprint.get("/<slug>")
def show(slug: str):
    community = _community(slug)
    require(perms.can_view_community, community, hide=True)
    return render_template(
        "communities/show.html", community=community,
        facilitators=queries.facilitators_of(community),
        membership=perms.membership_of(current_user, community),
        join_form=JoinRequestForm())


@blueprint.route("/<slug>/modifier", methods=["GET", "POST"])
def edit(slug: str):
    community = _community(slug)
    require(perms.can_edit_community, community)
    form = CommunityForm(obj=community)
    if request.method == "GET":
        form.theme_ids.data = services.theme_ids_of(community)
    if form.validate_on_submit():
        try:
            services.update_community(community, **form.values())
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Les modifications sont enregistrées."), "success")
            return redirect(url_for(".show", slug=community.slug))
    return render_template("communities/form.html", form=form, community=community), (
        422 if form.errors or form.form_errors else 200)


@blueprint.post("/<slug>/archiver")
def archive(slug: str):
    community = _community(slug)
    require(perms.can_edit_community, community)
    services.archive_community(community)
    db.session.commit()
    flash(_("La communauté est archivée."), "success")
    return redirect(url_for(".show", slug=slug))


@blueprint.post("/<slug>/restaurer")
def restore(slug: str):
    community = _community(slug)
    require(perms.can_edit_community, community)
    services.restore_community(community)
    db.session.commit()
    flash(_("La communauté est de nouveau active."), "success")
    return redirect(url_for(".show", slug=slug))


def _membership_response(community, message: str, category: str = "success"):
    """htmx: the membership box updates in place; otherwise back to the page with a flash."""
    if is_htmx():
        return render_template("communities/_membership.html", community=community,
                               membership=perms.membership_of(current_user, community),
                               join_form=JoinRequestForm(), notice=message,
                               notice_category=category)
    flash(message, category)
    return redirect(url_for(".show", slug=community.slug))


@blueprint.post("/<slug>/rejoindre")
def join(slug: str):
    community = _community(slug)
    if community.is_private:
        abort(403)
    try:
        services.join(current_user, community)
    except DomainError as error:
        return _membership_response(community, str(error.message), "error"), 409
    db.session.commit()
    return _membership_response(community, _("Vous avez rejoint la communauté."))


@blueprint.post("/<slug>/demander")
def request_to_join(slug: str):
    community = _community(slug)
    form = JoinRequestForm()
    if not form.validate_on_submit():
        return _membership_response(community, " ".join(
            str(e) for errors in form.errors.values() for e in errors), "error"), 422
    try:
        services.request_to_join(current_user, community, form.message.data or "")
    except DomainError as error:
        return _membership_response(community, str(error.message), "error"), 409
    db.session.commit()
    return _membership_response(
        community, _("Votre demande est envoyée aux animateurs de la communauté."))


@blueprint.post("/<slug>/quitter")
def leave(slug: str):
    community = _community(slug)
    require(perms.can_leave, community)
    services.leave(current_user, community)
    db.session.commit()
    return _membership_response(community, _("Vous avez quitté la communauté."))


@blueprint.get("/<slug>/membres")
def members(slug: str):
    community = _community(slug)
    require(perms.can_read_content, community, hide=True)
    can_manage = perms.can_manage_members(current_user, community)
    return render_template(
        "communities/members.html", community=community,
        pagination=queries.members_page(community, page_arg(), 50,
                                        request.args.get("q", "").strip()[:80]),
        pending=queries.pending_requests(community) if can_manage else [],
        can_manage=can_manage,
        can_appoint=perms.can_appoint_facilitators(current_user, community),
        invite_form=InviteForm())


def _member_action(slug: str, action, success: str, check=perms.can_manage_members):
    community = _community(slug)
    require(check, community)
    try:
        action(community)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(success, "success")
    return redirect(url_for(".members", slug=slug))


@blueprint.post("/<slug>/membres/<int:membership_id>/accepter")
def approve(slug: str, membership_id: int):
    return _member_action(slug, lambda c: services.approve_request(c, membership_id),
                          _("La demande est acceptée."))


@blueprint.post("/<slug>/membres/<int:membership_id>/refuser")
def reject(slug: str, membership_id: int):
    return _member_action(slug, lambda c: services.reject_request(c, membership_id),
                          _("La demande est refusée."))


@blueprint.post("/<slug>/membres/<int:membership_id>/retirer")
def remove(slug: str, membership_id: int):
    return _member_action(slug, lambda c: services.remove_member(c, membership_id),
                          _("Le membre est retiré de la communauté."))


def _set_facilitator(community, membership_id: int, value: bool) -> None:
    membership = db.session.get(services.Membership, membership_id)
    if membership is None or membership.community_id != community.id:
        raise DomainError(_("Ce membre ne fait pas partie de la communauté."))
    services.set_facilitator(community, membership.user, value)


@blueprint.post("/<slug>/membres/<int:membership_id>/animateur")
def appoint(slug: str, membership_id: int):
    return _member_action(slug, lambda c: _set_facilitator(c, membership_id, True),
                          _("Le membre est désormais animateur ou animatrice."),
                          check=perms.can_appoint_facilitators)


@blueprint.post("/<slug>/membres/<int:membership_id>/membre")
def relieve(slug: str, membership_id: int):
    return _member_action(slug, lambda c: _set_facilitator(c, membership_id, False),
                          _("Le membre n'anime plus la communauté."),
                          check=perms.can_appoint_facilitators)


@blueprint.post("/<slug>/inviter")
def invite(slug: str):
    community = _community(slug)
    require(perms.can_manage_members, community)
    form = InviteForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for(".members", slug=slug))
    try:
        outcome, token = services.invite(community, form.email.data, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for(".members", slug=slug))
    db.session.commit()
    if outcome == "invited":
        send_email(form.email.data, _("Invitation à rejoindre « %(name)s »", name=community.name),
                   "invitation", community=community, inviter=current_user,
                   link=current_app.config["PUBLIC_URL"].rstrip("/")
                   + url_for("accounts.accept_invitation", token=token))
        flash(_("Une invitation a été envoyée à %(email)s.", email=form.email.data), "success")
    else:
        flash(_("L'agent a été ajouté à la communauté."), "success")
    return redirect(url_for(".members", slug=slug))
