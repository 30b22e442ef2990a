"""The words of the traveler's own data page, in every traveler language.

The models' verbose names are staff words, translated for the staff languages only; a traveler
reads their data in their own language. So the page does not show them: the declaration's
fields carry the labels of the declaration form the traveler filled in (the arrivals
catalogues), and every other field, choice and yes/no its label here (retention's catalogues,
context "your data"). A field shown without a label here is a test failure
(tests/retention/test_your_data_labels.py), not an English word on a Persian page.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy, pgettext_lazy

from liaison.arrivals.forms import DeclarationForm, StayForm, TransitForm


def _(text: str):
    return pgettext_lazy("your data", text)


_FORM = DeclarationForm.base_fields
# The declaration's fields the form asks by another name (its headings, the status page's words:
# the arrivals catalogues), or does not ask.
_DECLARATION = {
    "state": gettext_lazy("Current step"),
    "code": gettext_lazy("Your declaration code"),
    "flight": gettext_lazy("Flight"),
    "history": gettext_lazy("Where you stayed in the last 14 days"),
    "transits": gettext_lazy("Transit points (changes of plane)"),
    "jurisdiction": _FORM["jurisdiction"].label,
    "destination_kind": _FORM["destination_kind"].label,
    "consented_at": _("When you confirmed the declaration"),
    "source": _("How it was submitted"),
    "created_at": _("First submitted"),
    "updated_at": _("Last changed"),
}

LABELS: dict[str, dict[str, object]] = {
    "arrivals.arrival": _DECLARATION,
    "arrivals.declarationrevision": {
        "number": _("Version"),
        "data": _("Declaration as submitted"),
        "source": _("How it was submitted"),
        "submitted_at": _("Submitted"),
        "reason": _("Reason for the change"),
    },
    "screening.temperaturereading": {
        "celsius": _("Temperature (°C)"),
        "device": _("Thermometer"),
        "taken_at": _("Taken at"),
        "recorded_at": _("Recorded at"),
    },
    "screening.historycheck": {
        "at": _("Checked at"),
        "corrected": _("Corrected"),
        "before": _("Before the check"),
        "after": _("After the check"),
        "note": _("Note"),
    },
    "screening.sample": {
        "barcode": _("Tube barcode"),
        "site": _("Sampling site"),
        "collected_at": _("Collected at"),
        "superseded": _("Replaced by a new sample"),
        "created_at": _("Recorded at"),
    },
    "screening.labresult": {
        "result": _("Result"),
        "lab": _("Laboratory"),
        "tested_at": _("Tested at"),
        "source": _("How the result arrived"),
        "recorded_at": _("Recorded at"),
    },
    "screening.disposition": {
        "disposition": _("Where you go"),
        "decided_by": _("Decided by"),
        "override_reason": _("Reason for the change"),
        "decided_at": _("Decided at"),
        "is_current": _("Current decision"),
    },
    "handover.batchmember": {
        "open": _("On the way"),
        "added_at": _("Added to the transfer"),
        "confirmed_at": _("Received at"),
        "confirmed_by": _("Received by"),
    },
    "handover.quarantine": {
        "site": _("Quarantine site"),
        "started_at": _("Started"),
        "planned_end": _("Planned end"),
        "released_at": _("Released"),
    },
    "arrivals.arrivalevent": {
        "at": _("Time"),
        "from_state": _("From"),
        "to_state": _("To"),
        "where": _("Where"),
        "why": _("Why"),
        "data": _("Details"),
    },
    "retention.correctionrequest": {
        "reason": _("What is wrong"),
        "status": _("Status"),
        "requested_at": _("Asked at"),
        "resolved_at": _("Resolved at"),
        "resolution": _("What was done"),
    },
}

# Choices whose labels are staff words (the others, the declaration's own, are the form's).
CHOICES: dict[tuple[str, str], dict[str, object]] = {
    ("screening.labresult", "result"): {
        "negative": _("Negative"),
        "positive": _("Positive"),
        "inconclusive": _("Inconclusive (a new sample is needed)"),
    },
    ("screening.labresult", "source"): {
        "ui": _("Entered by the laboratory"),
        "api": _("Sent by the laboratory"),
        "file": _("From a results file"),
    },
    ("screening.disposition", "disposition"): {
        "hospital": _("Designated hospital"),
        "centralized_quarantine": _("Centralized quarantine"),
        "home_quarantine": _("Home quarantine"),
        "onward_transfer": _("Closed-loop onward transfer"),
        "diplomatic_arrangement": _("Quarantine at residence by diplomatic arrangement"),
    },
    ("retention.correctionrequest", "status"): {"open": _("Open"), "resolved": _("Resolved")},
}
YES, NO = _("Yes"), _("No")
# An officer who decided or received: the office's, not the traveler's, so only "staff".
STAFF = _("Staff")
OFFICERS = {"decided_by", "confirmed_by"}


def _declaration_labels() -> None:
    for name, field in _FORM.items():
        if name not in _DECLARATION and field.label:
            _DECLARATION[name] = field.label


_declaration_labels()


def key_labels() -> dict[str, object]:
    """The keys of the stored lists and mappings a traveler reads (their travel history, each
    version of their declaration, a step's details), by their labels: the declaration's, a
    stay's and a transit's (the form's), and the page's own for a step's details."""
    keys = {**_DECLARATION, **LABELS["handover.quarantine"]}
    keys |= {name: field.label for name, field in TransitForm.base_fields.items()}
    keys |= {name: field.label for name, field in StayForm.base_fields.items()}
    keys |= {
        "barcode": LABELS["screening.sample"]["barcode"],
        "site": LABELS["screening.sample"]["site"],
        "result": LABELS["screening.labresult"]["result"],
        "disposition": LABELS["screening.disposition"]["disposition"],
        "max_celsius": LABELS["screening.temperaturereading"]["celsius"],
        "reason": LABELS["arrivals.declarationrevision"]["reason"],
    }
    return keys


def label_of(model, field_name: str):
    """The traveler's label of a field, or None (the page then shows no such field)."""
    return LABELS.get(model._meta.label_lower, {}).get(field_name)
