"""Reads of retention: when a record is anonymized, the holds, the receipts, the correction
requests, and what Liaison holds about a traveler (their own data, through their private link)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet

from liaison.core.access import Area, can
from liaison.retention.kinds import KINDS
from liaison.retention.models import Anonymized, CorrectionRequest, Hold, Receipt
from liaison.retention.rules import rule


@dataclass(frozen=True)
class Lifecycle:
    """Where a record stands: anonymized on a day, to be on a day, held, or not dated yet."""

    rule: str
    anonymized_at: datetime | None
    due_on: date | None
    held: bool
    days: int
    reference: str

    @property
    def anonymized(self) -> bool:
        return self.anonymized_at is not None


def lifecycle(kind: str, record) -> Lifecycle:
    """The record's anonymization date (the due-date calculator every page and export uses)."""
    code, reference_date = KINDS[kind].reference(record)
    applied = rule(code)
    mark = Anonymized.objects.filter(kind=kind, record_id=record.pk).first()
    return Lifecycle(
        rule=code,
        anonymized_at=mark.anonymized_at if mark else None,
        due_on=applied.due_on(reference_date),
        held=Hold.objects.filter(kind=kind, record_id=record.pk, lifted_at__isnull=True).exists(),
        days=applied.days,
        reference=str(applied.reference),
    )


def due_dates(kind: str, records) -> dict[int, date | None]:
    """Each record's anonymization day (None: not dated yet), for a list or an export."""
    records = list(records)
    marks = dict(
        Anonymized.objects.filter(kind=kind, record_id__in=[r.pk for r in records]).values_list(
            "record_id", "anonymized_at"
        )
    )
    dates = {}
    for record in records:
        if record.pk in marks:
            dates[record.pk] = marks[record.pk].date()
            continue
        code, reference_date = KINDS[kind].reference(record)
        dates[record.pk] = rule(code).due_on(reference_date)
    return dates


def record_exists(kind: str, record_id: int) -> bool:
    spec = KINDS.get(kind)
    return spec is not None and spec.model.objects.filter(pk=record_id).exists()


def holds(user, *, active_only: bool = False) -> QuerySet[Hold]:
    if not can(user, Area.RETENTION):
        return Hold.objects.none()
    queryset = Hold.objects.select_related("placed_by", "lifted_by")
    return queryset.filter(lifted_at__isnull=True) if active_only else queryset


def hold(user, pk: int) -> Hold | None:
    return holds(user).filter(pk=pk).first()


def receipts(user, *, limit: int = 200) -> list[Receipt]:
    if not can(user, Area.RETENTION):
        return []
    return list(Receipt.objects.all()[:limit])


def correction_requests(user, *, status: str = "") -> QuerySet[CorrectionRequest]:
    """The desk's queue of corrections travelers asked for (health desk, city-wide)."""
    if not can(user, Area.ARRIVALS_DESK):
        return CorrectionRequest.objects.none()
    queryset = CorrectionRequest.objects.select_related("arrival", "arrival__flight")
    return queryset.filter(status=status) if status else queryset


def correction_request(user, pk: int) -> CorrectionRequest | None:
    return correction_requests(user).filter(pk=pk).first()


def open_corrections_of(arrival) -> QuerySet[CorrectionRequest]:
    return CorrectionRequest.objects.filter(arrival=arrival).order_by("-requested_at")
