"""The directory's history: each change of an organization or a person, with its values.

What is stored is data (a field's code, id or ISO date before and after); what is shown is
rendered here, in the reader's language: the field by its translated name, a choice by its
label, a country by its name, the organization it was part of by its name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from django_countries import countries
from django_countries.fields import Country, CountryField

from liaison.core.models import User
from liaison.directory.models import ChangeKind, DirectoryChange, Organization, Person


def as_data(value: Any) -> Any:
    """A field's value as the history keeps it: JSON, no model instances."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Country):
        return value.code or ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return list(value)
    return value


def values_of(record: Organization | Person, names) -> dict[str, Any]:
    return {name: as_data(getattr(record, name)) for name in names}


def differences(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict]:
    """The fields whose value changed, each with its value before and after."""
    return {
        name: {"before": before.get(name), "after": value}
        for name, value in after.items()
        if before.get(name) != value
    }


def record_change(
    *,
    record: Organization | Person,
    kind: str,
    by: User | None,
    changes: dict[str, dict],
    reason: str = "",
) -> DirectoryChange:
    """Written by the service that made the change, in its transaction."""
    target = {"organization": record} if isinstance(record, Organization) else {"person": record}
    return DirectoryChange.objects.create(
        kind=kind, by=by, changes=changes, reason=(reason or "").strip(), **target
    )


def changes_of(record: Organization | Person):
    """Newest first, with who made them."""
    return record.changes.select_related("by")


# --- Rendering --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: Any
    after: Any
    before_shown: str
    after_shown: str


def _shown(field: models.Field | None, value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if field is None:
        return str(value)
    if isinstance(field, CountryField):
        return str(countries.name(value) or value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        found = field.related_model.objects.filter(pk=value).first()
        return str(getattr(found, "name", found)) if found else f"#{value}"
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, models.DateField):
        return formats.date_format(date.fromisoformat(value), "Y-m-d")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _field(model, name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)
    except Exception:  # a field since renamed: shown by its stored name
        return None


def field_changes(change: DirectoryChange) -> list[FieldChange]:
    """Each changed field of one change, in the reader's language."""
    model = Organization if change.organization_id else Person
    rows = []
    for name, values in change.changes.items():
        field = _field(model, name)
        rows.append(
            FieldChange(
                field=name,
                label=str(field.verbose_name) if field is not None else name,
                before=values.get("before"),
                after=values.get("after"),
                before_shown=_shown(field, values.get("before")),
                after_shown=_shown(field, values.get("after")),
            )
        )
    return rows


@dataclass(frozen=True)
class ShownChange:
    change: DirectoryChange
    fields: list[FieldChange]

    @property
    def who(self) -> str:
        by = self.change.by
        if by is None:
            return _("Reference data")
        return by.get_full_name() or by.get_username()


def history(record: Organization | Person, *, limit: int | None = None) -> list[ShownChange]:
    changes = changes_of(record)
    if limit is not None:
        changes = changes[:limit]
    return [ShownChange(change=c, fields=field_changes(c)) for c in changes]


__all__ = [
    "ChangeKind",
    "FieldChange",
    "ShownChange",
    "as_data",
    "changes_of",
    "differences",
    "field_changes",
    "history",
    "record_change",
    "values_of",
]
