"""Reading the cells of an import file: dates, statuses, lists, names typed by people.

Pure functions (no database): each returns the parsed value or raises ValueError with a
translated reason, so the importer can report every problem of a row at once."""

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from ideas.ideation.models import SDG_NUMBERS, IdeaStatus
from ideas.utils import clean_line, fold, parse_day_and_time, utcnow

_LIST_SEPARATORS = re.compile(r"[|,]")
_SDG = re.compile(r"^(?:odd|sdg)?\s*(\d{1,2})$")
# A date alone is placed at noon, local time: the same calendar day in Paris and in UTC.
_DATE_ONLY_TIME = time(12, 0)


def split_list(value) -> list[str]:
    """`a | b, c` or a JSON list → ["a", "b", "c"], blanks dropped."""
    if isinstance(value, list | tuple):
        items = [str(item) for item in value if item is not None]
    else:
        items = _LIST_SEPARATORS.split(str(value or ""))
    return [clean_line(item) for item in items if clean_line(item)]


# -- Status: the codes of IdeaStatus, or the French labels of DOMAIN.md (masculine forms too,
# spreadsheets often have them).
_STATUS_WORDS = {
    IdeaStatus.SUBMITTED: ["déposée", "déposé", "soumise", "nouvelle"],
    IdeaStatus.IN_REVIEW: ["à l'étude", "à étudier", "en cours d'étude", "en étude"],
    IdeaStatus.SELECTED: ["retenue", "retenu"],
    IdeaStatus.PILOTING: ["en expérimentation", "expérimentation", "expérimentée"],
    IdeaStatus.ADOPTED: ["adoptée — devenue service", "adoptée", "adopté", "devenue service"],
    IdeaStatus.DECLINED: ["non retenue", "non retenu", "refusée", "refusé"],
    IdeaStatus.MERGED: ["fusionnée", "fusionné"],
    IdeaStatus.WITHDRAWN: ["retirée", "retiré"],
}
STATUS_KEYS = {fold(word): status for status, words in _STATUS_WORDS.items()
               for word in [*words, status.value]}


def parse_status(value: str) -> IdeaStatus:
    if not clean_line(value):
        return IdeaStatus.SUBMITTED
    status = STATUS_KEYS.get(fold(value))
    if status is None:
        raise ValueError(_l("Statut inconnu : « %(value)s » (attendu : déposée, à l'étude, "
                            "retenue, en expérimentation, adoptée, non retenue, fusionnée, "
                            "retirée, ou leur code).", value=clean_line(value)))
    return status


def _to_utc(moment: datetime, zone: ZoneInfo) -> datetime:
    """Naive UTC, as stored. A time without offset is the local time of the file's author."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC).replace(tzinfo=None)


def _parse_moment(text: str, zone: ZoneInfo) -> datetime:
    try:
        day, moment_time = parse_day_and_time(text)
    except ValueError:  # not a French date nor a bare ISO day: a full ISO 8601 moment?
        return _to_utc(datetime.fromisoformat(text.replace("z", "Z")), zone)
    return _to_utc(datetime.combine(day, moment_time or _DATE_ONLY_TIME), zone)


def parse_created_at(value: str, timezone: str, now: datetime | None = None) -> datetime | None:
    """ISO 8601 (`2024-03-12`, `2024-03-12T14:30:00+01:00`) or French (`12/03/2024`,
    `12/03/2024 14:30`). None when the cell is empty (the import time is used)."""
    text = clean_line(value)
    if not text:
        return None
    try:
        moment = _parse_moment(text, ZoneInfo(timezone))
    except ValueError:
        raise ValueError(_l("Date invalide : « %(value)s » (attendu : JJ/MM/AAAA, "
                            "JJ/MM/AAAA HH:MM ou AAAA-MM-JJ).", value=text)) from None
    # A day of margin: a file written this evening in Paris is not "in the future".
    if moment > (now or utcnow()) + timedelta(days=1):
        raise ValueError(_l("La date « %(value)s » est dans le futur.", value=text))
    return moment


def parse_sdgs(value) -> list[int]:
    numbers = []
    for item in split_list(value):
        match = _SDG.match(item.lower())
        number = int(match.group(1)) if match else 0
        if number not in SDG_NUMBERS:
            raise ValueError(_l("ODD inconnu : « %(value)s » (attendu : un nombre de 1 à 17).",
                                value=item))
        if number not in numbers:
            numbers.append(number)
    return numbers
