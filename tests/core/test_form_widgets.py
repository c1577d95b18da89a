"""The browser's date pickers get ISO values and country lists follow the reader's language."""

from __future__ import annotations

from datetime import date, time

from django.utils import translation

from exhibition.accreditation.forms import DayForm, ManualBadgeForm
from exhibition.core.countries import country_choices


def test_date_and_time_pickers_get_iso_values_in_french():
    with translation.override("fr"):
        html = str(DayForm(initial={"date": date(2027, 1, 12), "opens_at": time(8, 30)}))
    # "12/01/2027" or "08:30:00" would show as an empty field in <input type="date">.
    assert 'value="2027-01-12"' in html and 'value="08:30"' in html


def test_country_lists_are_named_in_the_readers_language_with_nothing_chosen_first():
    with translation.override("fr"):
        html = str(ManualBadgeForm(event=None)["country"])
    assert '<option value="DE">Allemagne</option>' in html
    assert html.index('value=""') < html.index('value="AF"')  # nothing chosen until the person does
    with translation.override("en"):
        assert dict(country_choices())["DE"] == "Germany"
