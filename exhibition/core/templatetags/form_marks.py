"""Which fields a form marks as required: ``{% if field|marked_required %}`` in the field template,
``{% if form|marks_required %}`` for the note that explains the mark.

A form marks its required fields only when it also has fields one may leave empty: where every
field is needed (signing in, a reason to decline) a mark on each would say nothing. Tick boxes do
not count as fields one may leave empty (unticked is an answer)."""

from __future__ import annotations

from django import forms, template

register = template.Library()


@register.filter
def marks_required(form: forms.BaseForm) -> bool:
    marks = getattr(form, "_marks_required", None)
    if marks is None:
        fields = [f.field for f in form.visible_fields()]
        optional = any(not f.required and not isinstance(f.widget, forms.CheckboxInput) for f in fields)
        marks = optional and any(f.required for f in fields)
        form._marks_required = marks  # type: ignore[attr-defined]
    return marks


@register.filter
def marked_required(field: forms.BoundField) -> bool:
    return field.field.required and not field.is_hidden and marks_required(field.form)
