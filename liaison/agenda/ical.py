"""The calendar feed as iCalendar (RFC 5545), written with the ``icalendar`` library.

Contacts and conferences are VEVENTs with their times in UTC. Commitments due are all-day
VEVENTs on their due date, not VTODOs: Google Calendar and Outlook show no VTODO of a
subscribed calendar at all, and Apple's Calendar only through CalDAV, so a to-do would be lost
exactly where officers look. Each record has a UID of its own that never changes, so a
calendar application updates an event rather than adding a second one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from liaison.agenda.selectors import COMMITMENT, Item


def _summary(item: Item) -> str:
    if item.kind != COMMITMENT:
        return item.title
    if item.overdue:
        return _("Overdue: %(what)s") % {"what": item.title}
    return _("Due: %(what)s") % {"what": item.title}


def _description(item: Item) -> str:
    lines = [item.detail] if item.detail else []
    lines += list(item.their_times)
    return "\n".join(lines)


def _event(item: Item, *, base_url: str, host: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"{item.kind}-{item.pk}@{host}")
    event.add("dtstamp", stamp)
    if item.kind == COMMITMENT:
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")  # a due date does not make anyone busy
    else:
        event.add("dtstart", item.starts_at.astimezone(UTC))
        if item.ends_at is not None:
            event.add("dtend", item.ends_at.astimezone(UTC))
    event.add("summary", _summary(item))
    event.add("url", base_url + item.url)
    description = _description(item)
    if description:
        event.add("description", description)
    return event


def feed(items: Iterable[Item], *, base_url: str, host: str, name: str) -> bytes:
    """The whole feed. ``base_url`` (scheme and host) makes each item's page address absolute;
    ``host`` qualifies the UIDs."""
    calendar = Calendar()
    calendar.add("prodid", "-//Liaison//Calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = datetime.now(UTC).replace(microsecond=0)
    for item in items:
        calendar.add_component(_event(item, base_url=base_url, host=host, stamp=stamp))
    return calendar.to_ical()
