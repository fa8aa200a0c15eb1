"""What every app's forms share: a service's refusal shown on the form that caused it."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms


def form_errors_add(
    form: forms.Form,
    errors: Mapping[str, list[str]],
    *,
    fields: Mapping[str, str | None] | None = None,
) -> list[str]:
    """Show a service's ``{field: [messages]}`` on ``form``: each on the field of that name, or
    the one ``fields`` maps it to, else above the form. Returns the messages of fields that
    ``fields`` maps to ``""`` (shown elsewhere by the page, e.g. a formset's)."""
    fields = fields or {}
    elsewhere: list[str] = []
    for field, messages in errors.items():
        target = fields.get(field, field)
        if target == "":
            elsewhere.extend(messages)
            continue
        for message in messages:
            form.add_error(target if target in form.fields else None, message)
    return elsewhere
