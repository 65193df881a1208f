"""Management pages: the dashboard of objective 4 (indicators, funnel, vitality), the rows
behind each figure, the review of ideas to decide on, and their CSV/XLSX exports."""

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from ideas.authz import allowed, require
from ideas.dashboard import cache, indicators, queries, review
from ideas.dashboard.periods import (
    MIN_YEAR,
    parse_period,
    period_args,
    period_label,
    period_slug,
    today_in_paris,
)
from ideas.dashboard.permissions import can_review_ideas, can_view_dashboard
from ideas.dashboard.queries import NATIONAL, DrillDown
from ideas.dashboard.tables import BUILDERS, percent
from ideas.exports import export_response, stream_scalars
from ideas.extensions import db
from ideas.forms import territory_choices
from ideas.htmx import is_htmx, render
from ideas.ideation.labels import STATUS_LABELS
from ideas.ideation.models import Idea
from ideas.ideation.permissions import can_view_idea
from ideas.offer.labels import STATUS_LABELS as SERVICE_STATUS_LABELS
from ideas.offer.labels import TYPE_LABELS
from ideas.offer.models import Service
from ideas.pagination import paginate
from ideas.params import choice_arg, int_arg, page_arg
from ideas.reference.models import Theme
from ideas.research.labels import FORMAT_LABELS
from ideas.research.models import ResearchIntervention
from ideas.utils import utcnow

blueprint = Blueprint("dashboard", __name__, url_prefix="/pilotage")
EXPORT_FORMATS = "<any(csv, xlsx):fmt>"
TABLE_KEYS = f"<any({', '.join(BUILDERS)}):table>"


@blueprint.before_request
@login_required
def _signed_in():
    """Management pages are for signed-in agents (the rules then narrow it)."""


@blueprint.context_processor
def _formatting():
    return {"percent": percent}


def _year_choices(selected: int | None) -> list[int]:
    """From the first year with data (services, interventions, ideas) to this one."""
    today = today_in_paris()
    firsts = db.session.execute(select(
        select(func.min(Service.launch_date)).scalar_subquery(),
        select(func.min(ResearchIntervention.held_on)).scalar_subquery(),
        select(func.min(Idea.created_at)).scalar_subquery())).one()
    first = min([today.year, *(value.year for value in firsts if value is not None)])
    years = set(range(max(first, MIN_YEAR), today.year + 1))
    if selected:
        years.add(selected)
    return sorted(years, reverse=True)


def _period_or_errors(template: str, **context):
    """The checked period, or the page with the form's errors (what was typed kept)."""
    choice = parse_period(request.args)
    selected = choice.period.start.year if choice.period and not choice.is_range else None
    context.update(choice=choice, years=_year_choices(selected))
    if choice.period is None:
        return choice, (render_template(template, **context), 422)
    return choice, None


@blueprint.get("/")
def index():
    require(can_view_dashboard)
    choice, refused = _period_or_errors("dashboard/index.html")
    if refused:
        return refused
    period = choice.period
    tables = {key: build(period).with_texts() for key, build in BUILDERS.items()}
    db.session.commit()  # the daily activity rows the vitality table brought up to date
    return render_template(
        "dashboard/index.html", choice=choice, years=_year_choices(
            None if choice.is_range else period.start.year),
        period=period, period_args=period_args(period), label=period_label(period),
        share=indicators.services_share(period), share_target=indicators.SHARE_TARGET,
        interventions=indicators.interventions_count(period),
        interventions_target=indicators.INTERVENTIONS_TARGET, tables=tables,
        cache_minutes=-(-cache.lifetime() // 60))


@blueprint.get(f"/export/{TABLE_KEYS}.{EXPORT_FORMATS}")
def export_table(table: str, fmt: str):
    require(can_view_dashboard)
    choice, refused = _period_or_errors("dashboard/index.html")
    if refused:
        return refused
    data = BUILDERS[table](choice.period)
    db.session.commit()  # as on the page
    return export_response(fmt, f"{data.filename} {period_slug(choice.period)}",
                           data.export_header(), data.export_rows(), sheet_title=str(data.title))


def _drill() -> DrillDown:
    return DrillDown(
        origin=choice_arg("origin", queries.ORIGINS), community=int_arg("community"),
        territory=NATIONAL if request.args.get("territory") == NATIONAL
        else int_arg("territory"),
        stage=choice_arg("stage", queries.STAGES))


def _filter_labels(drill: DrillDown) -> list[str]:
    """What narrowed the figure, in words."""
    labels = []
    if drill.origin:
        labels.append(_("issus des communautés") if drill.origin == "communities"
                      else _("autre origine"))
    if drill.community is not None:
        labels.append(_("communauté : %(name)s",
                        name=queries.community_name(drill.community) or _("inconnue")))
    if drill.territory == NATIONAL:
        labels.append(_("territoire : national"))
    elif drill.territory is not None:
        labels.append(_("territoire : %(name)s",
                        name=queries.territory_name(drill.territory) or _("inconnu")))
    if drill.stage:
        labels.append(_("étape : %(stage)s", stage=STATUS_LABELS[drill.stage]))
    return labels


def _drill_page(template: str, statement, export_endpoint: str, **context):
    choice, refused = _period_or_errors(template, drill=_drill(), **context)
    if refused:
        return refused
    drill = _drill()
    pagination = paginate(statement(choice.period, drill), page_arg(),
                          current_app.config["PER_PAGE"])
    args = {**period_args(choice.period), **drill.args()}
    return render_template(
        template, choice=choice, period=choice.period, label=period_label(choice.period),
        drill=drill, pagination=pagination, filters=_filter_labels(drill),
        back_url=url_for(".index", **period_args(choice.period)),
        csv_url=url_for(export_endpoint, fmt="csv", **args),
        xlsx_url=url_for(export_endpoint, fmt="xlsx", **args), **context)


def _drill_export(fmt: str, name: str, statement, header, row):
    """The whole list behind a figure (not one page). A wrong period shows the page's form."""
    choice = parse_period(request.args)
    if choice.period is None:
        endpoint = request.endpoint.removesuffix("_export")
        return _drill_page(f"dashboard/{endpoint.split('.')[-1]}.html", statement,
                           request.endpoint)
    items = stream_scalars(statement(choice.period, _drill()))
    return export_response(fmt, f"{name} {period_slug(choice.period)}", header,
                           (row(item) for item in items), sheet_title=name)


def _idea_title(idea) -> str:
    """A hidden idea's title stays with those who may see it (its author, its moderators)."""
    if idea.hidden_at is None or allowed(can_view_idea, idea):
        return idea.title
    return _("Idée masquée par la modération")


@blueprint.get("/services")
def services():
    require(can_view_dashboard)
    return _drill_page("dashboard/services.html", queries.services, ".services_export")


@blueprint.get(f"/services.{EXPORT_FORMATS}")
def services_export(fmt: str):
    require(can_view_dashboard)
    base = current_app.config["PUBLIC_URL"].rstrip("/")

    def row(service: Service) -> list:
        return [service.id, service.name, str(TYPE_LABELS[service.type]),
                service.territory.name if service.territory else _("National"),
                service.launch_date, str(SERVICE_STATUS_LABELS[service.status]),
                _("Communautés") if service.ideas else _("Autre origine"),
                " | ".join(f"#{idea.id} {_idea_title(idea)}" for idea in service.ideas),
                " | ".join(dict.fromkeys(idea.community.name for idea in service.ideas)),
                service.stated_origin or "", f"{base}/services/{service.id}"]

    return _drill_export(fmt, _("services"), queries.services, [
        _("Numéro"), _("Service"), _("Type"), _("Territoire"), _("Date de lancement"),
        _("État"), _("Origine"), _("Idées d'origine"), _("Communautés"),
        _("Origine déclarée"), _("Adresse")], row)


@blueprint.get("/interventions")
def interventions():
    require(can_view_dashboard)
    return _drill_page("dashboard/interventions.html", queries.interventions,
                       ".interventions_export")


@blueprint.get(f"/interventions.{EXPORT_FORMATS}")
def interventions_export(fmt: str):
    require(can_view_dashboard)

    def row(item: ResearchIntervention) -> list:
        return [item.held_on, item.researcher, item.institution, str(FORMAT_LABELS[item.format]),
                item.topic, item.community.name]

    return _drill_export(fmt, _("interventions de la recherche"), queries.interventions, [
        _("Date"), _("Chercheur ou chercheuse"), _("Institution"), _("Format"), _("Sujet"),
        _("Communauté")], row)


@blueprint.get("/idees")
def ideas():
    require(can_view_dashboard)
    return _drill_page("dashboard/ideas.html", queries.ideas, ".ideas_export")


def _idea_row(idea: Idea) -> list:
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    return [idea.id, idea.title, idea.community.name, str(STATUS_LABELS[idea.status]),
            idea.created_at, idea.status_changed_at, idea.vote_count, idea.comment_count,
            f"{base}/idees/{idea.id}"]


def _idea_header() -> list[str]:
    return [_("Numéro"), _("Idée"), _("Communauté"), _("Statut"), _("Publiée le"),
            _("Dernier changement de statut"), _("Soutiens"), _("Commentaires"), _("Adresse")]


@blueprint.get(f"/idees.{EXPORT_FORMATS}")
def ideas_export(fmt: str):
    require(can_view_dashboard)
    return _drill_export(fmt, _("idees"), queries.ideas, _idea_header(), _idea_row)


def _review_filters() -> review.ReviewFilters:
    return review.ReviewFilters(
        status=choice_arg("status", review.STATUSES), community=int_arg("community"),
        territory=int_arg("territory"), theme=int_arg("theme"),
        age=int_arg("age", maximum=36_500), since=choice_arg("since", review.AGE_BASES)
        or "changed", sort=choice_arg("sort", review.SORTS) or "waiting")


@blueprint.get("/revue")
def review_ideas():
    require(can_review_ideas)
    filters, now = _review_filters(), utcnow()
    pagination = review.review_page(current_user, filters, page_arg(),
                                    current_app.config["PER_PAGE"], now)
    args = filters.args()
    response = render(
        "dashboard/review.html", "dashboard/_review_results.html", filters=filters,
        pagination=pagination, services=review.services_of(pagination.items), now=now,
        communities=review.review_communities(current_user),
        territories=territory_choices(_("Tous les territoires")),
        themes=db.session.scalars(select(Theme).where(Theme.is_active)
                                  .order_by(Theme.position)).all(),
        statuses=[(value, STATUS_LABELS[value]) for value in review.STATUSES],
        ages=review.AGES,
        csv_url=url_for(".review_export", fmt="csv", **args),
        xlsx_url=url_for(".review_export", fmt="xlsx", **args))
    if is_htmx():  # the address bar shows the filters that count, not every empty field
        response.headers["HX-Push-Url"] = url_for(".review_ideas", **args)
    return response


@blueprint.get(f"/revue.{EXPORT_FORMATS}")
def review_export(fmt: str):
    require(can_review_ideas)
    filters, now = _review_filters(), utcnow()
    items = stream_scalars(review.review_statement(current_user, filters, now))
    return export_response(fmt, _("revue des idees"), [*_idea_header(), _("Thèmes")],
                           ([*_idea_row(idea), ", ".join(t.name for t in idea.themes)]
                            for idea in items), day=today_in_paris())
