"""A laboratory's results file: its preview, its staging between preview and confirmation, and
its save — every good row at once, in one transaction.

The file is read by ``results_files`` (the parser). Each row is checked as one result is
(``results.check_tube``) and decided as one traveler is (``dispositions.decision_for``); the
rows are then written a table at a time (``bench/lab_results.py`` measures why).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.db import NotSupportedError, models, transaction
from django.db.models import F, Func, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from liaison.arrivals import states
from liaison.arrivals.models import Arrival
from liaison.core import audit, bulk_rows
from liaison.core.models import Jurisdiction, User
from liaison.core.refusals import Conflict, Refused
from liaison.screening import results_files
from liaison.screening.common import S
from liaison.screening.dispositions import decision_for, notify_consulates, policy_or_refuse
from liaison.screening.models import (
    Disposition,
    ImportStatus,
    LabResult,
    ResultsImport,
    ResultSource,
    ResultValue,
    Sample,
)
from liaison.screening.results import Tube, check_tube, result_step


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


def _tubes_by_barcode(barcodes: list[str]) -> dict[str, Tube]:
    """The file's tubes as checking their rows reads them, in one query."""
    rows = (
        Sample.objects.filter(barcode__among=barcodes)
        .order_by()
        .values_list(
            "pk",
            "barcode",
            "arrival_id",
            "superseded",
            "collected_at",
            "arrival__state",
            "result__result",
        )
    )
    return {row[1]: Tube(*row) for row in rows}


def _sort(content: bytes, filename: str) -> tuple[Preview, dict[str, Tube]]:
    digest = hashlib.sha256(content).hexdigest()
    preview = Preview(filename=filename, digest=digest)
    preview.already_imported = ResultsImport.objects.filter(
        digest=digest, status=ImportStatus.SAVED
    ).first()
    parsed = results_files.read_once(content, filename)  # parsed when staged; not again
    preview.rows = parsed.rows_seen
    preview.bad_rows.extend(BadRow(p.line, p.barcode, p.reason) for p in parsed.problems)
    samples = _tubes_by_barcode([r.barcode for r in parsed.rows])
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
            recorded = check_tube(samples.get(row.barcode), row.result, row.tested_at)
        except Refused as refused:
            preview.bad_rows.append(BadRow(row.line, row.barcode, refused.message))
            continue
        seen[row.barcode] = row
        (preview.unchanged_rows if recorded else preview.good_rows).append(row)
    preview.bad_rows.sort(key=lambda bad: bad.line)
    return preview, samples


def preview_results_file(*, file: bytes, filename: str) -> Preview:
    """Read a CSV or XLSX results file and sort its rows, writing nothing: the rows that would be
    saved, those already recorded, and each bad row with its line number and reason."""
    preview, _samples = _sort(file, filename)
    return preview


@transaction.atomic
def stage_results_file(*, file: bytes, filename: str, lab: str, uploaded_by: User) -> ResultsImport:
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
    reported_by: User,
    staged: ResultsImport | None = None,
) -> Imported:
    """Save every good row of a results file in one transaction (bad rows are skipped and
    listed, as the preview showed them). The same file again changes nothing — unless rows that
    were bad when it was saved are good now (a tube registered since): those are saved, in the
    same file's record.

    The rows are saved set-based (``_save_results``): the same records, moves, events, audit
    entries and consular drafts as ``record_result`` writes for each, a table at a time. If a
    traveler of the file was moved by someone else meanwhile, nothing is saved (``Refused``).
    """
    lab = (lab or "").strip()
    if not lab:
        raise Refused(_("Name the laboratory."), "lab")
    with bulk_rows.collector_paused(), transaction.atomic():
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
        )
    return Imported(
        batch, len(preview.good_rows), len(preview.unchanged_rows), preview.bad_rows, False
    )


def save_results_file(*, staged: ResultsImport, reported_by: User) -> Imported:
    """Save a staged file (previewed by the officer who uploaded it): ``import_results_file``
    with the staged content, laboratory and record."""
    return import_results_file(
        file=bytes(staged.content),
        filename=staged.filename,
        lab=staged.lab,
        reported_by=reported_by,
        staged=staged,
    )


def _changed_meanwhile(count: int) -> Conflict:
    return Conflict(
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
    samples: Mapping[str, Tube],
    *,
    lab: str,
    reported_by: User,
    batch: ResultsImport,
) -> None:
    """The good rows of a results file, saved set-based: for each row what ``record_result``
    writes for one result, written a table at a time inside the caller's transaction.

    1. The rows' travelers are locked and read in one query; each must still be waiting for its
       result (someone may have moved one since the rows were sorted), else nothing is saved.
    2. In Python, for each traveler: the result row, the new facts and, with the policy in force
       (read once), the decision when the facts now allow one — the engine is pure and fast.
    3. Bulk writes, with the audit entries the single path writes (one per table and kind of
       change, naming its records): the results; each traveler's moves sampled → result →
       disposition with the new facts, one conditional UPDATE per group of travelers taking
       the same path (``states.move_many``) and an event per move; the tubes an inconclusive
       result replaces; the decisions (a current decision that differs steps down); the
       consulates' drafts.
    """
    if not rows:
        return
    policy = policy_or_refuse()
    ids = [samples[row.barcode].arrival_id for row in rows]
    locked = _locked_arrivals(ids)
    waiting = sum(1 for pk in ids if pk in locked and locked[pk].state == S.SAMPLED)
    if waiting != len(ids):
        raise _changed_meanwhile(len(ids) - waiting)
    current = _current_dispositions(ids)

    results: list[dict] = []  # columns: bulk_rows.insert_values
    replaced: list[int] = []  # tubes of inconclusive results
    paths: list[states.Path] = []
    set_facts: dict[str, tuple] = {}
    stepped_down: list[int] = []
    decisions: list[dict] = []
    told: list[tuple[Traveler, str]] = []
    for row in rows:
        sample = samples[row.barcode]
        arrival = locked[sample.arrival_id]
        value = row.result
        where = (row.lab or lab)[:200]
        results.append(
            {
                "sample_id": sample.pk,
                "result": value,
                "lab": where,
                "tested_at": row.tested_at,
                "reported_by_id": reported_by.pk,
                "source": ResultSource.FILE,
                "batch_id": batch.pk,
            }
        )
        if value == ResultValue.INCONCLUSIVE:
            replaced.append(sample.pk)
        arrival.facts = {**arrival.facts, "test_result": str(value)}
        moves = [(S.RESULT, result_step(arrival, sample.barcode, value, lab=where))]
        decision = decision_for(arrival.facts, policy)
        if decision is not None:  # else it waits for a re-sample's result
            previous = current.get(arrival.pk)
            if not decision.stands(previous):
                if previous is not None:
                    stepped_down.append(previous.pk)
                decisions.append(decision.disposition_values(arrival.pk, by=reported_by))
                told.append((arrival, decision.disposition))
            moves.append((S.DISPOSED, decision.step(arrival)))
        # The test result is the one fact a result changes: set by the database, in the move.
        if value not in set_facts:  # one expression per value (they are grouped by it)
            set_facts[value] = (("facts", _WithTestResult(str(value))),)
        paths.append(states.Path(arrival, tuple(moves), also=set_facts[value]))

    try:
        audit.record_many("create", LabResult, bulk_rows.insert_values(LabResult, results))
        states.move_many(paths, actor=reported_by)
        audit.record_many("update", Arrival, ids, fields=["facts"], note="test result")
        Sample.objects.filter(pk__among=replaced).update(superseded=True)
        audit.record_many("update", Sample, replaced, fields=["superseded"])
        Disposition.objects.filter(pk__among=stepped_down).update(is_current=False)
        audit.record_many("update", Disposition, stepped_down, fields=["is_current"])
        audit.record_many("create", Disposition, bulk_rows.insert_values(Disposition, decisions))
    except states.ChangedMeanwhile as changed:
        raise _changed_meanwhile(changed.changed) from None
    notify_consulates(decided=told, decided_by=reported_by)


class _WithTestResult(Func):
    """An arrival's ``facts`` with "test_result" set, computed by the database.

    The test result is the one fact a result changes, so a file's facts are written in the
    moves' UPDATEs, one per result value and path (``bulk_update`` would build a CASE of
    10,000 branches in Python, and one UPDATE per row costs as many round trips).
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
    "document_type",
    "document_number",
)


@dataclass(slots=True)
class Traveler:
    """A traveler of the file as the save locked and read it: the columns of ``LOCKED_FIELDS``
    and the jurisdiction, where an ``Arrival`` instance would have some fifty. The moves
    (``states.move_many``) and the consulates' drafts (``consular.Person.of_arrival``) take it
    as they take an arrival; ``move_many`` sets its state as it moves it."""

    pk: int
    state: str
    facts: dict
    surname_native: str
    given_names_native: str
    surname_latin: str
    given_names_latin: str
    nationality: str
    document_type: str
    document_number: str
    jurisdiction: Jurisdiction | None
    updated_at: datetime | None = None


def _locked_arrivals(ids: list[int]) -> dict[int, Traveler]:
    """The arrivals, locked for this transaction (in id order, so that two imports sharing
    travelers wait for each other instead of deadlocking), read as values: 10,000 model
    instances cost a tenth of a 10,000-row save (``bench/lab_results.py``)."""
    rows = list(
        Arrival.objects.select_for_update()
        .filter(pk__among=ids)
        .order_by("pk")
        .values_list("pk", *LOCKED_FIELDS, "jurisdiction_id")
    )
    places = Jurisdiction.objects.in_bulk({row[-1] for row in rows} - {None})
    return {row[0]: Traveler(*row[:-1], places.get(row[-1])) for row in rows}


def _current_dispositions(ids: list[int]) -> dict[int, Disposition]:
    queryset = (
        Disposition.objects.select_for_update()
        .filter(arrival_id__among=ids, is_current=True)
        .order_by()  # not the model's ordering, which joins the arrivals
    )
    return {d.arrival_id: d for d in queryset}
