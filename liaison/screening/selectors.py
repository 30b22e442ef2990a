"""Reads of the airport side, each through the access layer: what may this user see?"""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery

from liaison.arrivals.models import Arrival, ConflictingDeclaration, Flight
from liaison.arrivals.selectors import arrivals_visible_to
from liaison.core.access import Area, can
from liaison.core.normalize import declaration_code, traveler_search
from liaison.screening.models import Disposition, LabResult, ResultsImport


def find_arrivals(user, area: Area, text: str) -> QuerySet[Arrival]:
    """Travelers matching what the desk typed or scanned: the declaration code (a QR scanner
    types it like a keyboard, with or without the dash), the document number, or a name in
    native script or Latin letters, surname first or last."""
    queryset = arrivals_visible_to(user, area)
    match = traveler_search(text)
    if match is None:
        return queryset.none()
    # The reference on the receipt of a conflicting declaration finds the traveler it claimed.
    claimed = ConflictingDeclaration.objects.filter(reference=declaration_code(text))
    match |= Q(pk__in=claimed.values("arrival_id"))
    return queryset.filter(match).order_by("-created_at")[:50]


def current_disposition(arrival: Arrival) -> Disposition | None:
    return (
        Disposition.objects.select_related("overridden_by", "rules_version", "risk_list_version")
        .filter(arrival=arrival, is_current=True)
        .first()
    )


def with_current_disposition(arrivals: QuerySet[Arrival]) -> QuerySet[Arrival]:
    """``current_disposition`` on each arrival: the policy's decision, or an officer's override.

    One current row per arrival (a partial unique constraint), so the subquery has one value.
    """
    current = Disposition.objects.filter(arrival=OuterRef("pk"), is_current=True)
    return arrivals.annotate(current_disposition=Subquery(current.values("disposition")[:1]))


def desk_flights(user, *, day: str | None = None) -> QuerySet[Flight]:
    """The desk's flights, newest first; ``day`` (YYYY-MM-DD): only that day's."""
    if not can(user, Area.ARRIVALS_DESK):
        return Flight.objects.none()
    flights = Flight.objects.select_related("port").order_by("-date", "number")
    return flights.filter(date=day) if day else flights


def history_checks_of(arrival: Arrival) -> QuerySet:
    """The travel-history checks of a traveler the page already opened, with their officer."""
    return arrival.history_checks.select_related("officer")


def recent_results(user, limit: int = 20) -> QuerySet[LabResult]:
    if not can(user, Area.ARRIVALS_LAB):
        return LabResult.objects.none()
    return LabResult.objects.select_related("sample", "reported_by")[:limit]


def imports_visible_to(user) -> QuerySet[ResultsImport]:
    if not can(user, Area.ARRIVALS_LAB):
        return ResultsImport.objects.none()
    return ResultsImport.objects.select_related("uploaded_by").defer("content")


def timeline(arrival: Arrival) -> list[dict]:
    """Everything that happened to one traveler, oldest first: each move of the pipeline (who,
    when, where, why, before and after) and the records between them — readings, the history
    check, samples, results, decisions and overrides."""
    from django.utils.translation import gettext as _

    from liaison.arrivals.states import label

    entries = []
    for event in arrival.events.select_related("actor"):
        entries.append(
            {
                "at": event.at,
                "kind": "move",
                "who": event.actor,
                "where": event.place,
                "why": event.reason,
                "before": label(event.from_state) if event.from_state else "",
                "after": label(event.to_state),
            }
        )
    for reading in arrival.temperatures.select_related("officer"):
        entries.append(
            {
                "at": reading.taken_at,
                "kind": "temperature",
                "who": reading.officer,
                "where": reading.device,
                "why": _("Temperature %(celsius)s °C") % {"celsius": reading.celsius},
            }
        )
    for check in arrival.history_checks.select_related("officer"):
        entries.append(
            {
                "at": check.at,
                "kind": "history",
                "who": check.officer,
                "why": (_("History corrected: %(note)s") % {"note": check.note})
                if check.corrected
                else _("History confirmed as declared"),
                "before": _countries(check.before) if check.corrected else "",
                "after": _countries(check.after) if check.corrected else "",
            }
        )
    for sample in arrival.samples.select_related("site", "collector"):
        entries.append(
            {
                "at": sample.collected_at,
                "kind": "sample",
                "who": sample.collector,
                "where": sample.site.name,
                "why": _("Sample, tube %(barcode)s") % {"barcode": sample.barcode},
            }
        )
    for result in LabResult.objects.filter(sample__arrival=arrival).select_related(
        "sample", "reported_by"
    ):
        entries.append(
            {
                "at": result.tested_at,
                "kind": "result",
                "who": result.reported_by,
                "where": result.lab,
                "why": _("Result %(result)s (tube %(barcode)s)")
                % {"result": result.get_result_display(), "barcode": result.sample.barcode},
            }
        )
    for disposition in arrival.dispositions.select_related("decided_by", "overridden_by"):
        if disposition.is_override:
            why = _("Override: %(value)s. Reason: %(reason)s") % {
                "value": disposition.get_disposition_display(),
                "reason": disposition.override_reason,
            }
        else:
            why = _("Policy decided: %(value)s (rule %(rule)s)") % {
                "value": disposition.get_disposition_display(),
                "rule": disposition.rule_id,
            }
        entries.append(
            {
                "at": disposition.decided_at,
                "kind": "override" if disposition.is_override else "decision",
                "who": disposition.overridden_by or disposition.decided_by,
                "why": why,
            }
        )
    decided = arrival.policy_reviews.exclude(decided_at=None).select_related("decided_by")
    for review in decided.exclude(status="superseded"):
        sentence = (
            _("Policy review confirmed (%(before)s → %(after)s). Reason: %(reason)s")
            if review.status == "confirmed"
            else _("Policy review dismissed (%(before)s stays, not %(after)s). Reason: %(reason)s")
        )
        entries.append(
            {
                "at": review.decided_at,
                "kind": "review",
                "who": review.decided_by,
                "why": sentence
                % {
                    "before": review.get_old_disposition_display(),
                    "after": review.get_new_disposition_display(),
                    "reason": review.reason,
                },
            }
        )
    entries.sort(key=lambda entry: entry["at"])
    return entries


def _countries(history: list[dict]) -> str:
    return ", ".join(f"{r['country']} {r['date_from']}–{r['date_to']}" for r in history)
