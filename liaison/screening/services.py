"""Writes of the airport side: the desk, sampling, the laboratory and the disposition.

Each service is one transaction. State changes go through ``liaison.arrivals.states.move``
(the one table of moves; it writes the arrival's event and refuses a stale or invalid move),
records are audited models, and the policy facts stored on the arrival (``Arrival.facts``) are
kept in step in the same transaction, so the what-if preview of a new policy sees what the desk
and the laboratory saw.

Bad input raises ``Refused`` (a translated message naming the field) or ``InvalidMove``; either
way nothing was written.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, NotSupportedError, models, transaction
from django.db.models import F, Func, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from liaison.arrivals import states
from liaison.arrivals.models import Arrival
from liaison.arrivals.services import facts_of
from liaison.arrivals.states import ArrivalState
from liaison.assistance.services import draft_for_disposition, draft_for_dispositions
from liaison.core import audit
from liaison.core.models import Site
from liaison.policy.engine import CompiledPolicy, facts_from_record
from liaison.policy.models import RiskListVersion, RulesVersion
from liaison.policy.selectors import NoPolicyInForce, policy_in_force
from liaison.screening import results_files
from liaison.screening.models import (
    MAX_CELSIUS,
    MIN_CELSIUS,
    Disposition,
    DispositionValue,
    HistoryCheck,
    ImportStatus,
    LabResult,
    ResultsImport,
    ResultSource,
    ResultValue,
    Sample,
    TemperatureReading,
)

S = ArrivalState
# A clock a few minutes fast at the laboratory or the desk is not an impossible time.
CLOCK_SKEW = timedelta(minutes=5)
# Dispositions that send a foreign national somewhere their consulate should hear about.
NOTIFIED = frozenset(
    {
        DispositionValue.HOSPITAL,
        DispositionValue.CENTRALIZED_QUARANTINE,
        DispositionValue.HOME_QUARANTINE,
    }
)
# Where the disposition may still be decided or overridden: before the handover starts.
UNDISPOSED = (S.SCREENED, S.SAMPLED, S.RESULT)
OVERRIDABLE = (S.SCREENED, S.SAMPLED, S.RESULT, S.DISPOSED)
_UNKNOWN_RESULT_VALUES = (None, "negative", "positive", "inconclusive")


class Refused(Exception):  # noqa: N818 - the domain's word
    """The input cannot be accepted; ``message`` says why (translated), ``field`` names what."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def _not_in_future(moment: datetime, field: str) -> datetime:
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > timezone.now() + CLOCK_SKEW:
        raise Refused(_("The time is in the future."), field)
    return moment


def _save_facts(arrival: Arrival, record: dict[str, Any], note: str) -> None:
    Arrival.objects.filter(pk=arrival.pk).update(facts=record)
    arrival.facts = record
    audit.record("update", arrival, fields=["facts"], note=note)


def _require_state(arrival: Arrival, allowed: Iterable[str], message: str) -> None:
    if arrival.state not in set(allowed):
        raise Refused(message % {"state": states.label(arrival.state)}, "state")


# --- the desk ---------------------------------------------------------------------------------


@transaction.atomic
def record_temperature(
    *,
    arrival: Arrival,
    celsius: Decimal | float | str,
    device: str,
    taken_at: datetime | None = None,
    officer,
) -> TemperatureReading:
    """One temperature reading, before the traveler is marked screened. Several are allowed;
    the policy looks at the highest."""
    _require_state(
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
    taken_at = _not_in_future(taken_at or timezone.now(), "taken_at")
    locked = Arrival.objects.select_for_update().get(pk=arrival.pk)
    _require_state(
        locked,
        [S.DECLARED],
        _("Temperatures are recorded before screening ends; this traveler is “%(state)s”."),
    )
    reading = TemperatureReading.objects.create(
        arrival=locked, celsius=value, device=device[:100], taken_at=taken_at, officer=officer
    )
    record = dict(locked.facts)
    record["temperatures"] = [*record.get("temperatures", []), float(value)]
    _save_facts(locked, record, "temperature")
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
    officer,
    note: str = "",
) -> HistoryCheck:
    """The desk officer's check of the residence and travel history.

    ``history`` None (or equal to the declared one) confirms it as declared; a different list
    corrects it: the arrival's history and its policy facts are rebuilt (the temperatures and
    any result carried over) and both versions are kept on the check for the timeline.
    """
    _require_state(
        arrival,
        [S.DECLARED],
        _("The history is checked before screening ends; this traveler is “%(state)s”."),
    )
    locked = Arrival.objects.select_for_update().get(pk=arrival.pk)
    _require_state(
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
def screen(*, arrival: Arrival, officer, where: str = "") -> Disposition | None:
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
        why="screened at the desk",
        data={"readings": len(readings), "max_celsius": str(max(readings)[0]) if readings else ""},
    )
    arrival.facts = Arrival.objects.values_list("facts", flat=True).get(pk=arrival.pk)
    return _dispose_if_settled(arrival, by=officer)


# --- sampling ---------------------------------------------------------------------------------


def clean_barcode(barcode: str) -> str:
    value = (barcode or "").strip()
    if not value:
        raise Refused(_("Scan the tube barcode."), "barcode")
    if len(value) > 40 or not all(c.isalnum() or c in "-_." for c in value):
        raise Refused(_("A tube barcode is up to 40 letters, digits, dashes or dots."), "barcode")
    return value


@transaction.atomic
def register_sample(
    *,
    arrival: Arrival,
    barcode: str,
    site: Site,
    collector,
    collected_at: datetime | None = None,
) -> Sample:
    """The sample in one tube. A barcode is used once; a traveler is sampled once, except after
    an inconclusive result (the old tube is then replaced)."""
    barcode = clean_barcode(barcode)
    if site is None or site.kind != Site.Kind.SAMPLING_SITE:
        raise Refused(_("Choose a sampling site."), "site")
    collected_at = _not_in_future(collected_at or timezone.now(), "collected_at")
    used = Sample.objects.filter(barcode=barcode).first()
    if used is not None:
        raise Refused(
            _("The tube barcode %(barcode)s is already used; take a new tube.")
            % {"barcode": barcode},
            "barcode",
        )
    if arrival.state == S.SAMPLED:
        raise Refused(
            _(
                "This traveler was already sampled; a second sample is taken only after an "
                "inconclusive result."
            ),
            "state",
        )
    if arrival.state == S.DISPOSED:
        raise Refused(
            _("The policy already decided this traveler's disposition; no sample is taken."),
            "state",
        )
    resample = arrival.state == S.RESULT
    if resample and Sample.objects.filter(arrival=arrival, superseded=False).exists():
        raise Refused(
            _("This traveler has a result; a re-sample follows only an inconclusive one."),
            "state",
        )
    states.move(
        arrival,
        S.SAMPLED,
        actor=collector,
        where=site.name,
        why="re-sample after an inconclusive result" if resample else "sampled",
        data={"barcode": barcode, "site": site.code},
    )
    try:
        with transaction.atomic():
            sample = Sample.objects.create(
                arrival=arrival,
                barcode=barcode,
                site=site,
                collector=collector,
                collected_at=collected_at,
            )
    except IntegrityError:
        # Another desk used the same tube at the same moment.
        raise Refused(
            _("The tube barcode %(barcode)s is already used; take a new tube.")
            % {"barcode": barcode},
            "barcode",
        ) from None
    if resample:
        record = dict(Arrival.objects.values_list("facts", flat=True).get(pk=arrival.pk))
        record["test_result"] = None
        _save_facts(arrival, record, "re-sample")
    return sample


# --- the laboratory ---------------------------------------------------------------------------

RESULT_WORDS = {
    "negative": ResultValue.NEGATIVE,
    "neg": ResultValue.NEGATIVE,
    "-": ResultValue.NEGATIVE,
    "阴性": ResultValue.NEGATIVE,
    "positive": ResultValue.POSITIVE,
    "pos": ResultValue.POSITIVE,
    "+": ResultValue.POSITIVE,
    "阳性": ResultValue.POSITIVE,
    "inconclusive": ResultValue.INCONCLUSIVE,
    "invalid": ResultValue.INCONCLUSIVE,
    "不确定": ResultValue.INCONCLUSIVE,
    "可疑": ResultValue.INCONCLUSIVE,
}


def clean_result_value(value: str) -> ResultValue:
    word = str(value or "").strip().lower()
    if word not in RESULT_WORDS:
        raise Refused(
            _("Unknown result “%(value)s”: use negative, positive or inconclusive.")
            % {"value": str(value or "")[:40]},
            "result",
        )
    return RESULT_WORDS[word]


@dataclass(frozen=True)
class ResultRecorded:
    result: LabResult
    created: bool  # False: the same result for this tube was already recorded; nothing changed
    disposition: Disposition | None = None


def _check_result(
    sample: Sample | None, value: ResultValue, tested_at: datetime
) -> LabResult | None:
    """Refuse what cannot be this tube's result; return the existing one if it is the same."""
    if sample is None:
        raise Refused(_("Unknown tube barcode."), "barcode")
    existing = getattr(sample, "result", None) if _has_result(sample) else None
    if existing is not None:
        if existing.result == value:
            return existing
        raise Refused(
            _("This tube already has a different result (%(result)s).")
            % {"result": ResultValue(existing.result).label},
            "result",
        )
    if sample.superseded:
        raise Refused(_("This tube was replaced by a re-sample."), "barcode")
    if tested_at > timezone.now() + CLOCK_SKEW:
        raise Refused(_("The test time is in the future."), "tested_at")
    # Officers and files give minutes: a test in the minute of the sampling is not before it.
    if tested_at < sample.collected_at.replace(second=0, microsecond=0):
        raise Refused(_("The test time is before the sample was collected."), "tested_at")
    if sample.arrival.state != S.SAMPLED:
        raise Refused(
            _("The traveler is not waiting for a result (they are “%(state)s”).")
            % {"state": states.label(sample.arrival.state)},
            "barcode",
        )
    return None


def _has_result(sample: Sample) -> bool:
    try:
        sample.result  # noqa: B018 - loads the reverse one-to-one
    except LabResult.DoesNotExist:
        return False
    return True


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _record_result(
    sample: Sample,
    value: ResultValue,
    *,
    lab: str,
    tested_at: datetime,
    reported_by,
    source: ResultSource | str,
    batch: ResultsImport | None,
    policy: tuple | None,
) -> ResultRecorded:
    existing = _check_result(sample, value, tested_at)
    if existing is not None:
        return ResultRecorded(existing, created=False)
    arrival = sample.arrival
    states.move(
        arrival,
        S.RESULT,
        actor=reported_by,
        where=lab[:200],
        why=f"laboratory result: {value}",
        data={"barcode": sample.barcode, "result": str(value)},
    )
    result = LabResult.objects.create(
        sample=sample,
        result=value,
        lab=lab[:200],
        tested_at=tested_at,
        reported_by=reported_by,
        source=source,
        batch=batch,
    )
    if value == ResultValue.INCONCLUSIVE:
        sample.superseded = True
        sample.save(update_fields=["superseded"])
    record = dict(Arrival.objects.values_list("facts", flat=True).get(pk=arrival.pk))
    record["test_result"] = str(value)
    _save_facts(arrival, record, "test result")
    disposition = _dispose_if_settled(arrival, by=reported_by, policy=policy)
    return ResultRecorded(result, created=True, disposition=disposition)


@transaction.atomic
def record_result(
    *,
    barcode: str,
    result: str,
    lab: str,
    tested_at: datetime,
    reported_by,
    source: ResultSource | str = ResultSource.UI,
) -> ResultRecorded:
    """One laboratory result for one tube, then the disposition if the facts now allow it.

    The same result for the same tube again (a retry) changes nothing; a different one, an
    unknown barcode, an impossible time or an unknown value is refused.
    """
    barcode = clean_barcode(barcode)
    value = clean_result_value(result)
    lab = (lab or "").strip()
    if not lab:
        raise Refused(_("Name the laboratory."), "lab")
    sample = Sample.objects.select_related("arrival").filter(barcode=barcode).first()
    return _record_result(
        sample,
        value,
        lab=lab,
        tested_at=_aware(tested_at),
        reported_by=reported_by,
        source=source,
        batch=None,
        policy=None,
    )


# --- results files ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BadRow:
    line: int
    barcode: str
    reason: str


@dataclass
class Preview:
    filename: str
    digest: str
    rows: int = 0
    good_rows: list[results_files.Row] = field(default_factory=list)
    unchanged_rows: list[results_files.Row] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    already_imported: ResultsImport | None = None


def _samples_by_barcode(barcodes: list[str]) -> dict[str, Sample]:
    found: dict[str, Sample] = {}
    for start in range(0, len(barcodes), 2000):
        chunk = barcodes[start : start + 2000]
        samples = Sample.objects.select_related("arrival", "result").filter(barcode__in=chunk)
        found.update((s.barcode, s) for s in samples)
    return found


def _sort(content: bytes, filename: str) -> tuple[Preview, dict[str, Sample]]:
    digest = hashlib.sha256(content).hexdigest()
    preview = Preview(filename=filename, digest=digest)
    preview.already_imported = ResultsImport.objects.filter(
        digest=digest, status=ImportStatus.SAVED
    ).first()
    parsed = results_files.read_once(content, filename)  # parsed when staged; not again
    preview.rows = parsed.rows_seen
    preview.bad_rows.extend(BadRow(p.line, p.barcode, p.reason) for p in parsed.problems)
    samples = _samples_by_barcode([r.barcode for r in parsed.rows])
    seen: dict[str, results_files.Row] = {}
    for row in parsed.rows:
        earlier = seen.get(row.barcode)
        if earlier is not None:
            if earlier.result != row.result:
                preview.bad_rows.append(
                    BadRow(
                        row.line,
                        row.barcode,
                        _("The barcode is also on line %(line)s with another result.")
                        % {"line": earlier.line},
                    )
                )
            else:
                preview.unchanged_rows.append(row)
            continue
        try:
            existing = _check_result(samples.get(row.barcode), row.result, row.tested_at)
        except Refused as refused:
            preview.bad_rows.append(BadRow(row.line, row.barcode, refused.message))
            continue
        seen[row.barcode] = row
        (preview.unchanged_rows if existing is not None else preview.good_rows).append(row)
    preview.bad_rows.sort(key=lambda bad: bad.line)
    return preview, samples


def preview_results_file(*, file: bytes, filename: str) -> Preview:
    """Read a CSV or XLSX results file and sort its rows, writing nothing: the rows that would be
    saved, those already recorded, and each bad row with its line number and reason."""
    preview, _samples = _sort(file, filename)
    return preview


@transaction.atomic
def stage_results_file(*, file: bytes, filename: str, lab: str, uploaded_by) -> ResultsImport:
    """Keep an uploaded file between its preview and the officer's confirmation. A file refused
    whole (too large once unpacked, entities in its XML, not a workbook) is not kept: ``Refused``
    on the ``file`` field. Its parse is kept for the preview and the save (``read_once``)."""
    lab = (lab or "").strip()
    if not lab:
        raise Refused(_("Name the laboratory."), "lab")
    parsed = results_files.read_once(file, filename)
    if parsed.refused:
        raise Refused(parsed.refused, "file")
    return ResultsImport.objects.create(
        digest=hashlib.sha256(file).hexdigest(),
        filename=filename[:200],
        content=file,
        lab=lab[:200],
        uploaded_by=uploaded_by,
    )


@dataclass(frozen=True)
class Imported:
    batch: ResultsImport
    saved: int
    unchanged: int
    bad_rows: list[BadRow]
    already_imported: bool  # the same file was saved before: nothing changed


def import_results_file(
    *,
    file: bytes,
    filename: str,
    lab: str,
    reported_by,
    staged: ResultsImport | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Imported:
    """Save every good row of a results file in one transaction (bad rows are skipped and
    listed, as the preview showed them). The same file again changes nothing — unless rows that
    were bad when it was saved are good now (a tube registered since): those are saved, in the
    same file's record.

    The rows are saved set-based (``_save_results``): the same records, moves, events, audit
    entries and consular drafts as ``record_result`` writes for each, a table at a time. If a
    traveler of the file was moved by someone else meanwhile, nothing is saved (``Refused``).

    ``progress(done, total)`` is called every few hundred rows, for a page to show.
    """
    lab = (lab or "").strip()
    if not lab:
        raise Refused(_("Name the laboratory."), "lab")
    with transaction.atomic():
        done = ResultsImport.objects.filter(
            digest=hashlib.sha256(file).hexdigest(), status=ImportStatus.SAVED, bad=0
        ).first()
        if done is not None:
            # Every row was saved or already recorded: nothing can change; no need to read it.
            return Imported(done, 0, done.rows, [], already_imported=True)
        preview, samples = _sort(file, filename)
        earlier = preview.already_imported
        if earlier is not None and not preview.good_rows:
            return Imported(
                earlier, 0, len(preview.unchanged_rows), preview.bad_rows, already_imported=True
            )
        if earlier is not None:
            batch = earlier
            batch.saved += len(preview.good_rows)
            if staged is not None and staged.pk != earlier.pk:
                staged.delete()  # the file is kept once, in its first record
        else:
            batch = staged or ResultsImport(
                digest=preview.digest,
                filename=filename[:200],
                content=file,
                lab=lab[:200],
                uploaded_by=reported_by,
            )
            batch.saved = len(preview.good_rows)
        batch.status = ImportStatus.SAVED
        batch.rows = preview.rows
        batch.unchanged = len(preview.unchanged_rows)
        batch.bad = len(preview.bad_rows)
        batch.saved_at = timezone.now()
        batch.save()
        _save_results(
            preview.good_rows,
            samples,
            lab=lab,
            reported_by=reported_by,
            batch=batch,
            progress=progress,
        )
    return Imported(
        batch, len(preview.good_rows), len(preview.unchanged_rows), preview.bad_rows, False
    )


def _changed_meanwhile(count: int) -> Refused:
    return Refused(
        ngettext(
            "%(count)s traveler of this file was moved by someone else while the file was being "
            "saved; nothing was saved. Preview the file again.",
            "%(count)s travelers of this file were moved by someone else while the file was "
            "being saved; nothing was saved. Preview the file again.",
            count,
        )
        % {"count": count},
        "state",
    )


def _save_results(
    rows: list[results_files.Row],
    samples: Mapping[str, Sample],
    *,
    lab: str,
    reported_by,
    batch: ResultsImport,
    progress: Callable[[int, int], None] | None,
) -> None:
    """The good rows of a results file, saved set-based: for each row what ``_record_result``
    writes for one result, written a table at a time inside the caller's transaction.

    1. The rows' travelers are locked and read in one query; each must still be waiting for its
       result (someone may have moved one since the rows were sorted), else nothing is saved.
    2. In Python, for each traveler: the result row, the new facts and, with the policy in force
       (read once), the decision when the facts now allow one — the engine is pure and fast.
    3. Bulk writes, each with the audit entries the single path writes: the results; the move
       sampled → result (conditional on the state, as every move: ``states.move_many``); the
       facts; the tubes an inconclusive result replaces; the decisions (a current decision that
       differs steps down); the move result → disposition; the consulates' drafts.
    """
    total = len(rows)
    if not total:
        return
    policy = _policy_or_none()
    if policy is None:
        raise Refused(_("No screening policy is in force; ask an administrator."), "policy")
    rules, risk, compiled = policy
    ids = [samples[row.barcode].arrival_id for row in rows]
    locked = _locked_arrivals(ids)
    waiting = sum(1 for pk in ids if pk in locked and locked[pk].state == S.SAMPLED)
    if waiting != len(ids):
        raise _changed_meanwhile(len(ids) - waiting)
    current = _current_dispositions(ids)

    results: list[LabResult] = []
    replaced: list[int] = []  # tubes of inconclusive results
    to_result: list[states.Step] = []
    to_disposed: list[states.Step] = []
    stepped_down: list[int] = []
    decisions: list[Disposition] = []
    told: list[tuple[Arrival, str]] = []
    for done, row in enumerate(rows, start=1):
        sample = samples[row.barcode]
        arrival = locked[sample.arrival_id]
        value = row.result
        where = (row.lab or lab)[:200]
        results.append(
            LabResult(
                sample=sample,
                result=value,
                lab=where,
                tested_at=row.tested_at,
                reported_by=reported_by,
                source=ResultSource.FILE,
                batch=batch,
            )
        )
        to_result.append(
            states.Step(
                arrival,
                where=where,
                why=f"laboratory result: {value}",
                data={"barcode": sample.barcode, "result": str(value)},
            )
        )
        if value == ResultValue.INCONCLUSIVE:
            replaced.append(sample.pk)
        record = dict(arrival.facts)
        record["test_result"] = str(value)
        arrival.facts = record
        facts = facts_from_record(record)
        if settled(compiled, facts):
            decision = compiled.evaluate(facts)
            stored = {
                **decision.as_dict(),
                "rules_version_id": rules.pk,
                "risk_list_version_id": risk.pk,
            }
            # As in ``_dispose``: the policy's same decision stands; anything else steps down.
            previous = current.get(arrival.pk)
            policy_said = previous if previous is not None and not previous.is_override else None
            if policy_said is None or policy_said.decision != stored:
                if previous is not None:
                    stepped_down.append(previous.pk)
                decisions.append(
                    Disposition(
                        arrival=arrival,
                        disposition=decision.disposition.value,
                        decision=stored,
                        rule_id=decision.rule_id,
                        rules_version=rules,
                        risk_list_version=risk,
                        decided_by=reported_by,
                    )
                )
                told.append((arrival, decision.disposition.value))
            to_disposed.append(
                states.Step(
                    arrival,
                    why=f"policy {rules.version} / {risk.version}, rule {decision.rule_id}",
                    data={"disposition": decision.disposition.value, "rule_id": decision.rule_id},
                )
            )
        if progress is not None and done % 250 == 0 and done < total:
            progress(done, total)

    per_insert = states.INSERT_BATCH
    try:
        results = LabResult.objects.bulk_create(results, batch_size=per_insert)
        audit.record_many("create", LabResult, [r.pk for r in results])
        states.move_many(to_result, S.RESULT, actor=reported_by)
        # The facts: one UPDATE per result value (the one fact a result changes).
        for value in {str(row.result) for row in rows}:
            chosen = [pk for pk, row in zip(ids, rows, strict=True) if str(row.result) == value]
            for chunk in states.in_chunks(chosen):
                Arrival.objects.filter(pk__in=chunk).update(facts=_WithTestResult(value))
        audit.record_many("update", Arrival, ids, fields=["facts"], note="test result")
        for chunk in states.in_chunks(replaced):
            Sample.objects.filter(pk__in=chunk).update(superseded=True)
        audit.record_many("update", Sample, replaced, fields=["superseded"])
        for chunk in states.in_chunks(stepped_down):
            Disposition.objects.filter(pk__in=chunk).update(is_current=False)
        audit.record_many("update", Disposition, stepped_down, fields=["is_current"])
        decisions = Disposition.objects.bulk_create(decisions, batch_size=per_insert)
        audit.record_many("create", Disposition, [d.pk for d in decisions])
        states.move_many(to_disposed, S.DISPOSED, actor=reported_by)
    except states.ChangedMeanwhile as changed:
        raise _changed_meanwhile(changed.changed) from None
    notify_consulates(decided=told, decided_by=reported_by)
    if progress is not None:
        progress(total, total)


class _WithTestResult(Func):
    """An arrival's ``facts`` with "test_result" set, computed by the database.

    The test result is the one fact a result changes, so a file's facts are one UPDATE per
    result value (``bulk_update`` would build a CASE of 10,000 branches in Python, and one
    UPDATE per row costs as many round trips).
    """

    output_field = models.JSONField()

    def __init__(self, value: str):
        super().__init__(F("facts"), Value(value))

    def _compiled(self, compiler):
        (facts, facts_params), (value, value_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        return facts, value, [*facts_params, *value_params]

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError("Liaison runs on SQLite and PostgreSQL")

    def as_sqlite(self, compiler, connection, **extra):
        facts, value, params = self._compiled(compiler)
        return f"json_set({facts}, '$.test_result', {value})", params

    def as_postgresql(self, compiler, connection, **extra):
        facts, value, params = self._compiled(compiler)
        return f"jsonb_set({facts}, '{{test_result}}', to_jsonb({value}::text))", params


# What the save reads of each traveler: the state, the facts, and who a consulate is told about.
LOCKED_FIELDS = (
    "state",
    "facts",
    "surname_native",
    "given_names_native",
    "surname_latin",
    "given_names_latin",
    "nationality",
    "document_number",
    "jurisdiction",
)


def _locked_arrivals(ids: list[int]) -> dict[int, Arrival]:
    """The arrivals, locked for this transaction (in id order, so that two imports sharing
    travelers wait for each other instead of deadlocking)."""
    locked: dict[int, Arrival] = {}
    for chunk in states.in_chunks(ids):
        queryset = (
            Arrival.objects.select_for_update(of=("self",))
            .select_related("jurisdiction")
            .only(*LOCKED_FIELDS)
            .filter(pk__in=chunk)
            .order_by("pk")
        )
        locked.update((arrival.pk, arrival) for arrival in queryset)
    return locked


def _current_dispositions(ids: list[int]) -> dict[int, Disposition]:
    current: dict[int, Disposition] = {}
    for chunk in states.in_chunks(ids):
        queryset = Disposition.objects.select_for_update().filter(
            arrival_id__in=chunk, is_current=True
        )
        current.update((d.arrival_id, d) for d in queryset)
    return current


# --- the disposition --------------------------------------------------------------------------


def _policy_or_none() -> tuple[RulesVersion, RiskListVersion, CompiledPolicy] | None:
    try:
        return policy_in_force()
    except NoPolicyInForce:
        return None


def settled(policy: CompiledPolicy, facts) -> bool:
    """Can the policy decide now? Yes once the test result is known (negative or positive), or
    before it when every possible result leads to the same disposition (under the default
    policy: fever or symptoms send the traveler to hospital whatever the test says)."""
    if facts.test_result in ("negative", "positive"):
        return True
    outcomes = {
        policy.evaluate(dataclasses.replace(facts, test_result=value)).disposition
        for value in _UNKNOWN_RESULT_VALUES
    }
    return len(outcomes) == 1


class NotYetDecidable(Refused):
    pass


def _dispose(arrival: Arrival, *, by, policy: tuple | None) -> Disposition:
    _require_state(
        arrival,
        UNDISPOSED,
        _("A disposition is decided before the handover; this traveler is “%(state)s”."),
    )
    policy = policy or _policy_or_none()
    if policy is None:
        raise Refused(_("No screening policy is in force; ask an administrator."), "policy")
    rules, risk, compiled = policy
    facts = facts_from_record(arrival.facts)
    if not settled(compiled, facts):
        raise NotYetDecidable(
            _("The disposition depends on the test result, which is not known yet."), "state"
        )
    decision = compiled.evaluate(facts)
    record = {
        **decision.as_dict(),
        "rules_version_id": rules.pk,
        "risk_list_version_id": risk.pk,
    }
    current = Disposition.objects.select_for_update().filter(arrival=arrival, is_current=True)
    current = current.first()
    same = current is not None and not current.is_override and current.decision == record
    if not same:
        if current is not None:
            current.is_current = False
            current.save(update_fields=["is_current"])
        current = Disposition.objects.create(
            arrival=arrival,
            disposition=decision.disposition.value,
            decision=record,
            rule_id=decision.rule_id,
            rules_version=rules,
            risk_list_version=risk,
            decided_by=by,
        )
    # Decided at screening (before any test) or on the result: the traveler moves on. A
    # traveler still sampled keeps waiting for the result, which decides again.
    if arrival.state in (S.SCREENED, S.RESULT):
        states.move(
            arrival,
            S.DISPOSED,
            actor=by,
            where="",
            why=f"policy {rules.version} / {risk.version}, rule {decision.rule_id}",
            data={"disposition": decision.disposition.value, "rule_id": decision.rule_id},
        )
    if not same:
        notify_consulate(arrival=arrival, disposition=current.disposition, decided_by=by)
    return current


def _dispose_if_settled(arrival: Arrival, *, by, policy: tuple | None = None) -> Disposition | None:
    try:
        return _dispose(arrival, by=by, policy=policy)
    except NotYetDecidable:
        return None


@transaction.atomic
def dispose(*, arrival: Arrival, by=None) -> Disposition:
    """Decide the traveler's disposition with the policy in force and store it with its
    versions and explanation; a traveler screened or with a result moves to "disposition
    decided".

    Called by the pipeline itself after screening and after each result; raises
    ``Refused`` when the facts do not allow a decision yet (the test result is still needed).
    """
    arrival.facts = Arrival.objects.values_list("facts", flat=True).get(pk=arrival.pk)
    return _dispose(arrival, by=by, policy=None)


@transaction.atomic
def override_disposition(
    *, arrival: Arrival, disposition: str, reason: str, officer
) -> Disposition:
    """An officer's different disposition, with their written reason (audited; on the timeline).

    The policy's decision stays on the record it departs from; the override becomes current.
    """
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Write the reason for overriding the policy's disposition."), "reason")
    if disposition not in DispositionValue.values:
        raise Refused(_("Choose a disposition."), "disposition")
    _require_state(
        arrival,
        OVERRIDABLE,
        _("Overrides are made before the handover; this traveler is “%(state)s”."),
    )
    current = Disposition.objects.select_for_update().filter(arrival=arrival, is_current=True)
    current = current.first()
    if current is None:
        raise Refused(_("The policy has not decided yet; there is nothing to override."), "state")
    if current.disposition == disposition:
        raise Refused(
            _("The disposition is already “%(value)s”.")
            % {"value": DispositionValue(disposition).label},
            "disposition",
        )
    current.is_current = False
    current.save(update_fields=["is_current"])
    override = Disposition.objects.create(
        arrival=arrival,
        disposition=disposition,
        decision=current.decision,
        rule_id=current.rule_id,
        rules_version_id=current.rules_version_id,
        risk_list_version_id=current.risk_list_version_id,
        decided_by=officer,
        overridden_by=officer,
        override_reason=reason[:2000],
    )
    notify_consulate(arrival=arrival, disposition=disposition, decided_by=officer)
    return override


@transaction.atomic
def transfer_to_hospital(*, arrival: Arrival, officer, where: str = "", why: str = ""):
    """Hand the traveler to a designated hospital (an end of the pipeline). Without a hospital
    disposition the officer says why."""
    current = Disposition.objects.filter(arrival=arrival, is_current=True).first()
    hospital = current is not None and current.disposition == DispositionValue.HOSPITAL
    why = (why or "").strip()
    if not hospital and not why:
        raise Refused(_("Say why the traveler goes to hospital."), "why")
    return states.move(
        arrival,
        S.IN_HOSPITAL,
        actor=officer,
        where=where,
        why=why or "designated hospital (disposition)",
    )


def notify_consulate(*, arrival: Arrival, disposition: str, decided_by=None):
    """Draft the notification to the traveler's consulate, through the assistance desk.

    The hook between the pipeline and the consulate directory: ``draft_for_disposition`` decides
    who is told (foreign nationals, hospital or quarantine, a mission serving them).
    """
    if disposition not in NOTIFIED:
        return None
    return draft_for_disposition(arrival=arrival, disposition=disposition, decided_by=decided_by)


def notify_consulates(*, decided: Iterable[tuple[Arrival, str]], decided_by=None):
    """``notify_consulate`` for many dispositions at once (a results file), set-based."""
    return draft_for_dispositions(
        decided=[(arrival, value) for arrival, value in decided if value in NOTIFIED],
        decided_by=decided_by,
    )
