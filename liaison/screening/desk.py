"""The screening desk: temperatures, the check of the travel history, and "screened".

Each service is one transaction. The policy facts stored on the arrival (``Arrival.facts``) are
kept in step in the same transaction; a traveler the policy can already decide at screening (a
fever sends them to hospital) is disposed of at once (``dispositions``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from liaison.arrivals import events, states
from liaison.arrivals.declaration_data import facts_of
from liaison.arrivals.models import Arrival
from liaison.core.models import User
from liaison.core.refusals import Refused
from liaison.screening.common import S, not_in_future, require_state, save_facts
from liaison.screening.dispositions import dispose_if_settled
from liaison.screening.models import (
    MAX_CELSIUS,
    MIN_CELSIUS,
    Disposition,
    HistoryCheck,
    TemperatureReading,
)


@transaction.atomic
def record_temperature(
    *,
    arrival: Arrival,
    celsius: Decimal | float | str,
    device: str,
    taken_at: datetime | None = None,
    officer: User,
) -> TemperatureReading:
    """One temperature reading, before the traveler is marked screened. Several are allowed;
    the policy looks at the highest."""
    require_state(
        arrival,
        [S.DECLARED],
        _("Temperatures are recorded before screening ends; this traveler is “%(state)s”."),
    )
    try:
        value = Decimal(str(celsius)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise Refused(_("Enter the temperature as a number, e.g. 36.6."), "celsius") from None
    if not MIN_CELSIUS <= value <= MAX_CELSIUS:
        raise Refused(
            _("A body temperature is between %(low)s and %(high)s °C; check the reading.")
            % {"low": MIN_CELSIUS, "high": MAX_CELSIUS},
            "celsius",
        )
    device = (device or "").strip()
    if not device:
        raise Refused(_("Name the device that took the reading."), "device")
    taken_at = not_in_future(taken_at or timezone.now(), "taken_at")
    locked = Arrival.objects.select_for_update().get(pk=arrival.pk)
    require_state(
        locked,
        [S.DECLARED],
        _("Temperatures are recorded before screening ends; this traveler is “%(state)s”."),
    )
    reading = TemperatureReading.objects.create(
        arrival=locked, celsius=value, device=device[:100], taken_at=taken_at, officer=officer
    )
    record = dict(locked.facts)
    record["temperatures"] = [*record.get("temperatures", []), float(value)]
    save_facts(locked, record, "temperature")
    arrival.facts = record
    return reading


def _clean_history(history: Iterable[Mapping[str, Any]], arrival_date: date) -> list[dict]:
    rows = []
    known = dict(countries)
    for number, row in enumerate(history, start=1):
        country = str(row.get("country", "")).strip().upper()
        if country not in known:
            raise Refused(_("Row %(n)s: choose a country or region.") % {"n": number}, "history")
        try:
            date_from = date.fromisoformat(str(row.get("date_from", "")))
            date_to = date.fromisoformat(str(row.get("date_to", "")))
        except ValueError:
            raise Refused(
                _("Row %(n)s: enter both dates as YYYY-MM-DD.") % {"n": number}, "history"
            ) from None
        if date_from > date_to:
            raise Refused(
                _("Row %(n)s: the stay ends before it starts.") % {"n": number}, "history"
            )
        if date_to > arrival_date:
            raise Refused(
                _("Row %(n)s: the stay ends after the arrival.") % {"n": number}, "history"
            )
        rows.append(
            {
                "country": country,
                "city": str(row.get("city", "")).strip()[:100],
                "date_from": date_from.isoformat(),
                "date_to": date_to.isoformat(),
            }
        )
    if not rows:
        raise Refused(_("The history needs at least one stay."), "history")
    return rows


@transaction.atomic
def confirm_history(
    *,
    arrival: Arrival,
    history: Iterable[Mapping[str, Any]] | None = None,
    officer: User,
    note: str = "",
) -> HistoryCheck:
    """The desk officer's check of the residence and travel history.

    ``history`` None (or equal to the declared one) confirms it as declared; a different list
    corrects it: the arrival's history and its policy facts are rebuilt (the temperatures and
    any result carried over) and both versions are kept on the check for the timeline.
    """
    require_state(
        arrival,
        [S.DECLARED],
        _("The history is checked before screening ends; this traveler is “%(state)s”."),
    )
    locked = Arrival.objects.select_for_update().get(pk=arrival.pk)
    require_state(
        locked,
        [S.DECLARED],
        _("The history is checked before screening ends; this traveler is “%(state)s”."),
    )
    before = list(locked.history)
    after = before if history is None else _clean_history(history, locked.arrival_date)
    corrected = after != before
    if corrected:
        if not (note or "").strip():
            raise Refused(_("Say briefly why the history is corrected."), "note")
        locked.history = after
        locked.facts = facts_to_record_of(locked)
        locked.updated_at = timezone.now()
        locked.save(update_fields=["history", "facts", "updated_at"])
        arrival.history, arrival.facts = locked.history, locked.facts
    return HistoryCheck.objects.create(
        arrival=locked,
        officer=officer,
        corrected=corrected,
        before=before,
        after=after,
        note=(note or "").strip()[:300],
    )


def facts_to_record_of(arrival: Arrival) -> dict[str, Any]:
    """The arrival's policy facts rebuilt from its declaration, keeping screening and results."""
    from liaison.policy.engine import facts_to_record

    return facts_to_record(facts_of(arrival, keep=arrival.facts or None))


@transaction.atomic
def screen(*, arrival: Arrival, officer: User, where: str = "") -> Disposition | None:
    """Mark the traveler screened: at least one temperature and a checked history.

    If the policy can already decide — whatever the test would say (a fever sends the traveler
    to hospital) — the disposition is recorded now and the traveler moves on to "disposition
    decided" without a sample (see ``dispose``); it is returned, else None.
    """
    if arrival.state == S.DECLARED:
        if not TemperatureReading.objects.filter(arrival=arrival).exists():
            raise Refused(_("Record at least one temperature reading first."), "celsius")
        if not HistoryCheck.objects.filter(arrival=arrival).exists():
            raise Refused(_("Confirm or correct the travel history first."), "history")
    readings = list(TemperatureReading.objects.filter(arrival=arrival).values_list("celsius"))
    states.move(
        arrival,
        S.SCREENED,
        actor=officer,
        where=where or str(arrival.flight.port),
        data={
            "kind": events.SCREENED,
            **({} if where else {"port": arrival.flight.port.code}),
            "readings": len(readings),
            "max_celsius": str(max(readings)[0]) if readings else "",
        },
    )
    arrival.facts = Arrival.objects.values_list("facts", flat=True).get(pk=arrival.pk)
    return dispose_if_settled(arrival, by=officer)
