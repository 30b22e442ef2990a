"""What an arrival's event says, in the reader's language.

A system-written event keeps a code in ``data["kind"]`` and its parameters in the rest of
``data``; ``why`` holds only a person's own words (an officer's reason). ``describe`` renders the
event when a page shows it, in the reader's active language: parameters that are codes (a
result, a disposition, a source) through their translated labels. An event without a known code
shows ``why`` as it was written, else the state it moved to.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from liaison.arrivals.states import label
from liaison.core.labels import render

# The codes, as the services write them.
DECLARED = "declared"
SCREENED = "screened"
SAMPLED = "sampled"
RESAMPLED = "resampled"
RESULT = "result"
DECIDED = "decided"
DEPARTED = "departed"
RECEIVED = "received"
TO_HOSPITAL = "to_hospital"  # as the disposition says, no words of the officer
TO_HOSPITAL_BECAUSE = "to_hospital_because"  # ``why``: the officer's reason
LEFT_CITY = "left_city"
LEFT_CITY_NOTE = "left_city_note"  # ``why``: the dispatcher's note
RELEASED_EARLY = "released_early"
QUARANTINE_COMPLETE = "quarantine_complete"

SENTENCES = {
    DECLARED: _("Health declaration (%(source)s)"),
    SCREENED: _("Screened at the desk"),
    SAMPLED: _("Sampled, tube %(barcode)s"),
    RESAMPLED: _("Sampled again after an inconclusive result, tube %(barcode)s"),
    RESULT: _("Laboratory result: %(result)s"),
    DECIDED: _("Policy decided: %(disposition)s (rule %(rule_id)s, %(rules)s / %(risk)s)"),
    DEPARTED: _("Departed in batch %(number)s"),
    RECEIVED: _("Received from batch %(number)s"),
    TO_HOSPITAL: _("To a designated hospital, as the disposition says"),
    TO_HOSPITAL_BECAUSE: _("To a designated hospital: %(reason)s"),
    LEFT_CITY: _("Onward transfer left the city"),
    LEFT_CITY_NOTE: _("Onward transfer left the city: %(reason)s"),
    RELEASED_EARLY: _("Released early, before the planned end (%(planned_end)s): %(reason)s"),
    QUARANTINE_COMPLETE: _("Released: quarantine period complete (planned end %(planned_end)s)"),
}

# Parameters that are codes, and the field whose choices name them.
CODES = {
    "source": ("arrivals.arrival", "source"),
    "result": ("screening.labresult", "result"),
    "disposition": ("screening.disposition", "disposition"),
}


# Places the event names by code (reference data has a Chinese and an English name), and whose.
PLACES = {
    "hospital": "core.site",
    "site": "core.site",
    "port": "core.portofentry",
    "jurisdiction": "core.jurisdiction",
}


def place(event) -> str:
    """Where it happened, in the reader's language when the event names the place by its code;
    else ``where`` as written (a laboratory's name, a vehicle's plate)."""
    data = event.data if isinstance(event.data, dict) else {}
    for key, model in PLACES.items():
        if data.get(key):
            found = apps.get_model(model).objects.filter(code=data[key]).first()
            if found is not None:
                return found.name
    return event.where


def describe(event) -> str:
    data = event.data if isinstance(event.data, dict) else {}
    sentence = SENTENCES.get(data.get("kind"))
    if sentence is None:
        return event.why or label(event.to_state)
    return render(sentence, {"reason": event.why, **data}, CODES)
