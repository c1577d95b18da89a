"""Dates, numbers and names as a reader sees them: one way per language, in the show's local time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from exhibition.core import formats
from exhibition.core.templatetags.show_format import initials

MOMENT = dt.datetime(2025, 11, 18, 13, 2, tzinfo=dt.UTC)  # 14:02 in Paris


@pytest.mark.parametrize(
    ("language", "style", "expected"),
    [
        ("en", "date", "18 Nov 2025"),
        ("en", "datetime", "18 Nov 2025, 14:02"),
        ("en", "time", "14:02"),
        ("en", "day", "Tue 18 Nov"),
        ("en", "daytime", "Tue 18 Nov 14:02"),
        ("en", "longdaytime", "Tuesday 18 November 2025, 14:02"),
        ("fr", "date", "18 nov. 2025"),
        ("fr", "datetime", "18 nov. 2025, 14:02"),
        ("fr", "day", "mar 18 nov."),
        ("fr", "longday", "mardi 18 novembre 2025"),
    ],
)
def test_when_writes_a_moment_in_the_show_time_zone_and_language(language, style, expected):
    with translation.override(language), timezone.override(ZoneInfo("Europe/Paris")):
        assert formats.when(MOMENT, style) == expected


def test_when_takes_days_times_and_nothing():
    with translation.override("en"):
        assert formats.when(dt.date(2025, 11, 18)) == "18 Nov 2025"  # a day has no time of day
        assert formats.when(dt.date(2025, 11, 18), "daytime") == "Tue 18 Nov"
        assert formats.when(dt.time(9, 30), "time") == "09:30"
        assert formats.when(None) == "" and formats.when("") == ""
        assert formats.when(MOMENT, tz=ZoneInfo("Asia/Qatar")) == "18 Nov 2025, 16:02"
    with pytest.raises(ValueError, match="unknown date style"):
        formats.when(MOMENT, "fancy")


def test_pages_default_date_formats_agree_with_when():
    page = Template(
        '{% load show_format tz %}{{ m }}|{{ m|date }}|{{ m|when }}|{{ m|timezone:"Asia/Qatar"|when:"time" }}'
    )
    with translation.override("en"), timezone.override(ZoneInfo("Europe/Paris")):
        assert (
            page.render(Context({"m": MOMENT})) == "18 Nov 2025, 14:02|18 Nov 2025|18 Nov 2025, 14:02|16:02"
        )
    with translation.override("fr"), timezone.override(ZoneInfo("Europe/Paris")):
        assert (
            page.render(Context({"m": MOMENT}))
            == "18 nov. 2025, 14:02|18 nov. 2025|18 nov. 2025, 14:02|16:02"
        )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Blue Signal Solutions", "BS"),
        ("Aegis Academy GmbH", "AA"),
        ("Orion SAS", "O"),
        ("3D-Vision Ltd", "3V"),
        ("", ""),
    ],
)
def test_initials_of_a_company_for_its_logo_placeholder(name, expected):
    assert initials(name) == expected


def test_hyphenated_codes_stay_on_one_line_and_the_rest_is_escaped():
    out = Template("{% load show_format %}{{ place|nobreak }}").render(
        Context({"place": "Stand 5B-A119, Hall 5B <b>&"})
    )
    assert out == 'Stand <span class="nowrap">5B-A119</span>, Hall 5B &lt;b&gt;&amp;'
    with translation.override("en"):
        inside = Template(
            "{% load i18n show_format %}{% blocktranslate with n=number|nobreak %}Confirm stand {{ n }}{% endblocktranslate %}"
        ).render(Context({"number": "7-F102"}))
    assert inside == 'Confirm stand <span class="nowrap">7-F102</span>'
    assert Template("{% load show_format %}{{ v|nobreak }}").render(Context({"v": None})) == ""


def test_language_codes_read_as_language_names_in_the_readers_language():
    render = Template("{% load show_format %}{{ v|language_names }}").render
    with translation.override("en"):
        assert render(Context({"v": "es, en, Pashto"})) == "Spanish, English, Pashto"
    with translation.override("fr"):
        assert render(Context({"v": "es, en"})) == "espagnol, anglais"  # as French writes them
        assert render(Context({"v": "ar, Pashto"})) == "arabe, Pashto"  # typed text stays as typed
    assert render(Context({"v": ""})) == ""
