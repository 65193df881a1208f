"""The one date parser for typed dates (forms and import files): ISO or French JJ/MM/AAAA."""

from datetime import date, time

import pytest

from ideas.utils import parse_date, parse_day_and_time


@pytest.mark.parametrize("typed, expected", [
    ("2024-03-12", date(2024, 3, 12)), ("12/03/2024", date(2024, 3, 12)),
    (" 1/3/2024 ", date(2024, 3, 1)), ("12.03.2024", date(2024, 3, 12)),
    ("31/12/2025", date(2025, 12, 31)), ("", None), (None, None),
])
def test_parse_date_accepts_iso_and_french(typed, expected):
    assert parse_date(typed) == expected


@pytest.mark.parametrize("typed", ["31/02/2024", "2024-13-01", "12/03/24", "mars 2024",
                                   "12/03/2024 10:00", "2024/03/12", "12-03-2024"])
def test_parse_date_refuses_the_rest(typed):
    with pytest.raises(ValueError):
        parse_date(typed)


def test_parse_day_and_time_keeps_the_time():
    assert parse_day_and_time("12/03/2024 14h30") == (date(2024, 3, 12), time(14, 30))
    assert parse_day_and_time("2024-03-12") == (date(2024, 3, 12), None)
