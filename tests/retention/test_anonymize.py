"""A traveler's personal data ends on its day: not before, whole or fully anonymized, held ones
skipped, receipts without personal data, and the closed loop still reconciling."""

from datetime import date

import pytest

from liaison.arrivals.models import Arrival, DeclarationRevision
from liaison.core.models import AuditEntry
from liaison.handover import selectors as handover_selectors
from liaison.retention import kinds, runs, services
from liaison.retention.models import Anonymized, Kind, Receipt
from liaison.retention.selectors import lifecycle
from tests.retention.conftest import declare, on_day, released_after

pytestmark = pytest.mark.django_db


@pytest.fixture
def released(clock, yubei, dispatcher, yubei_receiving_officer):
    """Released from a 14-day quarantine on 3 April 2020."""
    return released_after(
        14, clock=clock, yubei=yubei, dispatcher=dispatcher, officer=yubei_receiving_officer
    )


def _receipt(receipts, rule="arrival.released") -> Receipt:
    return next(r for r in receipts if r.rule == rule)


def _whole(arrival: Arrival) -> bool:
    arrival.refresh_from_db()
    return bool(arrival.surname_latin and arrival.phone and arrival.document_number[0] != "~")


def test_released_traveler_is_anonymized_28_days_after_release_and_not_before(released, clock):
    before = Arrival.objects.get(pk=released.pk)
    assert lifecycle(Kind.ARRIVAL, before).due_on == date(2020, 5, 1)  # 3 April + 28 days

    on_day(clock, 14 + 27)  # 30 April: one day early
    assert _receipt(runs.run()).anonymized == 0
    assert _whole(released)

    on_day(clock, 14 + 28)  # 1 May
    receipt = _receipt(runs.run())
    assert (receipt.due, receipt.anonymized, receipt.held) == (1, 1, 0)
    after = Arrival.objects.get(pk=released.pk)
    # Identifying fields gone …
    assert after.surname_latin == after.given_names_latin == after.surname_native == ""
    assert after.phone == after.email == after.seat == after.address == after.mrz == ""
    assert after.document_number == f"~{after.pk}"
    assert after.history == [] and after.transits == [] and after.facts == {}
    assert DeclarationRevision.objects.filter(arrival=after).exclude(data={}).count() == 0
    # … the statistics whitelist and the structure of the closed loop kept.
    assert after.date_of_birth == date(before.date_of_birth.year, 1, 1)
    assert (after.sex, after.nationality, after.category) == (
        before.sex,
        before.nationality,
        before.category,
    )
    assert (after.state, after.flight_id, after.arrival_date, after.jurisdiction_id) == (
        before.state,
        before.flight_id,
        before.arrival_date,
        before.jurisdiction_id,
    )
    assert lifecycle(Kind.ARRIVAL, after).anonymized
    # A second run finds nothing left.
    assert _receipt(runs.run()).anonymized == 0
    assert Anonymized.objects.filter(kind=Kind.ARRIVAL, record_id=after.pk).count() == 1


def test_a_traveler_never_quarantined_goes_28_days_after_arrival(city, clock):
    arrival = declare()  # never came to the desk: still "declared"
    on_day(clock, 27)
    assert _receipt(runs.run(), "arrival.not_quarantined").anonymized == 0
    on_day(clock, 28)
    assert _receipt(runs.run(), "arrival.not_quarantined").anonymized == 1
    assert not _whole(arrival)


def test_a_held_traveler_is_skipped_until_the_hold_is_lifted(released, clock, administrator):
    hold = services.place_hold(
        kind=Kind.ARRIVAL,
        record_id=released.pk,
        reason="The consulate disputes the quarantine",
        officer=administrator,
    )
    assert AuditEntry.objects.filter(
        object_type="retention.hold", object_id=str(hold.pk), action="create"
    ).exists()
    on_day(clock, 14 + 40)
    receipt = _receipt(runs.run())
    assert (receipt.due, receipt.anonymized, receipt.held) == (0, 0, 1)
    assert _whole(released)
    assert lifecycle(Kind.ARRIVAL, released).held

    services.lift_hold(hold=hold, reason="Settled with the consulate", officer=administrator)
    assert AuditEntry.objects.filter(
        object_type="retention.hold", object_id=str(hold.pk), action="update"
    ).exists()
    assert _receipt(runs.run()).anonymized == 1
    assert not _whole(released)


def test_an_interrupted_run_leaves_each_record_whole_or_anonymized_and_the_next_continues(
    city, clock, monkeypatch
):
    travelers = [declare() for _ in range(5)]
    on_day(clock, 30)
    real = kinds._anonymize_arrivals
    calls = []

    def fails_on_the_second_batch(rule, ids):
        calls.append(ids)
        removed = real(rule, ids)  # the second batch's rows are written, then it fails
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return removed

    monkeypatch.setitem(
        kinds.KINDS,
        Kind.ARRIVAL,
        kinds.KINDS[Kind.ARRIVAL].__class__(
            **{**kinds.KINDS[Kind.ARRIVAL].__dict__, "anonymize": fails_on_the_second_batch}
        ),
    )
    with pytest.raises(RuntimeError):
        runs.run(batch_size=2, only="arrival.not_quarantined")
    marked = set(Anonymized.objects.filter(kind=Kind.ARRIVAL).values_list("record_id", flat=True))
    assert marked == set(calls[0])
    for traveler in travelers:
        assert _whole(traveler) == (traveler.pk not in marked)  # never half of one
    stopped = Receipt.objects.get(rule="arrival.not_quarantined")
    assert (stopped.anonymized, stopped.batches, stopped.stopped_by) == (2, 1, "RuntimeError")
    assert stopped.ended_at is not None

    monkeypatch.undo()
    receipt = _receipt(runs.run(batch_size=2), "arrival.not_quarantined")
    assert (receipt.due, receipt.anonymized, receipt.batches) == (3, 3, 2)
    assert not any(_whole(t) for t in travelers)


def test_the_receipt_and_the_audit_trail_hold_no_personal_data(released, clock):
    person = Arrival.objects.get(pk=released.pk)
    secrets = {
        person.surname_latin,
        person.given_names_latin,
        person.document_number,
        person.phone,
        person.email,
    } - {""}
    on_day(clock, 14 + 28)
    receipt = _receipt(runs.run())
    assert receipt.run_id and receipt.started_at and receipt.ended_at
    assert receipt.started_at <= receipt.ended_at
    text = " ".join(str(v) for v in Receipt.objects.filter(pk=receipt.pk).values().first().values())
    assert not [s for s in secrets if s in text]
    # One entry for the batch, naming its records (a record's history finds it there).
    entry = AuditEntry.objects.get(
        object_type="arrivals.arrival", action="update", note="retention arrival.released"
    )
    assert entry.fields == ["anonymized"] and str(person.pk) in entry.object_ids
    audit_text = " ".join(str(v) for row in AuditEntry.objects.values() for v in row.values())
    assert not [s for s in secrets if s in audit_text]
    # The trail keeps every entry it had about the traveler.
    assert (
        AuditEntry.objects.filter(object_type="arrivals.arrival", object_id=str(person.pk)).count()
        > 1
    )


def test_the_board_reconciles_after_anonymization(released, clock, leader, city):
    others = [declare() for _ in range(2)]  # never screened: at the airport on the board
    since = until = released.arrival_date

    def board():
        rows = handover_selectors.board(leader, since=since, until=until)
        return [
            (row.day, row.tally.reconciles, row.tally.arrived, row.tally.by_state, row.tally.groups)
            for row in rows
        ] + [
            (f.flight.number, f.tally.reconciles, f.tally.arrived, f.tally.groups)
            for row in rows
            for f in row.flights
        ]

    before = board()
    assert before and all(r[1] for r in before)
    on_day(clock, 14 + 28)
    receipts = runs.run()
    assert _receipt(receipts).anonymized == 1
    assert _receipt(receipts, "arrival.not_quarantined").anonymized == len(others)
    assert board() == before


def test_a_dry_run_counts_per_rule_and_changes_nothing(released, clock):
    on_day(clock, 14 + 28)
    due = {d.rule.code: d.due for d in runs.counts()}
    assert due["arrival.released"] == 1
    receipts = runs.run(dry_run=True)
    assert _receipt(receipts).dry_run and _receipt(receipts).due == 1
    assert _receipt(receipts).anonymized == 0
    assert _whole(released)
    assert not Anonymized.objects.exists()


def test_holds_refuse_bad_input_and_change_nothing(released, administrator, airport_desk_officer):
    from liaison.core.refusals import Refused

    with pytest.raises(Refused) as missing:
        services.place_hold(kind=Kind.ARRIVAL, record_id=99999, reason="x", officer=administrator)
    assert missing.value.status == 404
    with pytest.raises(Refused) as no_reason:
        services.place_hold(
            kind=Kind.ARRIVAL, record_id=released.pk, reason=" ", officer=administrator
        )
    assert no_reason.value.status == 400
    with pytest.raises(Refused) as outside:
        services.place_hold(
            kind=Kind.ARRIVAL, record_id=released.pk, reason="x", officer=airport_desk_officer
        )
    assert outside.value.status == 403
