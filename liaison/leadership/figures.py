"""Every desk's figures at a cut-off, for the dashboard and the daily briefing.

Leadership and the duty desk see the whole city in aggregate, so the counts are taken over each
desk's whole table — through the desk's own list filters (``filter_contacts``,
``filter_incidents``, …), so that a figure and the list it links to are one query with the same
parameters. Each figure carries that link: the list's URL name and query, and the area a reader
needs to open it (``links.attach`` keeps it only for readers who may).

What is returned is plain data (numbers, codes, dates as text), the briefing's JSON snapshot as
it is stored: labels are rendered by ``labels`` in the reader's language when shown.

The pipeline's states are taken at the cut-off: an arrival moved after it (a briefing drafted
later than its cut-off) counts in the state of its last event before the cut-off. The other
desks' open records are counted as they stand when the figures are taken, for records opened by
the cut-off; the job drafts each briefing at its cut-off, so both agree there.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from liaison.arrivals.models import Arrival, ArrivalEvent, Flight
from liaison.arrivals.states import ArrivalState
from liaison.assistance.models import AssistanceCase, ConsularNotification
from liaison.assistance.models.cases import Category, Kind, Priority
from liaison.assistance.selectors import OPEN_NOTIFICATIONS, filter_cases
from liaison.contacts.models import Commitment, Contact
from liaison.contacts.selectors import filter_commitments, filter_contacts
from liaison.core.access import Area
from liaison.core.models import Jurisdiction
from liaison.exchanges.models import Conference
from liaison.handover.selectors import GROUP_OF_STATE, GROUPS
from liaison.incidents.models import Incident
from liaison.incidents.selectors import filter_incidents
from liaison.screening.models import Disposition

S = ArrivalState
DAYS = 14
GROUP_KEYS = tuple(GROUPS)  # at_airport, in_transit, received, in_hospital, left_city
# Outbound shipped and inbound received, the two sides of the aid desk's flow.
AID_STATUSES = ("committed", "shipped_in_part", "shipped", "delivered")


def office_midnight(day: date) -> datetime:
    """The start of ``day`` in the office's time zone (24:00 of the day before)."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def cutoff_of(day: date) -> datetime:
    """A briefing's data cut-off: 24:00 at the end of its day."""
    return office_midnight(day + timedelta(days=1))


def fig(key: str, value: int, link: tuple[str, list, dict, str] | None = None) -> dict:
    """One figure; ``link`` is (URL name, its arguments, its query, the area to open it)."""
    out: dict = {"key": key, "value": int(value)}
    if link:
        name, args, query, area = link
        out["link"] = {"name": name, "args": args, "query": query, "area": str(area)}
    return out


def table(key: str, cols: list, rows: list[dict]) -> dict:
    """``cols``: label specs; each row: ``{"label": spec, "cells": [figure, …]}``."""
    return {"key": key, "cols": cols, "rows": rows}


def row(label: list, cells: list[dict]) -> dict:
    return {"label": label, "cells": cells}


# --- The arrival pipeline --------------------------------------------------------------------


def _board(group: str, query: dict) -> tuple[str, list, dict, str]:
    return ("handover:board_group", [group], query, Area.ARRIVALS_BOARD)


def _arrivals(cutoff: datetime):
    return Arrival.objects.filter(created_at__lte=cutoff).order_by()


def _moved_after(cutoff: datetime) -> dict[int, tuple[str, str]]:
    """Arrivals declared by the cut-off and moved after it: id → (state now, state then).

    Nothing can have moved after a cut-off that has not come yet (the dashboard's: now)."""
    if cutoff >= timezone.now():
        return {}
    ids = (
        ArrivalEvent.objects.filter(at__gt=cutoff, arrival__created_at__lte=cutoff)
        .values_list("arrival_id", flat=True)
        .distinct()
    )
    then = Subquery(
        ArrivalEvent.objects.filter(arrival=OuterRef("pk"), at__lte=cutoff)
        .order_by("-at", "-id")
        .values("to_state")[:1]
    )
    rows = Arrival.objects.filter(pk__in=ids).annotate(then=then).values_list("pk", "state", "then")
    return {pk: (now_state, then or S.DECLARED) for pk, now_state, then in rows}


def _state_counts(cutoff: datetime, dims: tuple[str, ...], **where) -> Counter:
    """Arrivals declared by the cut-off, per ``dims`` + their state at the cut-off."""
    base = _arrivals(cutoff).filter(**where)
    counts: Counter = Counter()
    for *key, state, n in base.values_list(*dims, "state").annotate(n=Count("*")):
        counts[(*key, state)] += n
    moved = _moved_after(cutoff)
    if moved:
        for *key, pk in base.filter(pk__in=list(moved)).values_list(*dims, "pk"):
            now_state, then = moved[pk]
            counts[(*key, now_state)] -= 1
            counts[(*key, then)] += 1
    return counts


def _groups_of(counts: Counter, match=lambda key: True) -> dict[str, int]:
    """Per board group (and arrived, released) over the counted keys ``match`` keeps."""
    out = dict.fromkeys((*GROUP_KEYS, "arrived", "in_quarantine", "released"), 0)
    for key, n in counts.items():
        if not match(key[:-1]):
            continue
        state = key[-1]
        out[GROUP_OF_STATE[S(state)]] += n
        out["arrived"] += n
        if state == S.RECEIVED:
            out["in_quarantine"] += n
        elif state == S.RELEASED:
            out["released"] += n
    return out


NUMBER_ROWS = ("arrived", *GROUP_KEYS, "in_quarantine", "released")


def _number_link(name: str, day: str | None) -> tuple | None:
    query = {"day": day} if day else {}
    if name in GROUPS:
        return _board(name, query)
    if name == "released":
        return _board(S.RELEASED.value, query)
    if name == "in_quarantine":
        return _board("in_quarantine", query)
    if name == "arrived" and day:
        return ("handover:board", [], query, Area.ARRIVALS_BOARD)
    return None


def _numbers(per_day: Counter, day: date) -> dict:
    day_text = day.isoformat()
    new = _groups_of(per_day, lambda key: key[0] == day)
    total = _groups_of(per_day)
    return table(
        "pipeline.numbers",
        [["metric", "new"], ["metric", "total"]],
        [
            row(
                ["group", name],
                [
                    fig(f"pipeline.new.{name}", new[name], _number_link(name, day_text)),
                    fig(f"pipeline.total.{name}", total[name], _number_link(name, None)),
                ],
            )
            for name in NUMBER_ROWS
        ],
    )


def situation(*, day: date, cutoff: datetime) -> dict:
    """The day's situation in numbers alone, for the home page's panel: one grouped query on
    the day's arrivals (the index on day and state), since the home page is opened all day long;
    the totals are the dashboard's."""
    numbers = _numbers(_state_counts(cutoff, ("arrival_date",), arrival_date=day), day)
    numbers["cols"] = numbers["cols"][:1]
    for r in numbers["rows"]:
        r["cells"] = r["cells"][:1]
    return numbers


def pipeline(*, day: date, cutoff: datetime) -> list[dict]:
    since = day - timedelta(days=DAYS - 1)
    per_day = _state_counts(cutoff, ("arrival_date",), arrival_date__lte=day)
    numbers = _numbers(per_day, day)
    days_rows = []
    for offset in range(DAYS):
        d = day - timedelta(days=offset)
        groups = _groups_of(per_day, lambda key, d=d: key[0] == d)
        q = {"day": d.isoformat()}
        days_rows.append(
            row(
                ["day", d.isoformat()],
                [
                    fig(
                        f"pipeline.day.{d}.arrived",
                        groups["arrived"],
                        _number_link("arrived", q["day"]),
                    )
                ]
                + [fig(f"pipeline.day.{d}.{g}", groups[g], _board(g, q)) for g in GROUP_KEYS],
            )
        )
    by_day = table(
        "pipeline.days", [["group", "arrived"], *(["group", g] for g in GROUP_KEYS)], days_rows
    )
    return [numbers, by_day, _flights(day, cutoff), *_breakdowns(since, day, cutoff)]


def _flights(day: date, cutoff: datetime) -> dict:
    per_flight = _state_counts(cutoff, ("flight_id",), arrival_date=day)
    flights = Flight.objects.in_bulk({key[0] for key in per_flight})
    rows = []
    for flight in sorted(flights.values(), key=lambda f: f.number):
        groups = _groups_of(per_flight, lambda key, f=flight: key[0] == f.pk)
        q = {"flight": str(flight.pk)}
        rows.append(
            row(
                ["flight", flight.number],
                [
                    fig(
                        f"pipeline.flight.{flight.number}.arrived",
                        groups["arrived"],
                        _arrivals_list(q),
                    )
                ]
                + [
                    fig(f"pipeline.flight.{flight.number}.{g}", groups[g], _board(g, q))
                    for g in GROUP_KEYS
                ],
            )
        )
    return table(
        "pipeline.flights", [["group", "arrived"], *(["group", g] for g in GROUP_KEYS)], rows
    )


def _arrivals_list(query: dict) -> tuple:
    """The arrivals list (the airport desk's) with these filters."""
    return ("arrivals:list", [], query, Area.ARRIVALS_DESK)


def _breakdowns(since: date, day: date, cutoff: datetime) -> list[dict]:
    """The last 14 days' arrivals by nationality, destination and disposition, each a link to
    the arrivals list of those days with that filter."""
    days = {"since": since.isoformat(), "until": day.isoformat()}
    window = _arrivals(cutoff).filter(arrival_date__gte=since, arrival_date__lte=day)
    nationality = window.values_list("nationality").annotate(n=Count("*")).order_by("-n")
    jurisdiction = window.values_list("jurisdiction_id").annotate(n=Count("*")).order_by("-n")
    places = Jurisdiction.objects.in_bulk([j for j, _n in jurisdiction if j])
    # The current disposition of each arrival of the window: one join, grouped.
    disposition = (
        Disposition.objects.filter(
            is_current=True,
            arrival__created_at__lte=cutoff,
            arrival__arrival_date__gte=since,
            arrival__arrival_date__lte=day,
        )
        .order_by()
        .values_list("disposition")
        .annotate(n=Count("*"))
        .order_by("-n")
    )
    total = [["metric", "last_14_days"]]
    return [
        table(
            "pipeline.nationality",
            total,
            [
                row(
                    ["country", code],
                    [
                        fig(
                            f"pipeline.nationality.{code}",
                            n,
                            _arrivals_list({**days, "nationality": code}),
                        )
                    ],
                )
                for code, n in nationality
            ],
        ),
        table(
            "pipeline.jurisdiction",
            total,
            [
                row(
                    ["jurisdiction", places[j].code, places[j].name_zh, places[j].name_en]
                    if j in places
                    else ["metric", "no_destination"],
                    [
                        fig(
                            f"pipeline.jurisdiction.{places[j].code if j in places else '-'}",
                            n,
                            _arrivals_list({**days, "jurisdiction": places[j].code})
                            if j in places
                            else None,
                        )
                    ],
                )
                for j, n in jurisdiction
            ],
        ),
        table(
            "pipeline.disposition",
            total,
            [
                row(
                    ["disposition", code],
                    [
                        fig(
                            f"pipeline.disposition.{code}",
                            n,
                            _arrivals_list({**days, "disposition": code}),
                        )
                    ],
                )
                for code, n in disposition
            ],
        ),
    ]


# --- The other desks ---------------------------------------------------------------------------


def assistance(*, cutoff: datetime) -> list[dict]:
    cases = filter_cases(
        AssistanceCase.objects.filter(opened_at__lte=cutoff), user=None, view="open"
    ).order_by()
    open_link = ("assistance:cases", [], {"view": "open"}, Area.ASSISTANCE)
    tables = [
        table(
            "assistance.open",
            [["metric", "open"]],
            [row(["metric", "cases_open"], [fig("assistance.open", cases.count(), open_link)])],
        )
    ]
    for field, choices in (("kind", Kind), ("category", Category), ("priority", Priority)):
        counts = dict(cases.values_list(field).annotate(n=Count("*")))
        tables.append(
            table(
                f"assistance.{field}",
                [["metric", "open"]],
                [
                    row([field, value], [fig(f"assistance.{field}.{value}", counts[value])])
                    for value in choices.values
                    if counts.get(value)
                ],
            )
        )
    notices = dict(
        ConsularNotification.objects.filter(status__in=OPEN_NOTIFICATIONS, drafted_at__lte=cutoff)
        .order_by()
        .values_list("status")
        .annotate(n=Count("*"))
    )
    tables.append(
        table(
            "assistance.notifications",
            [["metric", "waiting"]],
            [
                row(
                    ["notification_status", status],
                    [
                        fig(
                            f"assistance.notifications.{status}",
                            notices.get(status, 0),
                            ("assistance:notifications", [], {"status": status}, Area.MISSIONS),
                        )
                    ],
                )
                for status in OPEN_NOTIFICATIONS
            ],
        )
    )
    return tables


def liaison_desk(*, day: date, cutoff: datetime) -> list[dict]:
    since = day - timedelta(days=DAYS - 1)
    # As the contact log lists them: every contact that started in the days, withdrawn or not.
    held = Contact.objects.filter(starts_at__lt=cutoff)
    contacts_list = "contacts:log"

    def contacts(start: date) -> dict:
        query = {"since": start.isoformat(), "until": day.isoformat()}
        found = filter_contacts(held, since=start, until=day)
        return fig(
            f"contacts.held.{'day' if start == day else 'days'}",
            found.count(),
            (contacts_list, [], query, Area.CONTACTS_READ),
        )

    made = Commitment.objects.filter(made_at__lte=cutoff)
    today = timezone.localtime(cutoff).date()
    overdue = filter_commitments(made, overdue=True, today=today)
    open_ = filter_commitments(made, status="open")
    ledger = "contacts:commitments"
    return [
        table(
            "liaison.contacts",
            [["metric", "new"], ["metric", "last_14_days"]],
            [row(["metric", "contacts_held"], [contacts(day), contacts(since)])],
        ),
        table(
            "liaison.commitments",
            [["metric", "total"]],
            [
                row(
                    ["metric", "commitments_open"],
                    [
                        fig(
                            "commitments.open",
                            open_.count(),
                            (ledger, [], {"status": "open"}, Area.CONTACTS_READ),
                        )
                    ],
                ),
                row(
                    ["metric", "commitments_overdue"],
                    [
                        fig(
                            "commitments.overdue",
                            overdue.count(),
                            (ledger, [], {"overdue": "on"}, Area.CONTACTS_READ),
                        )
                    ],
                ),
            ],
        ),
    ]


def aid(*, cutoff: datetime) -> list[dict]:
    from liaison.aid.models import Donation
    from liaison.aid.selectors import filter_donations

    donations = Donation.objects.filter(recorded_at__lte=cutoff).order_by()
    counts: dict = defaultdict(int)
    # The aid list's own filter, direction and status: one grouped query does the same.
    grouped = filter_donations(donations).values_list("direction", "status").annotate(n=Count("*"))
    for direction, status, n in grouped:
        counts[(direction, status)] = n
    rows = []
    for direction in ("outbound", "inbound"):
        rows.append(
            row(
                ["direction", direction],
                [
                    fig(
                        f"aid.{direction}.{status}",
                        counts[(direction, status)],
                        (
                            "aid:queue",
                            [],
                            {"direction": direction, "status": status},
                            Area.AID_READ,
                        ),
                    )
                    for status in AID_STATUSES
                ],
            )
        )
    return [table("aid.donations", [["donation_status", s] for s in AID_STATUSES], rows)]


def duty(*, cutoff: datetime) -> list[dict]:
    live = filter_incidents(
        Incident.objects.filter(reported_at__lte=cutoff), now=cutoff, exercise=False
    ).order_by()
    counts = dict(live.values_list("severity").annotate(n=Count("*")))
    return [
        table(
            "duty.incidents",
            [["metric", "open"]],
            [
                row(
                    ["severity", severity],
                    [
                        fig(
                            f"incidents.severity.{severity}",
                            counts.get(severity, 0),
                            (
                                "incidents:queue",
                                [],
                                {"severity": str(severity), "exercise": "false"},
                                Area.DUTY_READ,
                            ),
                        )
                    ],
                )
                for severity in range(1, 6)
            ],
        )
    ]


def exchanges(*, day: date, cutoff: datetime) -> list[dict]:
    held = Conference.objects.filter(ends_at__lt=cutoff).order_by()
    since = office_midnight(day - timedelta(days=DAYS - 1))
    past = ("exchanges:conferences", [], {"when": "past"}, Area.EXCHANGES_READ)

    def ended(first: date) -> tuple:
        query = {"when": "past", "ended_from": first.isoformat(), "ended_until": day.isoformat()}
        return ("exchanges:conferences", [], query, Area.EXCHANGES_READ)

    return [
        table(
            "exchanges.held",
            [["metric", "new"], ["metric", "last_14_days"], ["metric", "total"]],
            [
                row(
                    ["metric", "conferences_held"],
                    [
                        fig(
                            "exchanges.held.day",
                            held.filter(ends_at__gte=office_midnight(day)).count(),
                            ended(day),
                        ),
                        fig(
                            "exchanges.held.days",
                            held.filter(ends_at__gte=since).count(),
                            ended(day - timedelta(days=DAYS - 1)),
                        ),
                        fig("exchanges.held.total", held.count(), past),
                    ],
                )
            ],
        )
    ]


SECTIONS = ("pipeline", "assistance", "liaison", "aid", "duty", "exchanges")


def snapshot(*, day: date, cutoff: datetime) -> dict:
    """Every desk's figures for ``day`` at ``cutoff``: the briefing's JSON, the dashboard's."""
    return {
        "day": day.isoformat(),
        "cutoff": cutoff.isoformat(),
        "since": (day - timedelta(days=DAYS - 1)).isoformat(),
        "sections": [
            {"key": "pipeline", "tables": pipeline(day=day, cutoff=cutoff)},
            {"key": "assistance", "tables": assistance(cutoff=cutoff)},
            {"key": "liaison", "tables": liaison_desk(day=day, cutoff=cutoff)},
            {"key": "aid", "tables": aid(cutoff=cutoff)},
            {"key": "duty", "tables": duty(cutoff=cutoff)},
            {"key": "exchanges", "tables": exchanges(day=day, cutoff=cutoff)},
        ],
    }


def flat(snap: dict) -> dict[str, dict]:
    """Every figure of a snapshot by its key, with its table, row and column (comparisons,
    the spreadsheet, tests)."""
    out = {}
    for section in snap.get("sections", []):
        for tab in section["tables"]:
            for r in tab["rows"]:
                for col, cell in zip(tab["cols"], r["cells"], strict=True):
                    out[cell["key"]] = {
                        **cell,
                        "section": section["key"],
                        "table": tab["key"],
                        "row": r["label"],
                        "col": col,
                    }
    return out
