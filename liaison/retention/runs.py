"""A retention run: every rule's due records anonymized in batches, each batch one transaction,
and a receipt per rule.

1. The due records of a rule are its candidates (``kinds``) not yet anonymized and not held.
2. A batch takes the next ``batch_size`` candidates by id (after the last batch's last one, so
   a million records are read once), leaves out those already marked or held, anonymizes the
   rest, marks them (``Anonymized``), audits them (one entry naming the batch's records and
   which fields, never their values) and adds to the receipt, all in one transaction. An
   interrupted run leaves every record whole or fully anonymized, and the receipt counting
   exactly the committed batches; the next run finds the rest still due.
3. A dry run counts, per rule, what would go and what a hold keeps, and changes nothing but its
   receipts.
4. After the rules, the sweep (``sweep``) removes the files a crash left behind between a
   batch's commit and its files' removal; a receipt of its own counts them.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from liaison.core import audit
from liaison.core.models import AuditEntry
from liaison.retention import sweep
from liaison.retention.kinds import KINDS, Batch, held, not_marked
from liaison.retention.models import Anonymized, Hold, Receipt
from liaison.retention.rules import Rule, rules

BATCH_SIZE = 5000
# SQLite: the WAL pages after which a run's commit copies the WAL back into the database file
# (SQLite's default is 1,000 pages, about one batch: a copy and a sync of the file per batch).
CHECKPOINT_PAGES = 50_000
SYSTEM = "retention"


@dataclass(frozen=True)
class Due:
    rule: Rule
    due: int
    held: int


def due_records(rule: Rule, today: date):
    """The records ``rule`` anonymizes today: due, not anonymized yet, not held."""
    spec = KINDS[rule.kind]
    # Correlated NOT EXISTS on the marks' and the active holds' indexes: each batch reads only
    # the rows after the last one, never the whole table again.
    return not_marked(spec.candidates(rule, today), rule.kind).exclude(
        Exists(
            Hold.objects.filter(kind=rule.kind, record_id=OuterRef("pk"), lifted_at__isnull=True)
        )
    )


def counts(*, today: date | None = None) -> list[Due]:
    """What a run would do today, per rule (the dry run's counts)."""
    today = today or timezone.localdate()
    found = []
    for rule in rules():
        spec = KINDS[rule.kind]
        candidates = not_marked(spec.candidates(rule, today), rule.kind)
        found.append(
            Due(rule, due_records(rule, today).count(), held(candidates, rule.kind).count())
        )
    return found


# The key of the lock a batch holds on PostgreSQL (any fixed 64-bit number; "retention").
BATCH_LOCK = 0x726574656E74


def _lock_batches() -> None:
    """One batch at a time, whoever runs it: a second run at the same moment waits for this
    batch to commit, then reads the due records again and finds these gone. SQLite's
    BEGIN IMMEDIATE already serializes writers; on PostgreSQL a transaction-level advisory
    lock does it without locking (and so writing) every row first, as FOR UPDATE would."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [BATCH_LOCK])


def _next_ids(rule: Rule, today: date, after: int, size: int) -> tuple[list[int], int]:
    """The due records among the next ``size`` candidates after ``after``, and the last
    candidate's id (0 when none is left).

    The window is read by the primary key alone and its marks and holds by their id range:
    two bounded index reads a batch. Asked as one query ("not anonymized, not held, after,
    first 5,000"), PostgreSQL's plan for the anti-joins changes as the marks grow, and at a
    million records that query cost more than the anonymization itself.
    """
    spec = KINDS[rule.kind]
    window = list(
        spec.candidates(rule, today)
        .filter(pk__gt=after)
        .order_by("pk")
        .values_list("pk", flat=True)[:size]
    )
    if not window:
        return [], 0
    span = {"kind": rule.kind, "record_id__gte": window[0], "record_id__lte": window[-1]}
    skip = set(Anonymized.objects.filter(**span).values_list("record_id", flat=True))
    skip.update(
        Hold.objects.filter(**span, lifted_at__isnull=True).values_list("record_id", flat=True)
    )
    return [pk for pk in window if pk not in skip], window[-1]


def _mark(rule: Rule, ids: list[int], run_id: uuid.UUID) -> None:
    """The marks of a batch, as multi-row INSERTs (a model instance each cost more than the
    anonymization itself)."""
    fields = [f for f in Anonymized._meta.concrete_fields if not f.primary_key]
    mark = Anonymized(kind=rule.kind, rule=rule.code, run_id=run_id, anonymized_at=timezone.now())
    row = {f.attname: f.get_db_prep_save(f.pre_save(mark, True), connection) for f in fields}
    columns = [f.attname for f in fields]
    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({}) ".format(
        quote(Anonymized._meta.db_table), ", ".join(quote(f.column) for f in fields)
    )
    size = min(1000, connection.ops.bulk_batch_size(fields, ids))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            values = [row[column] for column in columns]
            where = columns.index("record_id")
            cursor.execute(*audit.insert_unnest(head, fields, values, where, ids, connection))
            return
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            placeholders = [["%s"] * len(fields)] * len(chunk)
            params = [
                pk if column == "record_id" else row[column] for pk in chunk for column in columns
            ]
            cursor.execute(head + connection.ops.bulk_insert_sql(fields, placeholders), params)


def _batch(rule: Rule, ids: list[int], receipt: Receipt, run_id: uuid.UUID) -> None:
    spec = KINDS[rule.kind]
    # The marks first: each table's UPDATE then names the batch by a subquery on their index,
    # not by a thousand parameters.
    _mark(rule, ids, run_id)
    marks = Anonymized.objects.filter(
        kind=rule.kind, run_id=run_id, record_id__gte=ids[0], record_id__lte=ids[-1]
    ).values_list("record_id", flat=True)
    files = spec.anonymize(rule, Batch(marks, ids[0], ids[-1]))
    # One entry for the batch, naming every record in it (a record's history finds it, as it
    # finds a list page's read); the marks say the same per record, with the run.
    audit.record_reads(
        spec.model,
        ids,
        action=AuditEntry.Action.UPDATE,
        fields=["anonymized"],
        note=f"retention {rule.code}",
    )
    receipt.anonymized += len(ids)
    receipt.files_removed += files
    receipt.batches += 1
    receipt.save(update_fields=["anonymized", "files_removed", "batches"])


def run(
    *,
    today: date | None = None,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    only: str = "",
) -> list[Receipt]:
    """Anonymize what is due today (or count it), rule by rule; one receipt per rule."""
    today = today or timezone.localdate()
    run_id = uuid.uuid4()
    receipts = []
    with audit.acting_as(username=SYSTEM), _fewer_checkpoints():
        for rule in rules():
            if only and rule.code != only:
                continue
            receipts.append(_run_rule(rule, today, run_id, dry_run=dry_run, batch_size=batch_size))
        if not only:
            receipts.append(_sweep(run_id, dry_run=dry_run))
    return receipts


def _sweep(run_id, *, dry_run: bool) -> Receipt:
    """The orphaned files: ``due`` counts those found, ``files_removed`` those removed."""
    receipt = Receipt.objects.create(
        run_id=run_id, rule=sweep.RULE, dry_run=dry_run, started_at=timezone.now()
    )
    try:
        found = sweep.sweep(dry_run=dry_run)
    except Exception as error:
        Receipt.objects.filter(pk=receipt.pk).update(
            stopped_by=type(error).__name__[:100], ended_at=timezone.now()
        )
        raise
    receipt.due = found
    receipt.files_removed = 0 if dry_run else found
    receipt.ended_at = timezone.now()
    receipt.save(update_fields=["due", "files_removed", "ended_at"])
    return receipt


@contextmanager
def _fewer_checkpoints():
    """On SQLite, a run's batches checkpoint every ``CHECKPOINT_PAGES`` instead of at every
    commit, and the run ends with one. Each commit is still synced (synchronous=FULL): only
    the copy into the database file is put off, which rewrote the same index pages and synced
    the file once per batch. The connection gets its own setting back afterwards. Inside a
    caller's transaction nothing commits before the caller does: nothing to put off."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA wal_autocheckpoint={int(CHECKPOINT_PAGES)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint={int(before)}")
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


def _run_rule(rule: Rule, today: date, run_id, *, dry_run: bool, batch_size: int) -> Receipt:
    spec = KINDS[rule.kind]
    candidates = not_marked(spec.candidates(rule, today), rule.kind)
    receipt = Receipt.objects.create(
        run_id=run_id,
        rule=rule.code,
        dry_run=dry_run,
        started_at=timezone.now(),
        due=due_records(rule, today).count(),
        held=held(candidates, rule.kind).count(),
    )
    if not dry_run:
        last = 0
        try:
            while True:
                with transaction.atomic():
                    _lock_batches()
                    ids, last = _next_ids(rule, today, last, batch_size)
                    if not last:
                        break
                    if ids:
                        _batch(rule, ids, receipt, run_id)
        except Exception as error:
            Receipt.objects.filter(pk=receipt.pk).update(
                stopped_by=type(error).__name__[:100], ended_at=timezone.now()
            )
            raise
    receipt.ended_at = timezone.now()
    receipt.save(update_fields=["ended_at"])
    return receipt
