"""Each kind of record: which of its records a rule finds due, its reference date, and its
anonymizer.

An anonymizer blanks every identifying field of the given records (and of the rows that belong
to them), keeps the rule's statistical fields and the structural ones the closed loop counts with
(state, flight, day, jurisdiction, disposition, dates), and removes files. It runs set-based
(one UPDATE per table for a whole batch) inside the caller's transaction; files are removed once
that transaction has committed, so a rolled-back batch leaves its records whole, files included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import CharField, DateField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce, Concat, TruncYear
from django.utils import timezone

from liaison.arrivals.models import (
    Arrival,
    ArrivalEvent,
    ConflictingDeclaration,
    DeclarationRevision,
    IdempotencyRecord,
    ManifestEntry,
)
from liaison.arrivals.states import ArrivalState
from liaison.assistance.models import (
    AssistanceCase,
    CaseAttachment,
    CaseEvent,
    ConsularNotification,
)
from liaison.directory.models import Person
from liaison.duty.models import LogEntry
from liaison.handover.models import Incident as HandoverIncident
from liaison.handover.models import Quarantine
from liaison.incidents.models import Handover, Incident, IncidentEvent
from liaison.retention.models import Anonymized, CorrectionRequest, Hold, Kind
from liaison.retention.rules import Rule
from liaison.screening.models import Disposition, HistoryCheck, ResultsImport, Sample

# An arrival never quarantined is due once it ends (hospital, left the city) or was never
# followed up (still "declared"); one still in our care is not.
NOT_QUARANTINED_STATES = (
    ArrivalState.DECLARED,
    ArrivalState.IN_HOSPITAL,
    ArrivalState.LEFT_CITY,
    ArrivalState.RELEASED,
)
# A placeholder that keeps unique columns unique: "~" and the record's id.
PLACEHOLDER_DATE_OF_BIRTH = date(1900, 1, 1)


def _tilde_id() -> Concat:
    return Concat(Value("~"), Cast("id", CharField()), output_field=CharField())


def day_starts(day: date) -> datetime:
    """The first moment of ``day`` in the office's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def local_day(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


@dataclass(frozen=True)
class Batch:
    """A batch's records: ``ids``, the subquery that names them (on their marks' index, not by
    five thousand parameters), and the range of their ids."""

    ids: QuerySet
    first: int
    last: int

    def __iter__(self):
        return iter(self.ids)

    def rows(self, model, field: str) -> QuerySet:
        """``model``'s rows whose ``field`` is one of the batch's records. Most related tables
        are sparse (conflicts, incidents, corrections): a probe of the field's index over the
        batch's range costs microseconds, and when it finds nothing the batch's subquery
        (milliseconds on SQLite, which builds it whole first) is never run."""
        in_range = {f"{field}__gte": self.first, f"{field}__lte": self.last}
        if not model.objects.filter(**in_range).exists():
            return model.objects.none()
        return model.objects.filter(**in_range, **{f"{field}__in": self.ids})


@dataclass(frozen=True)
class KindSpec:
    model: type
    # rule, today -> the records due today, anonymized or held ones included
    candidates: Callable[[Rule, date], QuerySet]
    # a record -> (its rule's code, its reference date or None while it has none yet)
    reference: Callable[[object], tuple[str, date | None]]
    # rule, a batch of records -> the number of files removed
    anonymize: Callable[[Rule, Batch], int]


def not_marked(queryset: QuerySet, kind: str) -> QuerySet:
    return queryset.exclude(Exists(Anonymized.objects.filter(kind=kind, record_id=OuterRef("pk"))))


def held(queryset: QuerySet, kind: str) -> QuerySet:
    return queryset.filter(
        Exists(Hold.objects.filter(kind=kind, record_id=OuterRef("pk"), lifted_at__isnull=True))
    )


def _due_before(rule: Rule, today: date) -> datetime:
    """Datetimes before this are on or before the rule's cutoff day."""
    return day_starts(rule.cutoff(today) + timedelta(days=1))


def _erase_words_about(link: str, batch: Batch) -> None:
    """The officers' free text about these travelers or cases (``link``: "arrival" or "case"):
    the duty log's entries (and their corrections) and the incidents with their actions. Their
    structure stays: times, authors, type, severity, status, owner and the links themselves,
    so the desk's counts and an open incident's workflow go on; an incident's title falls back
    to its type. Three UPDATEs, each on the link's index, already blank rows left alone."""
    entries = batch.rows(LogEntry, f"{link}_id")
    LogEntry.objects.filter(
        Q(pk__in=entries.values("pk")) | Q(corrects_id__in=entries.values("pk"))
    ).erase_text()
    _erase_incidents(batch.rows(Incident, f"{link}_id"))


def _erase_incidents(incidents: QuerySet) -> None:
    """The incidents' words (title, description, place, closing summary) and their actions'."""
    IncidentEvent.objects.filter(incident_id__in=incidents.values("pk")).exclude(text="").update(
        text=""
    )
    incidents.exclude(title="", description="", place="", summary="").update(
        title="", description="", place="", summary=""
    )


# --- Travelers ----------------------------------------------------------------------------------


def _arrival_candidates(rule: Rule, today: date) -> QuerySet:
    if rule.code == "arrival.released":
        return Arrival.objects.filter(quarantine__released_at__lt=_due_before(rule, today))
    # NOT EXISTS, not the LEFT JOIN of ``quarantine__isnull``: PostgreSQL turns it into an anti
    # join and so estimates it right, and reads a batch by the primary key instead of sorting
    # the whole table for every batch.
    return Arrival.objects.exclude(
        Exists(Quarantine.objects.filter(arrival=OuterRef("pk")))
    ).filter(
        state__in=NOT_QUARANTINED_STATES,
        arrival_date__lte=rule.cutoff(today),
    )


def _arrival_reference(arrival: Arrival) -> tuple[str, date | None]:
    quarantine = getattr(arrival, "quarantine", None)
    if quarantine is not None:
        return "arrival.released", local_day(quarantine.released_at)
    if arrival.state in NOT_QUARANTINED_STATES:
        return "arrival.not_quarantined", arrival.arrival_date
    return "arrival.not_quarantined", None


def arrival_values(rule: Rule) -> dict:
    """The arrival's columns as anonymization writes them (the bench's bare UPDATE uses them)."""
    keep = rule.keep
    values = {
        "surname_native": "",
        "given_names_native": "",
        "surname_latin": "",
        "given_names_latin": "",
        "document_number": _tilde_id(),
        "mrz": "",
        "phone": "",
        "email": "",
        "seat": "",
        "accreditation_number": "",
        "purpose": "",
        "history": [],
        "transits": [],
        "address": "",
        "onward_destination": "",
        "onward_departure": None,
        "facts": {},
        "updated_at": timezone.now(),
        "date_of_birth": (
            TruncYear("date_of_birth", output_field=DateField())
            if "year_of_birth" in keep
            else Value(PLACEHOLDER_DATE_OF_BIRTH)
        ),
    }
    optional = {
        "sex": {"sex": ""},
        "nationality": {"nationality": ""},
        "language": {"language": ""},
        "category": {"category": ""},
        "symptoms": {"symptoms": []},
        "conditions": {
            "contact_with_cases": False,
            "pregnant": False,
            "severe_condition": False,
            "unaccompanied_minor": False,
        },
    }
    for name, erased in optional.items():
        if name not in keep:
            values.update(erased)
    return values


def _anonymize_arrivals(rule: Rule, batch: Batch) -> int:
    Arrival.objects.filter(pk__in=batch.ids).update(**arrival_values(rule))
    batch.rows(DeclarationRevision, "arrival_id").update(data={}, reason="")
    batch.rows(ConflictingDeclaration, "arrival_id").update(data={}, reason="", client_address=None)
    batch.rows(IdempotencyRecord, "arrival_id").delete()
    batch.rows(HistoryCheck, "arrival_id").update(before=[], after=[], note="")
    batch.rows(Disposition, "arrival_id").update(override_reason="")
    batch.rows(Sample, "arrival_id").update(barcode=Concat(Value("~"), Cast("id", CharField())))
    batch.rows(HandoverIncident, "arrival_id").update(note="", resolution="")
    batch.rows(CorrectionRequest, "arrival_id").update(reason="", resolution="")
    _erase_words_about("arrival", batch)
    events = batch.rows(ArrivalEvent, "arrival_id")
    events.exclude(why="").update(why="")
    # An officer's own words inside an event's parameters (an early release's reason, a note).
    worded = list(events.filter(Q(data__has_key="reason") | Q(data__has_key="note")))
    for event in worded:
        event.data = {k: v for k, v in event.data.items() if k not in {"reason", "note"}}
    ArrivalEvent.objects.bulk_update(worded, ["data"])
    return 0


# --- Assistance cases and consular notifications ------------------------------------------------


def _remove_files_after_commit(names: list[str], storage) -> None:
    def remove():
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(remove)


def _anonymize_cases(rule: Rule, batch: Batch) -> int:
    values = {
        "summary": "",
        "person_name": "",
        "person_name_latin": "",
        "document_number": "",
        "phone": "",
        "search_names": "",
        "search_document": "",
        "location_detail": "",
        "requester_detail": "",
    }
    if "location_city" not in rule.keep:
        values["location_city"] = ""
    if "nationality" not in rule.keep:
        values["nationality"] = ""
    AssistanceCase.objects.filter(pk__in=batch.ids).update(**values)
    batch.rows(CaseEvent, "case_id").update(text="")
    _erase_words_about("case", batch)
    attachments = batch.rows(CaseAttachment, "case_id").exclude(file="")
    names = list(attachments.values_list("file", flat=True))
    attachments.update(file="", original_name="", size=0)
    _remove_files_after_commit(names, CaseAttachment._meta.get_field("file").storage)
    return len(names)


def _case_reference(case: AssistanceCase) -> tuple[str, date | None]:
    return "case.closed", local_day(case.closed_at)


def _notification_closed():
    return Coalesce("acknowledged_at", "cancelled_at")


def _notification_candidates(rule: Rule, today: date) -> QuerySet:
    return ConsularNotification.objects.annotate(closed=_notification_closed()).filter(
        closed__lt=_due_before(rule, today)
    )


def _notification_reference(notification) -> tuple[str, date | None]:
    return "notification.closed", local_day(
        notification.acknowledged_at or notification.cancelled_at
    )


def _anonymize_notifications(rule: Rule, batch: Batch) -> int:
    values = {
        "person_name": "",
        "person_name_latin": "",
        "document_number": "",
        "subject": "",
        "body": "",
        "acknowledgement": "",
        "review_reason": "",
        "cancel_reason": "",
    }
    if "nationality" not in rule.keep:
        values["nationality"] = ""
    ConsularNotification.objects.filter(pk__in=batch.ids).update(**values)
    return 0


# --- Uploaded files and the directory -----------------------------------------------------------


def _anonymize_manifest_entries(rule: Rule, batch: Batch) -> int:
    ManifestEntry.objects.filter(pk__in=batch.ids).update(
        name="", document_number=_tilde_id(), seat=""
    )
    return 0


def _anonymize_results_files(rule: Rule, batch: Batch) -> int:
    files = ResultsImport.objects.filter(pk__in=batch.ids)
    removed = files.exclude(content=b"").count()
    files.update(content=b"", filename="")
    return removed


def _anonymize_people(rule: Rule, batch: Batch) -> int:
    values = {
        # The directory's check wants a name: the placeholder "~<id>".
        "name_native": "",
        "name_latin": _tilde_id(),
        "name_zh": "",
        "phone": "",
        "mobile": "",
        "email": "",
        "accreditation_number": "",
        "notes": "",
        "search_names": "",
    }
    if "title" not in rule.keep:
        values.update(title_zh="", title_en="")
    if "languages" not in rule.keep:
        values["languages"] = []
    Person.objects.filter(pk__in=batch.ids).update(**values)
    return 0


def _anonymize_handovers(rule: Rule, batch: Batch) -> int:
    Handover.objects.filter(pk__in=batch.ids).exclude(note="").update(note="")
    return 0


# --- The duty record: what names nobody by a link -------------------------------------------

_ABOUT_NOBODY = Q(arrival__isnull=True, case__isnull=True)


def _unlinked_entries(rule: Rule, today: date) -> QuerySet:
    """Entries about no traveler or case, nor correcting one that is (a correction names its
    entry, not the entry's traveler: it goes with the entry, ``_erase_words_about``)."""
    return LogEntry.objects.filter(
        _ABOUT_NOBODY,
        Q(corrects__isnull=True) | Q(corrects__arrival__isnull=True, corrects__case__isnull=True),
        recorded_at__lt=_due_before(rule, today),
    )


def _anonymize_entries(rule: Rule, batch: Batch) -> int:
    LogEntry.objects.filter(pk__in=batch.ids).erase_text()
    return 0


def _anonymize_incidents(rule: Rule, batch: Batch) -> int:
    _erase_incidents(Incident.objects.filter(pk__in=batch.ids))
    return 0


KINDS: dict[str, KindSpec] = {
    Kind.ARRIVAL: KindSpec(Arrival, _arrival_candidates, _arrival_reference, _anonymize_arrivals),
    Kind.CASE: KindSpec(
        AssistanceCase,
        lambda rule, today: AssistanceCase.objects.filter(closed_at__lt=_due_before(rule, today)),
        _case_reference,
        _anonymize_cases,
    ),
    Kind.NOTIFICATION: KindSpec(
        ConsularNotification,
        _notification_candidates,
        _notification_reference,
        _anonymize_notifications,
    ),
    Kind.MANIFEST_ENTRY: KindSpec(
        ManifestEntry,
        lambda rule, today: ManifestEntry.objects.filter(flight__date__lte=rule.cutoff(today)),
        lambda entry: ("manifest.flight", entry.flight.date),
        _anonymize_manifest_entries,
    ),
    Kind.RESULTS_FILE: KindSpec(
        ResultsImport,
        lambda rule, today: ResultsImport.objects.filter(uploaded_at__lt=_due_before(rule, today)),
        lambda results_file: ("results_file.uploaded", local_day(results_file.uploaded_at)),
        _anonymize_results_files,
    ),
    Kind.PERSON: KindSpec(
        Person,
        lambda rule, today: Person.objects.filter(until__lte=rule.cutoff(today)),
        lambda person: ("person.left_post", person.until),
        _anonymize_people,
    ),
    Kind.HANDOVER: KindSpec(
        Handover,
        lambda rule, today: Handover.objects.filter(written_at__lt=_due_before(rule, today)),
        lambda handover: ("handover.written", local_day(handover.written_at)),
        _anonymize_handovers,
    ),
    Kind.DUTY_LOG_ENTRY: KindSpec(
        LogEntry,
        _unlinked_entries,
        lambda entry: ("duty_log.written", local_day(entry.recorded_at)),
        _anonymize_entries,
    ),
    # An open incident is never due: closed_at is set only when it closes.
    Kind.INCIDENT: KindSpec(
        Incident,
        lambda rule, today: Incident.objects.filter(
            _ABOUT_NOBODY, closed_at__lt=_due_before(rule, today)
        ),
        lambda incident: ("incident.closed", local_day(incident.closed_at)),
        _anonymize_incidents,
    ),
}
