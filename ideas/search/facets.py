"""The facets of the search page: labels and order of the values the backend counted.

Values come only from the backend's counts (computed within what the user may read) and from
the user's own choices; names are read for those ids only, in one query per facet."""

from dataclasses import dataclass

from flask_babel import format_decimal, get_translations
from flask_babel import lazy_gettext as _l

from ideas.communities.models import Community
from ideas.extensions import db
from ideas.ideation.labels import STATUS_LABELS, sdg_label
from ideas.ideation.models import IdeaStatus
from ideas.reference.models import Territory, Theme
from ideas.search.engine import FACETS, HIDDEN_STATUSES, SearchFilters

SHOWN_VALUES = 8  # the most frequent values; the others fold under "Afficher les N autres"

LEGENDS = {
    "community": _l("Communauté"),
    "theme": _l("Thème"),
    "status": _l("Statut"),
    "territory": _l("Territoire de la communauté"),
    "sdg": _l("Objectif de développement durable"),
    "year": _l("Année de dépôt"),
}
STATUSES = tuple(s.value for s in IdeaStatus if s.value not in HIDDEN_STATUSES)


@dataclass
class Option:
    value: int | str
    label: str
    count: int
    checked: bool
    count_text: str = ""  # "1 234": formatted here, once per distinct count of the page
    count_spoken: str = ""  # "1 234 idées", for screen readers


@dataclass
class Facet:
    name: str
    legend: str
    options: list[Option]  # all of them, in display order
    chosen: int  # how many are checked

    @property
    def shown(self) -> list[Option]:
        """The first values, and every checked one (a choice never hides under the fold)."""
        return [o for i, o in enumerate(self.options) if i < SHOWN_VALUES or o.checked]

    @property
    def folded(self) -> list[Option]:
        return [o for i, o in enumerate(self.options) if i >= SHOWN_VALUES and not o.checked]


def build_facets(counts: dict[str, dict], filters: SearchFilters) -> list[Facet]:
    chosen = filters.as_dict()
    texts: dict[int, tuple[str, str]] = {}
    facets = []
    for name in FACETS:
        values = dict(counts.get(name, {}))
        for value in chosen[name]:
            values.setdefault(value, 0)  # chosen, though nothing matches now: can be unchecked
        labels = _labels(name, list(values))
        options = [Option(value, labels[value], count, value in chosen[name],
                          *_count_texts(count, texts))
                   for value, count in values.items() if value in labels]
        options.sort(key=_order(name))
        if options:
            facets.append(Facet(name, str(LEGENDS[name]), options, len(chosen[name])))
    return facets


def _count_texts(count: int, texts: dict) -> tuple[str, str]:
    """A page shows ~150 values: their numbers are formatted in Python, not by ~450 template
    calls to Flask-Babel."""
    found = texts.get(count)
    if found is None:
        number = format_decimal(count)
        spoken = get_translations().ungettext("%(num)s idée", "%(num)s idées", count)
        found = texts[count] = (number, spoken % {"num": number})
    return found


def _order(name: str):
    if name == "year":
        return lambda o: -int(o.value)
    if name == "sdg":
        return lambda o: int(o.value)
    if name == "status":
        return lambda o: STATUSES.index(o.value)
    return lambda o: (-o.count, o.label.casefold())


def _labels(name: str, values: list) -> dict:
    """value → label, for the known values only (an unknown id simply has no option)."""
    if not values:
        return {}
    if name == "community":
        rows = db.session.execute(db.select(Community.id, Community.name)
                                  .where(Community.id.in_(values)))
        return dict(rows.all())
    if name == "territory":
        rows = db.session.execute(db.select(Territory.id, Territory.name)
                                  .where(Territory.id.in_(values)))
        return dict(rows.all())
    if name == "theme":
        return {t.id: t.name for t in db.session.scalars(
            db.select(Theme).where(Theme.id.in_(values)))}
    if name == "status":
        return {v: str(STATUS_LABELS[IdeaStatus(v)]) for v in values if v in STATUSES}
    if name == "sdg":
        return {v: sdg_label(v) for v in values if 1 <= int(v) <= 17}
    return {v: str(v) for v in values}
