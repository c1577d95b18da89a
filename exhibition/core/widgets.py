"""Form widgets for the browser's own date and time pickers.

``<input type="date">`` and friends take their value in ISO form whatever the page's language;
Django's plain widgets write the active locale's first input format (``21/12/2026`` in French),
which the browser rejects and shows as an empty field, so saving the form untouched would erase
the value. These widgets always write ISO; the fields still accept what the locale accepts.
"""

from __future__ import annotations

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class NumberInput(forms.NumberInput):
    """A number as a person writes it: 187, not the float's 187.0; 12.5 stays 12.5."""

    def format_value(self, value):
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return super().format_value(value)
