"""An audit entry's note, in the reader's language.

The services and pages write a note as a short code with its parameters in a fixed form
(``dispatch: batch 3``, ``declared -> screened``, ``area audit``); the audit page and its exports
render it here. Parameters that are codes (a state, a disposition, an area) are shown through
their translated labels. A note in no known form — one a person typed — is shown as written.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from liaison.core.labels import render

_STATE = ("arrivals.arrival", "state")
CODES = {
    "from": _STATE,
    "to": _STATE,
    "group": _STATE,
    "disposition": ("screening.disposition", "disposition"),
}

# Board groups (handover.selectors.GROUPS) as the board's columns name them.
GROUPS = {
    "at_airport": _("At the airport"),
    "in_transit": _("In transit"),
    "received": _("Received"),
    "in_hospital": _("In hospital"),
    "left_city": _("Left the city"),
}

# (the note's form, its sentence): the one table of notes.
NOTES = [
    (r"(?P<from>\w+) -> (?P<to>\w+)", _("State: %(from)s → %(to)s")),
    (r"batch (?P<batch>\d+)", _("Batch %(batch)s")),
    (r"api: batch (?P<batch>\d+)", _("API: batch %(batch)s")),
    (r"dispatch: ready group (?P<disposition>\w+)", _("Dispatch: ready to leave, %(disposition)s")),
    (r"dispatch: batch (?P<batch>\d+)", _("Dispatch: batch %(batch)s")),
    (r"manifest of batch (?P<batch>\d+)", _("Manifest of batch %(batch)s")),
    (r"receiving: received travelers", _("Receiving: travelers received")),
    (r"receiving: batch (?P<batch>\d+)", _("Receiving: batch %(batch)s")),
    (r"receiving: quarantine", _("Receiving: quarantine")),
    (r"board: alerts", _("Board: alerts")),
    (r"board: (?P<group>\w+)", _("Board: %(group)s")),
    (r"other district", _("Another district's traveler")),
    (r"temperature", _("Temperature reading")),
    (r"re-sample", _("Sample taken again")),
    (r"test result", _("Test result")),
    (r"desk search", _("Desk search")),
    (
        r"desk flights of (?P<day>[\d-]+): listed, not declared",
        _("Desk flights of %(day)s: listed, not declared"),
    ),
    (r"laboratory: recent results", _("Laboratory: recent results")),
    (r"policy what-if", _("Policy what-if")),
    (r"policy review queue", _("Policy review queue")),
    (r"superseded by (?P<kind>\w+) (?P<version>\S+)", _("Superseded by %(kind)s %(version)s")),
    (r"staff amendment, version (?P<version>\d+)", _("Staff amendment, version %(version)s")),
    (r"manifest (?P<flight>\S+)", _("Passenger list of flight %(flight)s")),
    (r"arrivals list", _("Travelers list")),
    (r"audit trail", _("Audit trail")),
    (
        r"flight (?P<flight>\d+) passenger list; (?P<count>\d+) listed, not declared",
        _("Passenger list of flight %(flight)s: %(count)s listed, not declared"),
    ),
    (r"list", _("List")),
    (r"idle timeout", _("Signed out after being idle")),
    (r"not visible", _("Not visible to this user")),
    (r"locked out \(account\)", _("Locked out (account)")),
    (r"locked out", _("Locked out")),
    (r"wrong credentials", _("Wrong user name or password")),
    (r"view without area", _("Page without a declared area")),
    (r"area (?P<area>[\w.]+)", _("Area %(area)s")),
]
_NOTES = [(re.compile(form), sentence) for form, sentence in NOTES]
# An export's note: what was exported, in which format, with which filters.
_EXPORT = re.compile(r"(?P<what>.+?) as (?P<format>csv|xlsx|pdf): ?(?P<filters>.*)", re.DOTALL)
_EXPORTED = _("%(what)s, exported as %(format)s: %(filters)s")


def note_text(note: str) -> str:
    """``note`` in the reader's language if it is in a known form, else as it was written."""
    exported = _EXPORT.fullmatch(note)
    if exported:
        params = {**exported.groupdict(), "what": note_text(exported["what"])}
        params["format"] = params["format"].upper()
        return render(_EXPORTED, params, {})
    for form, sentence in _NOTES:
        match = form.fullmatch(note)
        if match:
            params = match.groupdict()
            if params.get("group") in GROUPS:  # else a state, which CODES names
                params["group"] = str(GROUPS[params["group"]])
            return render(sentence, params, CODES)
    return note
