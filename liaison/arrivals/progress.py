"""What the traveler's status page tells them: where they are, what comes next, where to go and
whom to call.

Only what the traveler may know of their own record: the step they are at, the kind of place
they go to, the planned end of their quarantine. Never a rule, a reason, a result value or
anyone else. Every sentence is in the traveler's language (the arrivals catalogues); the times
come from the board's own settings (``LIAISON_RESULT_WAIT_HOURS``, ``LIAISON_BATCH_CONFIRM_HOURS``),
the numbers to call from the reference data (``Site.hotline``, ``Jurisdiction.hotline``) and
``LIAISON_CITY_HOTLINE``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from liaison.arrivals.models import Arrival
from liaison.arrivals.states import ArrivalState, label
from liaison.core.models import Site

S = ArrivalState

# The usual way through, and where it ends after each disposition.
_AIRPORT = (S.DECLARED, S.SCREENED, S.SAMPLED, S.RESULT, S.DISPOSED)
_TO_DISTRICT = (S.IN_HANDOVER, S.RECEIVED, S.RELEASED)
_AFTER = {"hospital": (S.IN_HOSPITAL,), "onward_transfer": (S.LEFT_CITY,)}


@dataclass(frozen=True)
class Step:
    state: str
    label: str
    status: str  # "done", "current" or "to_come"


@dataclass(frozen=True)
class Hotline:
    whose: str
    number: str

    @property
    def dial(self) -> str:
        """The number as a tel: link takes it (digits and a leading +)."""
        return "".join(c for c in self.number if c.isdigit() or c == "+")


@dataclass
class Progress:
    steps: list[Step]
    next: str
    where: str = ""
    hotlines: list[Hotline] = field(default_factory=list)


@dataclass
class _Facts:
    """What the pipeline recorded of this traveler that the page may use."""

    sample_site: Site | None = None
    sampled_at: datetime | None = None
    disposition: str = ""
    departed_at: datetime | None = None
    destination: object = None  # the batch's jurisdiction
    quarantine_site: Site | None = None
    quarantine_end: object = None
    state_before: str = ""


def _facts(arrival: Arrival) -> _Facts:
    # Through the reverse relations: the arrivals app imports nothing of the desks after it.
    facts = _Facts()
    sample = arrival.samples.filter(superseded=False).select_related("site").first()
    if sample is not None:
        facts.sample_site, facts.sampled_at = sample.site, sample.collected_at
    facts.disposition = (
        arrival.dispositions.filter(is_current=True).values_list("disposition", flat=True).first()
        or ""
    )
    member = (
        arrival.batch_memberships.select_related("batch__destination_jurisdiction")
        .order_by("-added_at", "-id")
        .first()
    )
    if member is not None:
        facts.departed_at = member.batch.departed_at
        facts.destination = member.batch.destination_jurisdiction
    try:
        quarantine = arrival.quarantine
    except ObjectDoesNotExist:
        quarantine = None
    if quarantine is not None:
        facts.quarantine_site, facts.quarantine_end = quarantine.site, quarantine.planned_end
    if arrival.state in (S.IN_HOSPITAL, S.LEFT_CITY):
        facts.state_before = (
            arrival.events.filter(to_state=arrival.state)
            .values_list("from_state", flat=True)
            .last()
            or ""
        )
    return facts


def _path(arrival: Arrival, facts: _Facts) -> tuple[str, ...]:
    """The steps this traveler goes through: the usual ones, ended as their disposition ends."""
    after = _AFTER.get(facts.disposition, _TO_DISTRICT)
    if arrival.state in (S.IN_HOSPITAL, S.LEFT_CITY):
        path = _AIRPORT + _TO_DISTRICT
        before = facts.state_before if facts.state_before in path else S.DECLARED
        return (*path[: path.index(before) + 1], arrival.state)
    return _AIRPORT + after


def steps(arrival: Arrival, facts: _Facts | None = None) -> list[Step]:
    facts = facts or _facts(arrival)
    path = _path(arrival, facts)
    current = path.index(arrival.state) if arrival.state in path else 0
    return [
        Step(
            state=state,
            label=label(state),
            status="done" if index < current else "current" if index == current else "to_come",
        )
        for index, state in enumerate(path)
    ]


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _next(arrival: Arrival, facts: _Facts) -> str:
    state = arrival.state
    jurisdiction = facts.destination if state == S.IN_HANDOVER else None
    jurisdiction = jurisdiction or arrival.jurisdiction
    place = jurisdiction.name if jurisdiction else ""
    if state == S.DECLARED:
        return _("On arrival, go to the health desk at %(port)s and show your code.") % {
            "port": arrival.flight.port.name
        }
    if state == S.SCREENED:
        return _(
            "Next, a sample is taken for a test. Wait in the waiting area until you are called."
        )
    if state == S.SAMPLED:
        expected = (facts.sampled_at or timezone.now()) + timedelta(
            hours=settings.LIAISON_RESULT_WAIT_HOURS
        )
        if expected < timezone.now():
            return _(
                "Your test result is taking longer than usual. The staff will tell you as soon "
                "as it is in."
            )
        return _("Your test result usually comes by about %(time)s. Wait where you are told.") % {
            "time": _when(expected)
        }
    if state == S.RESULT:
        return _("Your test result is in. The staff decide where you go next and will tell you.")
    if state == S.DISPOSED:
        return _disposed(arrival, facts.disposition, place)
    if state == S.IN_HANDOVER:
        if facts.departed_at is None:
            return _("You will leave the airport with the staff, for %(place)s.") % {"place": place}
        expected = facts.departed_at + timedelta(hours=settings.LIAISON_BATCH_CONFIRM_HOURS)
        return _(
            "You are on your way to %(place)s. The district's staff receive you there, usually "
            "by about %(time)s."
        ) % {"place": place, "time": _when(max(expected, timezone.now()))}
    if state == S.RECEIVED:
        if facts.quarantine_end is None:
            return _("The district's staff will tell you about your quarantine.")
        return _("Your quarantine is planned to end on %(date)s.") % {
            "date": formats.date_format(facts.quarantine_end, "DATE_FORMAT")
        }
    if state == S.RELEASED:
        return _("Your quarantine has ended. Thank you for your patience.")
    if state == S.IN_HOSPITAL:
        return _("You are in the care of a designated hospital. Its staff will tell you more.")
    return _("You have left the city. Follow the rules of the place you travel to.")


def _disposed(arrival: Arrival, disposition: str, place: str) -> str:
    if disposition == "centralized_quarantine":
        return _(
            "You will be taken to a quarantine hotel in %(place)s. Stay in the waiting area until "
            "you are called."
        ) % {"place": place}
    if disposition == "home_quarantine":
        return _(
            "You will be taken to your address in %(place)s for home quarantine. Stay in the "
            "waiting area until you are called."
        ) % {"place": place}
    if disposition == "diplomatic_arrangement":
        return _(
            "You will be taken to your residence for quarantine by diplomatic arrangement. Stay "
            "in the waiting area until you are called."
        )
    if disposition == "hospital":
        return _(
            "You will be taken to a designated hospital. Stay where you are until the staff come "
            "for you."
        )
    if disposition == "onward_transfer":
        return _("The staff will accompany you to your onward journey to %(destination)s.") % {
            "destination": arrival.onward_destination
        }
    return _("The staff will tell you where you go next.")


def _waiting_area(arrival: Arrival) -> Site | None:
    return (
        Site.objects.filter(
            kind=Site.Kind.WAITING_AREA,
            jurisdiction_id=arrival.flight.port.jurisdiction_id,
            active=True,
        )
        .order_by("code")
        .first()
    )


def _where_and_sites(arrival: Arrival, facts: _Facts) -> tuple[str, list]:
    """Where to wait or go (a place's name, or ""), and the places whose numbers come first."""
    state = arrival.state
    if state == S.DECLARED:
        return arrival.flight.port.name, [arrival.flight.port.jurisdiction]
    if state in (S.SCREENED, S.SAMPLED, S.RESULT, S.DISPOSED):
        if state == S.DISPOSED and facts.disposition == "onward_transfer":
            waiting = None
        else:
            waiting = _waiting_area(arrival)
        places = [facts.sample_site, waiting, arrival.flight.port.jurisdiction]
        return (waiting.name if waiting else ""), places
    if state in (S.RECEIVED, S.RELEASED):
        site = facts.quarantine_site
        where = site.name if site and state == S.RECEIVED else ""
        return where, [site, arrival.jurisdiction]
    return "", [facts.destination or arrival.jurisdiction]


def _hotlines(places: list) -> list[Hotline]:
    lines, seen = [], set()
    for place in places:
        if place is not None and place.hotline and place.hotline not in seen:
            seen.add(place.hotline)
            lines.append(Hotline(whose=place.name, number=place.hotline))
    city = settings.LIAISON_CITY_HOTLINE
    if city and city not in seen:
        lines.append(Hotline(whose=_("City hotline"), number=city))
    return lines


def of(arrival: Arrival) -> Progress:
    """The traveler's progress, in the active language."""
    facts = _facts(arrival)
    where, places = _where_and_sites(arrival, facts)
    return Progress(
        steps=steps(arrival, facts),
        next=_next(arrival, facts),
        where=where,
        hotlines=_hotlines(places),
    )
