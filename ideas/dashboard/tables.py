"""The dashboard's tables, built once for the page and for their export: each figure carries the
link to the rows behind it (drill-down), each table its export key, some a chart's data."""

import functools
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from babel import Locale, numbers
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ideas.dashboard import activity, indicators
from ideas.dashboard.cache import remembered
from ideas.dashboard.indicators import Period, Share
from ideas.dashboard.periods import period_args, quarters
from ideas.dashboard.queries import NATIONAL
from ideas.ideation.labels import STATUS_LABELS

TEXT, COUNT, PERCENT, DAYS = "text", "count", "percent", "days"


@dataclass
class Column:
    label: Any
    kind: str = TEXT


@dataclass
class Cell:
    value: Any
    href: str | None = None
    text: str = ""  # the value as the page shows it (`DataTable.with_texts`)
    is_empty: bool = False  # no data: shown as such, never as 0


@functools.cache
def _percent_pattern(locale: str) -> str:
    """The language's own percent pattern ("70,6 %" with a no-break space, "70.6%"), with
    one decimal: 12 of 17 is 70.6 %, not 71 %."""
    pattern = Locale.parse(locale).percent_formats[None].pattern
    return re.sub(r"0(?=[^0#]*%)", "0.0", pattern, count=1)


def percent(value: float) -> str:
    """For templates: a share in the reader's language, one decimal."""
    return _formatted(value, PERCENT, str(get_locale() or "fr"))


@functools.lru_cache(maxsize=8192)
def _formatted(value, kind: str, locale: str) -> str:
    """Babel's formatting is slow and a page formats a few thousand, mostly small, numbers."""
    if kind == PERCENT:
        return numbers.format_percent(value, _percent_pattern(locale), locale=locale)
    return numbers.format_decimal(value, locale=locale)


@dataclass
class DataTable:
    key: str  # in the export URL
    title: Any
    columns: list[Column]
    rows: list[list[Cell]]
    note: Any = ""
    charts: list[tuple[str, Any, dict]] = field(default_factory=list)  # (id, title, data)
    filename: str = ""

    def with_texts(self) -> "DataTable":
        """Fill each cell's text in the reader's language, for the page."""
        locale, no_data = str(get_locale() or "fr"), _("pas de données")
        for row in self.rows:
            for cell, column in zip(row, self.columns, strict=True):
                if cell.value is None:
                    cell.text, cell.is_empty = no_data, True
                elif column.kind == TEXT:
                    cell.text = str(cell.value)
                else:
                    cell.text = _formatted(cell.value, column.kind, locale)
        return self

    def export_header(self) -> list[str]:
        return [f"{column.label} (%)" if column.kind == PERCENT else str(column.label)
                for column in self.columns]

    def export_rows(self) -> list[list]:
        """Raw values: percents as numbers of percent (70.6), days rounded to a tenth."""
        return [[_export_value(cell.value, column.kind)
                 for cell, column in zip(row, self.columns, strict=True)] for row in self.rows]


def _export_value(value, kind: str):
    if value is None:
        return None
    if kind == PERCENT:
        return round(value * 100, 1)
    if kind == DAYS:
        return round(value, 1)
    return value if kind == COUNT else str(value)


class Links:
    """Drill-down URLs for one period. Built by string, not url_for: a page holds about a
    thousand of them, and url_for took a third of the render time."""

    def __init__(self, period: Period):
        self.period = period
        self.query = urlencode(period_args(period))
        self.paths: dict[str, str] = {}

    def _url(self, endpoint: str, period: Period | None, drill: dict) -> str:
        path = self.paths.get(endpoint)
        if path is None:
            path = self.paths[endpoint] = url_for(endpoint)
        query = urlencode(period_args(period)) if period else self.query
        # Drill-down values are ids and fixed words: nothing to escape.
        extra = "".join(f"&{key}={value}" for key, value in drill.items())
        return f"{path}?{query}{extra}"

    def services(self, period: Period | None = None, **drill) -> str:
        return self._url("dashboard.services", period, drill)

    def interventions(self, period: Period | None = None, **drill) -> str:
        return self._url("dashboard.interventions", period, drill)

    def ideas(self, **drill) -> str:
        return self._url("dashboard.ideas", None, drill)


def _share_cells(share: Share, link, **drill) -> list[Cell]:
    return [Cell(share.total, link(**drill)),
            Cell(share.from_communities, link(origin="communities", **drill)),
            Cell(share.ratio, link(origin="communities", **drill))]


def _territory_key(territory) -> int | str:
    return territory.id if territory is not None else NATIONAL


def territories(period: Period) -> DataTable:
    """Services by their territory, interventions by their community's: one row per territory
    that has either."""
    links = Links(period)
    shares = {_territory_key(t): (t, share) for t, share in indicators.share_by_territory(period)}
    held = {_territory_key(t): (t, n) for t, n in indicators.interventions_by_territory(period)}
    rows = []
    for key in [*shares, *(key for key in held if key not in shares)]:
        territory = (shares.get(key) or held[key])[0]
        share = shares.get(key, (None, Share(0, 0)))[1]
        count = held.get(key, (None, 0))[1]
        rows.append([Cell(territory.name if territory else _("National")),
                     *_share_cells(share, links.services, territory=key),
                     Cell(count, links.interventions(territory=key))])
    return DataTable(
        "territories", _l("Par territoire"),
        [Column(_l("Territoire")), Column(_l("Services lancés"), COUNT),
         Column(_l("Issus des communautés"), COUNT), Column(_l("Part"), PERCENT),
         Column(_l("Interventions de la recherche"), COUNT)], rows,
        note=_l("Un service compte pour son territoire ; une intervention, pour celui de sa "
                "communauté. « National » : sans territoire."),
        filename=_("indicateurs par territoire"))


def communities(period: Period) -> DataTable:
    links = Links(period)
    services = {c.id: (c, n) for c, n in indicators.services_by_community(period)}
    held = {c.id: (c, n) for c, n in indicators.interventions_by_community(period)}
    rows = []
    for key in [*services, *(key for key in held if key not in services)]:
        community = (services.get(key) or held[key])[0]
        count = services.get(key, (None, 0))[1]
        rows.append([Cell(community.name),
                     Cell(count, links.services(origin="communities", community=key)),
                     Cell(held.get(key, (None, 0))[1], links.interventions(community=key))])
    return DataTable(
        "communities", _l("Par communauté"),
        [Column(_l("Communauté")), Column(_l("Services issus de ses idées"), COUNT),
         Column(_l("Interventions de la recherche"), COUNT)], rows,
        note=_l("Un service issu d'idées de plusieurs communautés compte une fois dans le total "
                "et une fois pour chacune de ces communautés : la somme de cette colonne peut "
                "donc dépasser le nombre de services."),
        filename=_("indicateurs par communaute"))


def quarter_label(year: int, quarter: int) -> str:
    return _("T%(quarter)s %(year)s", quarter=quarter, year=year)


def by_quarter(period: Period) -> DataTable:
    """Every quarter of the period, empty ones included (a chart with gaps would mislead)."""
    shares = {(y, q): share for y, q, share in indicators.share_by_quarter(period)}
    held = {(y, q): n for y, q, n in indicators.interventions_by_quarter(period)}
    links = Links(period)
    rows = []
    for year, quarter, part in quarters(period):
        share = shares.get((year, quarter), Share(0, 0))
        rows.append([Cell(quarter_label(year, quarter)),
                     *_share_cells(share, functools.partial(links.services, part)),
                     Cell(held.get((year, quarter), 0), links.interventions(part))])
    labels = [row[0].value for row in rows]
    services_chart = {"type": "bar", "stacked": True, "labels": labels, "datasets": [
        {"label": _("Issus des communautés"), "data": [row[2].value for row in rows]},
        {"label": _("Autre origine"), "data": [row[1].value - row[2].value for row in rows]}],
        "yTitle": _("Services lancés")}
    interventions_chart = {"type": "bar", "labels": labels, "datasets": [
        {"label": _("Interventions de la recherche"), "data": [row[4].value for row in rows]}],
        "yTitle": _("Interventions")}
    return DataTable(
        "quarters", _l("Par trimestre"),
        [Column(_l("Trimestre")), Column(_l("Services lancés"), COUNT),
         Column(_l("Issus des communautés"), COUNT), Column(_l("Part"), PERCENT),
         Column(_l("Interventions de la recherche"), COUNT)], rows,
        charts=[("chart-services", _l("Services lancés par trimestre, selon leur origine"),
                 services_chart),
                ("chart-interventions", _l("Interventions de la recherche par trimestre"),
                 interventions_chart)],
        filename=_("indicateurs par trimestre"))


def funnel(period: Period) -> DataTable:
    links = Links(period)
    stages = remembered(("funnel", period), lambda: activity.funnel(period))
    rows = [[Cell(str(STATUS_LABELS[stage.status])),
             Cell(stage.count, links.ideas(stage=stage.status.value)),
             Cell(stage.conversion)] for stage in stages]
    chart = {"type": "bar", "horizontal": True, "labels": [row[0].value for row in rows],
             "datasets": [{"label": _("Idées"), "data": [stage.count for stage in stages]}],
             "yTitle": _("Idées")}
    charts = [("chart-funnel", _l("Nombre d'idées à chaque étape"), chart)]
    return DataTable(
        "funnel", _l("Entonnoir des idées"),
        [Column(_l("Étape")), Column(_l("Idées"), COUNT),
         Column(_l("Passage depuis l'étape précédente"), PERCENT)], rows, charts=charts,
        note=_l("« Déposée » : idées publiées pendant la période. Étapes suivantes : idées "
                "arrivées à cette étape pendant la période, ou allées au-delà sans s'y arrêter "
                "(une idée peut être adoptée sans expérimentation). Une idée déposée plus tôt "
                "peut avancer pendant la période : un taux de passage peut dépasser %(all)s.",
                all="100 %"),
        filename=_("entonnoir des idees"))


def delays(period: Period) -> DataTable:
    links = Links(period)
    found = remembered(("adoption_delays", period), lambda: activity.adoption_delays(period))
    rows = [[Cell(_("Idées adoptées pendant la période")),
             Cell(found.count, links.ideas(stage="adopted"))],
            [Cell(_("Délai médian (jours)")), Cell(found.median)],
            [Cell(_("80e centile (jours)")), Cell(found.p80)]]
    # One column mixes a count and days: shown per row by the template, exported as numbers.
    for row in rows[1:]:
        row[1].value = None if row[1].value is None else round(row[1].value, 1)
    return DataTable(
        "delays", _l("Du dépôt à l'adoption"),
        [Column(_l("Mesure")), Column(_l("Valeur"), COUNT)], rows,
        note=_l("Jours écoulés entre la publication d'une idée et son adoption, pour les idées "
                "adoptées pendant la période. 80e centile : 8 idées sur 10 ont été adoptées "
                "en moins de temps."),
        filename=_("delais d'adoption"))


def vitality(period: Period) -> DataTable:
    links = Links(period)
    rows = [[Cell(row.community_name),
             Cell(row.ideas, links.ideas(stage="submitted", community=row.community_id)),
             Cell(row.comments), Cell(row.supports), Cell(row.active_agents)]
            for row in remembered(("vitality", period), lambda: activity.vitality(period))]
    return DataTable(
        "vitality", _l("Vitalité des communautés"),
        [Column(_l("Communauté")), Column(_l("Idées"), COUNT), Column(_l("Commentaires"), COUNT),
         Column(_l("Soutiens"), COUNT), Column(_l("Agents actifs"), COUNT)], rows,
        note=_l("Pendant la période : idées publiées, commentaires écrits (hors commentaires "
                "supprimés), soutiens donnés, et agents ayant fait au moins l'une de ces "
                "actions. Les communautés archivées n'apparaissent que si elles ont eu de "
                "l'activité."),
        filename=_("vitalite des communautes"))


BUILDERS = {"territories": territories, "communities": communities, "quarters": by_quarter,
            "funnel": funnel, "delays": delays, "vitality": vitality}
