"""How forms render: with the project's templates (``TemplatesSetting``), so that one field
template serves every form: ``templates/forms/field.html``, the label without Django's ":"."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"
