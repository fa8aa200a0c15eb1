"""Forms of the shifts pages: the filters of "shifts for me"."""

from __future__ import annotations

import functools
import hashlib

from django import forms
from django.db import connections, models, router
from django.db.models import F, Value
from django.template.loader import get_template, render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from venues.models import Venue
from volunteers.models import Team

from ..models import PUBLIC_KIND_CHOICES

# The filters' HTML this process has written, by what it follows from (``fields_html``).
_fields_kept: dict[str, str] = {}


class ShiftFilterForm(forms.Form):
    SORTS = [("soonest", _("Soonest first")), ("nearest", _("Nearest first"))]
    VIEWS = [("list", _("List")), ("week", _("Week"))]

    venue = forms.ModelChoiceField(
        label=_("Venue"), queryset=Venue.objects.filter(is_active=True), required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind of activity"),
        choices=[("", _("Any kind"))] + PUBLIC_KIND_CHOICES,
        required=False,
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    date = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sort = forms.ChoiceField(label=_("Order"), choices=SORTS, required=False)
    view = forms.ChoiceField(label=_("Show as"), choices=VIEWS, required=False)
    everything = forms.BooleanField(
        label=_("Also shifts I cannot take, with the reason"), required=False
    )

    def __init__(self, *args, volunteer: int | None = None, **kwargs):
        """``volunteer``: her profile's id; the team field offers her teams (none without)."""
        super().__init__(*args, **kwargs)
        self.volunteer_id = volunteer
        self.fields["team"].queryset = (
            Team.objects.filter(memberships__volunteer_id=volunteer)
            if volunteer is not None
            else Team.objects.none()
        )
        self.fields["venue"].empty_label = _("Any venue")
        self.fields["team"].empty_label = _("Any team")

    FIELDS_TEMPLATE = "activities/shifts/_filter_fields.html"
    # How many of them a process keeps at hand (see ``fields_html``); when full it starts over.
    FIELDS_KEPT = 256

    def fields_html(self) -> str:
        """The filters' fields as the page shows them. Their HTML follows only from the language,
        the choices offered (venues, her teams) and what she asked for, so the process keeps it
        under those (and the template's text); whoever asks the same of the same choices gets the
        same HTML. The choices are read in one light query, for the key and, when the HTML has to
        be written, for the fields. The key names everything the HTML follows from, so what is
        kept is never out of date (only a deploy changes the rest, and it starts new processes).
        It is kept in the process only, not in the shared cache: the page must not depend on
        Redis being up."""
        rows = self._choices_rows()
        getlist = getattr(self.data, "getlist", lambda name: [self.data.get(name)])
        asked = [(name, getlist(name)) for name in self.fields] if self.is_bound else []
        # The template's own text too: an edited template (reloaded in development without a
        # new process) is not answered with what was kept.
        source = get_template(self.FIELDS_TEMPLATE).template.source
        key = repr((source, get_language(), self.is_bound, asked, rows))
        key = hashlib.sha256(key.encode()).hexdigest()
        html = _fields_kept.get(key)
        if html is not None:
            return mark_safe(html)  # noqa: S308 - the form's own template rendered it
        for name in ("venue", "team"):
            field = self.fields[name]
            model, choices = field.queryset.model, field.iterator(field)
            # What the field's own choices would be, without reading the rows again: each
            # choice's value is the id and its label the name in the page's language.
            field.widget.choices = (
                [("", field.empty_label)] if field.empty_label is not None else []
            ) + [
                choices.choice(model(pk=pk, name=zh, name_en=en))
                for of, pk, zh, en in rows
                if of == name
            ]
        html = render_to_string(self.FIELDS_TEMPLATE, {"form": self})
        if len(_fields_kept) >= self.FIELDS_KEPT:
            _fields_kept.clear()
        _fields_kept[key] = html
        return mark_safe(html)  # noqa: S308 - the form's own template rendered it

    def _choices_rows(self) -> list[tuple]:
        """The venue and team choices (which field, the id, the name in Chinese and English),
        in one query, each field's in its own order (by name): the venues the field offers and
        her teams (``volunteer``'s), through a statement kept for the process."""
        alias = router.db_for_read(Team)
        sql, params = _choices_statement(alias)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, [*params, self.volunteer_id])
            return [tuple(row) for row in cursor.fetchall()]


@functools.cache
def _choices_statement(alias: str) -> tuple[str, list]:
    """The statement of ``ShiftFilterForm._choices_rows`` and its fixed parameters (her
    profile's id goes last), built by the ORM once in a process for the database ``alias``
    (as her roles' statement, ``volunteers.roles``): the venues the venue field offers, and
    every team with each of its members, her own picked out around it. Building it on every
    page took longer than the database's answer."""

    def rows(queryset, field: str, member):
        return (
            queryset.order_by()
            .annotate(
                field=Value(field),
                choice=F("pk"),
                zh=F("name"),
                en=F("name_en"),
                member=member,
            )
            .values_list("field", "choice", "zh", "en", "member")
        )

    venues = rows(
        ShiftFilterForm.base_fields["venue"].queryset,
        "venue",
        Value(None, output_field=models.BigIntegerField()),
    )
    teams = rows(Team.objects.all(), "team", F("memberships__volunteer_id"))
    union = venues.union(teams, all=True)
    sql, params = union.query.get_compiler(alias).as_sql()
    q = connections[alias].ops.quote_name
    return (
        f"SELECT {q('field')}, {q('choice')}, {q('zh')}, {q('en')} FROM ({sql}) {q('choices')} "
        f"WHERE {q('field')} = 'venue' OR {q('member')} = %s ORDER BY {q('field')}, {q('zh')}",
        list(params),
    )
