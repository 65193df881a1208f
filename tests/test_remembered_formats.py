"""Template date and number filters are remembered per process (ideas.templating.remembered):
the same value shows the same text as Flask-Babel itself, in each language, every time."""

from datetime import datetime

from flask import render_template_string
from flask_babel import force_locale, format_date, format_datetime, format_decimal


def test_remembered_filters_follow_the_language(app):
    moment = datetime(2026, 3, 29, 0, 30)  # UTC: 01:30 in Paris, the night the clocks change
    template = ("{{ d|format_datetime('short') }}|{{ d|format_date('long') }}|"
                "{{ n|format_decimal }}")
    with app.test_request_context("/"):
        for locale in ("fr", "en", "fr"):
            with force_locale(locale):
                expected = (f"{format_datetime(moment, 'short')}|{format_date(moment, 'long')}|"
                            f"{format_decimal(12345)}")
                for _ in range(2):  # computed, then remembered
                    assert render_template_string(template, d=moment, n=12345) == expected
        with force_locale("fr"):
            assert "1 234" in render_template_string("{{ 1234|format_decimal }}").replace(
                "\u202f", " ").replace("\xa0", " ")
