"""The dashboard's period: a calendar year (default: the current one, Paris time) or a range of
days, read from the query string and checked; what it means in stored (naive UTC) datetimes."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import Form, StringField

from ideas.dashboard.indicators import Period
from ideas.forms import DayField

PARIS = ZoneInfo("Europe/Paris")
MIN_YEAR = 2000  # before the platform and the performance contract: surely a typing error
YEARS_AHEAD = 5  # planned launches may be dated a few years ahead, not more


def today_in_paris() -> date:
    return datetime.now(PARIS).date()


def max_year(today: date) -> int:
    return today.year + YEARS_AHEAD


def is_whole_year(period: Period) -> bool:
    return (period.start.year == period.end.year and period.start == date(period.start.year, 1, 1)
            and period.end == date(period.start.year, 12, 31))


def period_args(period: Period) -> dict:
    """The query arguments that ask for this period again (drill-down and export links)."""
    if is_whole_year(period):
        return {"year": period.start.year}
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}


def utc_bounds(period: Period) -> tuple[datetime, datetime]:
    """[start, end) in naive UTC, as datetimes are stored: a day is a Paris day, so an idea
    posted on 1 January at 00:30 in Paris (31 December 23:30 UTC) belongs to the new year."""

    def midnight(day: date) -> datetime:
        return datetime.combine(day, time(), PARIS).astimezone(UTC).replace(tzinfo=None)

    return midnight(period.start), midnight(period.end + timedelta(days=1))


def quarter_period(year: int, quarter: int) -> Period:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return Period(start, end - timedelta(days=1))


def quarters(period: Period) -> list[tuple[int, int, Period]]:
    """Every quarter the period touches, each cut to the period: (year, quarter, period)."""
    found = []
    year, quarter = period.start.year, (period.start.month - 1) // 3 + 1
    while True:
        whole = quarter_period(year, quarter)
        if whole.start > period.end:
            return found
        found.append((year, quarter, Period(max(whole.start, period.start),
                                            min(whole.end, period.end))))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


class PeriodForm(Form):
    """Read from the query string (GET: no CSRF token; nothing is written)."""

    year = StringField(_l("Année"))
    start = DayField(_l("Du"), description=_l("Format : JJ/MM/AAAA"))
    end = DayField(_l("Au"), description=_l("Format : JJ/MM/AAAA"))


@dataclass
class PeriodChoice:
    form: PeriodForm
    period: Period | None  # None when what was typed is wrong (the form says why)
    is_range: bool


def parse_period(args, today: date | None = None) -> PeriodChoice:
    """A range when either day is given, else a year, else the current year."""
    today = today or today_in_paris()
    if not hasattr(args, "getlist"):
        args = MultiDict(args)
    form = PeriodForm(args)
    form.validate()  # runs the DayFields' parsing; their errors are in form.<field>.errors
    is_range = bool(args.get("start", "").strip() or args.get("end", "").strip())
    if is_range:
        return PeriodChoice(form, _range(form, today), True)
    raw_year = (form.year.data or "").strip()
    if not raw_year:
        return PeriodChoice(form, Period.year(today.year), False)
    if not raw_year.isdigit() or not MIN_YEAR <= int(raw_year) <= max_year(today):
        form.year.errors = [_l("Choisissez une année entre %(first)s et %(last)s.",
                               first=MIN_YEAR, last=max_year(today))]
        return PeriodChoice(form, None, False)
    return PeriodChoice(form, Period.year(int(raw_year)), False)


def _range(form: PeriodForm, today: date) -> Period | None:
    for field in (form.start, form.end):
        if not field.errors and field.data is None:
            field.errors = [_l("Indiquez le premier et le dernier jour de la période.")]
    if form.start.errors or form.end.errors:
        return None
    first, last = date(MIN_YEAR, 1, 1), date(max_year(today), 12, 31)
    for field in (form.start, form.end):
        if not first <= field.data <= last:
            field.errors = [_l("Choisissez un jour entre le %(first)s et le %(last)s.",
                               first=first.strftime("%d/%m/%Y"), last=last.strftime("%d/%m/%Y"))]
    if form.start.errors or form.end.errors:
        return None
    if form.start.data > form.end.data:
        form.end.errors = [_l("Le dernier jour doit suivre le premier (ou être le même).")]
        return None
    return Period(form.start.data, form.end.data)


def period_label(period: Period) -> str:
    """"année 2025" or "du 1 janvier 2025 au 31 mars 2025", in the reader's language."""
    if is_whole_year(period):
        return _("année %(year)s", year=period.start.year)
    return _("du %(start)s au %(end)s", start=format_date(period.start, "long"),
             end=format_date(period.end, "long"))


def period_slug(period: Period) -> str:
    """For file names: "2025" or "2025-01-01-2025-03-31"."""
    if is_whole_year(period):
        return str(period.start.year)
    return f"{period.start.isoformat()}-{period.end.isoformat()}"
