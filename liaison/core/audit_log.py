"""The audit trail as administrators read it: record types by name, filters, CSV and XLSX.

What is stored stays codes (``arrivals.arrival``, ``read``); this module renders them in the
reader's language. Filters are a form: a malformed value is the form's error (a 400), never a
query that fails.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django import forms
from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from liaison.core import exports
from liaison.core.audit_notes import note_text
from liaison.core.models import AuditEntry

# Record types that are not models: what a denial or a sign-in failure was about.
OTHER_TYPES = {
    "page": _("Page"),
    "api": _("API operation"),
    "handover": _("Handover step"),
    "handover.group": _("Group of travelers ready to leave"),
    "handover.board": _("Closed-loop board"),
    "record": _("Record"),
}

XLSX_LIMIT = exports.XLSX_LIMIT

# So many ids of a read are shown on the page; the export has them all.
IDS_SHOWN = 10


def type_name(label: str) -> str:
    """``arrivals.arrival`` -> "Arrival" (in the reader's language); an unknown code as it is."""
    if not label:
        return ""
    if label in OTHER_TYPES:
        return str(OTHER_TYPES[label])
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    return str(capfirst(model._meta.verbose_name))


def record_types() -> list[tuple[str, str]]:
    """Every record type the trail holds, by name: the choices of the filter."""
    labels = AuditEntry.objects.order_by().values_list("object_type", flat=True).distinct()
    named = {label: type_name(label) for label in labels if label}
    return sorted(named.items(), key=lambda item: (item[1].casefold(), item[0]))


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=pgettext_lazy("audit", "Action"),
        required=False,
        choices=[("", "—"), *AuditEntry.Action.choices],
    )
    object_type = forms.ChoiceField(label=_("Record type"), required=False)
    object_id = forms.CharField(label=_("Record id"), required=False, max_length=64)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", "—"), *record_types()]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", gettext("The end of the range is before its start."))
        return data


def records_of(entry: AuditEntry) -> tuple[int, list[str]]:
    """How many records an entry names, and their ids."""
    if entry.object_ids:
        return len(entry.object_ids), [str(i) for i in entry.object_ids]
    return (1, [entry.object_id]) if entry.object_id else (0, [])


def rows_for_page(entries: Iterable[AuditEntry]) -> list[dict]:
    names: dict[str, str] = {}
    rows = []
    for entry in entries:
        if entry.object_type not in names:
            names[entry.object_type] = type_name(entry.object_type)
        count, ids = records_of(entry)
        rows.append(
            {
                "entry": entry,
                "type_name": names[entry.object_type],
                "count": count,
                "ids": ids[:IDS_SHOWN],
                "more": max(0, count - IDS_SHOWN),
                "note": note_text(entry.note),
            }
        )
    return rows


# --- Export ------------------------------------------------------------------------------------


def header() -> list[str]:
    return [
        gettext("Time"),
        gettext("User"),
        pgettext("audit", "Action"),
        gettext("Record type"),
        gettext("Record type code"),
        gettext("Record ids"),
        gettext("Fields"),
        gettext("Address"),
        gettext("Path"),
        gettext("Note"),
    ]


def cells(entries: QuerySet[AuditEntry]) -> Iterator[list[str]]:
    names: dict[str, str] = {}
    actions = dict(AuditEntry.Action.choices)
    for entry in entries.iterator(chunk_size=2000):
        if entry.object_type not in names:
            names[entry.object_type] = type_name(entry.object_type)
        yield [
            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor_username,
            str(actions.get(entry.action, entry.action)),
            names[entry.object_type],
            entry.object_type,
            " ".join(records_of(entry)[1]),
            ", ".join(entry.fields or []),
            entry.ip_address or "",
            entry.path,
            note_text(entry.note),
        ]


def too_many_for_xlsx(entries: QuerySet[AuditEntry]) -> bool:
    return entries.count() > XLSX_LIMIT
