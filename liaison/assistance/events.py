"""What an assistance case's timeline says, in the reader's language.

A system-written event keeps a code in ``data["kind"]`` and its parameters in the rest of
``data`` (a mission's id, priority codes, a notification's reference); ``text`` holds only a
person's own words (a note, an action, a reason). ``describe`` renders an event when a page, an
API or an export shows it, in the reader's active language: statuses and priorities through their
translated labels, a mission by its name in that language, looked up when it is read. An event
without a code (a note, an action) is its ``text``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from liaison.assistance import selectors
from liaison.core.labels import render

# The codes, as the services write them.
OPENED = "opened"
ASSIGNED = "assigned"  # officer: a user's id; username: their name when it was written
STATUS = "status"  # from and to: the event's own from_status and to_status
PRIORITY = "priority"  # old, new: priority codes
ATTACHMENT = "attachment"  # attachment: its id; name: the file's name
MISSION = "mission"  # mission: its id
DRAFTED = "notification_drafted"  # notification: its id; ref; mission: its id
REVIEWED = "notification_reviewed"
SENT = "notification_sent"
ACKNOWLEDGED = "notification_acknowledged"
CANCELLED = "notification_cancelled"

SENTENCES = {
    OPENED: _("Case opened."),
    ASSIGNED: _("Assigned to %(officer)s."),
    STATUS: _("Status: %(from)s → %(to)s"),
    PRIORITY: _("Priority changed from %(old)s to %(new)s."),
    ATTACHMENT: _("File attached: %(name)s"),
    MISSION: _("Mission linked: %(mission)s"),
    DRAFTED: _("Notification %(ref)s drafted to %(mission)s."),
    REVIEWED: _("Notification %(ref)s reviewed."),
    SENT: _("Notification %(ref)s marked sent."),
    ACKNOWLEDGED: _("Notification %(ref)s acknowledged by the mission."),
    CANCELLED: _("Notification %(ref)s cancelled."),
}
# The same with the officer's own words (``text``) in them.
WITH_WORDS = {
    STATUS: _("Status: %(from)s → %(to)s. Note: %(reason)s"),
    REVIEWED: _("Notification %(ref)s reviewed: %(reason)s"),
    CANCELLED: _("Notification %(ref)s cancelled: %(reason)s"),
}

# Parameters that are codes, and the field whose choices name them.
_STATUS = ("assistance.caseevent", "to_status")
_PRIORITY = ("assistance.assistancecase", "priority")
CODES = {"from": _STATUS, "to": _STATUS, "old": _PRIORITY, "new": _PRIORITY}

# Events written before they kept codes whose type alone says what they mean.
_BY_TYPE = {"opened": OPENED, "status": STATUS}


@dataclass
class Names:
    """Names an event refers to by id, looked up once for a whole timeline."""

    missions: dict[int, str] = field(default_factory=dict)
    officers: dict[int, str] = field(default_factory=dict)

    @classmethod
    def of(cls, events: Iterable) -> Names:
        missions, officers = set(), set()
        for event in events:
            data = _data(event)
            if isinstance(data.get("mission"), int):
                missions.add(data["mission"])
            if isinstance(data.get("officer"), int):
                officers.add(data["officer"])
        users = get_user_model().objects.filter(pk__in=officers) if officers else ()
        return cls(
            missions=selectors.mission_names(missions) if missions else {},
            officers={user.pk: str(user) for user in users},
        )


def _data(event) -> dict:
    return event.data if isinstance(event.data, dict) else {}


def describe(event, *, names: Names | None = None) -> str:
    """What ``event`` says, in the active language; a person's words as they wrote them."""
    data = _data(event)
    kind = data.get("kind") or _BY_TYPE.get(event.type)
    if kind not in SENTENCES:
        return event.text
    if names is None:
        names = Names.of([event])
    params = {"from": event.from_status, "to": event.to_status, **data, "reason": event.text}
    params.pop("kind", None)
    if "mission" in data:
        params["mission"] = names.missions.get(data["mission"], data["mission"])
    if "officer" in data:
        params["officer"] = names.officers.get(data["officer"], data.get("username", ""))
    sentence = WITH_WORDS.get(kind) if event.text else None
    said = render(sentence or SENTENCES[kind], params, CODES)
    if event.text and sentence is None:
        # A person's words are never dropped, even where the sentence has no room for them.
        said = f"{said}\n{event.text}"
    return said


def timeline(events: Iterable) -> list[tuple]:
    """(event, what it says) for each event, the names they refer to looked up once."""
    events = list(events)
    names = Names.of(events)
    return [(event, describe(event, names=names)) for event in events]
