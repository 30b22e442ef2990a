"""Everything Liaison holds about one traveler, for the traveler (PIPL art. 45).

Read through their private link only: their declaration as on file and every version they or an
officer submitted, temperatures, history checks, samples and results, dispositions, handovers,
quarantine, the steps of the pipeline, their correction requests, and when it will all be
anonymized. Officers' names and internal policy data (the engine's facts) are the office's, not
the traveler's: an officer appears as "staff". Every label is in the traveler's language
(``labels``): the models' own names are staff words.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import models

from liaison.arrivals.models import Arrival
from liaison.arrivals.states import label as state_label
from liaison.retention import labels
from liaison.retention.models import Kind
from liaison.retention.selectors import lifecycle, open_corrections_of

# Kept out of the traveler's copy: the key to the link itself, the engine's derived facts, who
# entered it (an officer's account), and the ids that mean nothing outside the database.
HIDDEN = {"id", "status_token", "facts", "entered_by", "arrival", "officer", "collector"}
HIDDEN |= {"reported_by", "recorded_by", "resolved_by", "actor", "sample", "batch", "decision"}
HIDDEN |= {"overridden_by", "policy_version", "rules_version", "risk_list_version"}


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "code") and hasattr(value, "name"):  # a django-countries Country
        return value.code or ""
    return value


def _readable(value, keys: dict) -> str:
    """A stored list or mapping as the traveler reads it: each key by its label, yes or no."""
    if isinstance(value, dict):
        return "; ".join(f"{keys.get(k, k)}: {_readable(v, keys)}" for k, v in value.items())
    if isinstance(value, list):
        return " | ".join(_readable(item, keys) for item in value)
    if isinstance(value, bool):
        return str(labels.YES if value else labels.NO)
    return "" if value is None else str(value)


def _shown(instance: models.Model, field) -> object:
    """The value as the traveler reads it: a choice's label, a country's name, yes or no,
    "staff" for an officer."""
    value = getattr(instance, field.name)
    if value is None or value == "":
        return _plain(value)
    if field.name in labels.OFFICERS:
        return str(labels.STAFF)
    choices = labels.CHOICES.get((instance._meta.label_lower, field.name))
    if choices is not None:
        return str(choices.get(value, value))
    if isinstance(field, models.BooleanField):
        return str(labels.YES if value else labels.NO)
    if field.name in {"from_state", "to_state"}:
        return state_label(value)
    if isinstance(value, dict | list):
        return _readable(value, labels.key_labels())
    if field.choices:
        return str(getattr(instance, f"get_{field.name}_display")())
    if hasattr(value, "code") and hasattr(value, "name"):
        return str(value.name or "")
    return _plain(value)


def _fields(instance: models.Model) -> list[dict]:
    rows = []
    for field in instance._meta.concrete_fields:
        if field.name in HIDDEN or field.name.endswith("_id"):
            continue
        label = labels.label_of(type(instance), field.name)
        value = getattr(instance, field.name)
        if field.name in labels.OFFICERS and value is not None:
            value = "staff"
        rows.append(
            {
                "field": field.name,
                "label": str(label if label is not None else field.verbose_name),
                "value": _plain(value),
                "shown": _shown(instance, field),
            }
        )
    return rows


def _section(key: str, label, instances) -> dict:
    return {"key": key, "label": str(label), "records": [_fields(i) for i in instances]}


def data_of(arrival: Arrival) -> dict:
    """The traveler's data as sections of records of fields (the page and the download)."""
    from django.utils.translation import gettext as _

    sections = [
        _section("declaration", _("Your declaration as on file"), [arrival]),
        _section("versions", _("Every version submitted"), arrival.revisions.all()),
        _section("temperatures", _("Temperatures"), arrival.temperatures.all()),
        _section(
            "history_checks", _("Checks of your travel history"), arrival.history_checks.all()
        ),
        _section("samples", _("Samples"), arrival.samples.all()),
        _section(
            "results",
            _("Test results"),
            [s.result for s in arrival.samples.select_related("result") if hasattr(s, "result")],
        ),
        _section("dispositions", _("Decisions on where you go"), arrival.dispositions.all()),
        _section("handovers", _("Transfers"), arrival.batch_memberships.select_related("batch")),
        _section(
            "quarantine",
            _("Quarantine"),
            [arrival.quarantine] if hasattr(arrival, "quarantine") else [],
        ),
        _section("steps", _("Steps of your arrival"), arrival.events.all()),
        _section("corrections", _("Corrections you asked for"), open_corrections_of(arrival)),
    ]
    life = lifecycle(Kind.ARRIVAL, arrival)
    return {
        "code": arrival.display_code,
        "anonymized_at": life.anonymized_at.isoformat() if life.anonymized_at else None,
        "anonymized_on": life.due_on.isoformat() if life.due_on else None,
        "sections": sections,
    }


def download_of(arrival: Arrival) -> dict:
    """The download: the same data, each value as stored (not as a label), and each section's
    labels of its fields in the traveler's language."""
    data = data_of(arrival)
    for section in data["sections"]:
        section["labels"] = {row["field"]: row["label"] for r in section["records"] for row in r}
        section["records"] = [
            {row["field"]: row["value"] for row in record} for record in section["records"]
        ]
    return data
