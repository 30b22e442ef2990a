"""Two officers moving the same traveler at once: one succeeds, the other is told.

Each race holds the first officer inside the move (``states.claim``, the conditional UPDATE that
is the move's lock) until the other has started; without the lock, both would move the traveler.
"""

import threading

import pytest
from django.db import connections

from liaison.arrivals import states
from liaison.arrivals.models import Arrival
from liaison.arrivals.states import ArrivalState
from liaison.handover.services import transfer_to_hospital
from liaison.screening import desk, results_import, sampling
from liaison.screening.models import Sample
from tests.concurrency import Overlap, message, remove_the_lock
from tests.conftest import make_user
from tests.screening.conftest import screened

pytestmark = pytest.mark.django_db(transaction=True)


def claim_without_its_condition(arrival, from_state, to_state, *, now) -> bool:
    """The move's UPDATE without ``state = <what the officer read>``: the lock taken away."""
    Arrival.objects.filter(pk=arrival.pk).update(state=to_state, updated_at=now)
    return True


def _two_officers_screen(arrival, officer, monkeypatch) -> tuple[Overlap, list]:
    other = make_user("ma-desk", "airport_desk")
    desk.record_temperature(arrival=arrival, celsius="36.6", device="IR-3", officer=officer)
    desk.confirm_history(arrival=arrival, history=None, officer=officer)
    # Each officer opened the traveler's page before the other pressed "screened".
    first, second = Arrival.objects.get(pk=arrival.pk), Arrival.objects.get(pk=arrival.pk)
    overlap = Overlap(2)
    overlap.hold_first(monkeypatch, states, "claim", after=True)
    outcomes = overlap.run(
        lambda: desk.screen(arrival=first, officer=officer),
        lambda: desk.screen(arrival=second, officer=other),
    )
    return overlap, outcomes


def test_two_officers_screen_the_same_traveler(arrival, airport_desk_officer, monkeypatch):
    overlap, outcomes = _two_officers_screen(arrival, airport_desk_officer, monkeypatch)
    overlap.assert_serialized()
    assert outcomes[overlap.first] is None  # screened; a sample decides
    (told,) = [outcomes[i] for i in overlap.others]
    assert message(told) == (
        "This arrival was changed meanwhile (it is now “Screened”); reload it."
    ), told
    assert arrival.events.filter(to_state=ArrivalState.SCREENED).count() == 1


def test_without_the_lock_both_officers_screen_the_traveler(
    arrival, airport_desk_officer, monkeypatch
):
    """The race above has teeth: with the move's condition gone, the second officer's stale page
    moves the traveler a second time."""
    monkeypatch.setattr(states, "claim", claim_without_its_condition)
    overlap, outcomes = _two_officers_screen(arrival, airport_desk_officer, monkeypatch)
    overlap.assert_overlapped()
    assert outcomes == [None, None]
    assert arrival.events.filter(to_state=ArrivalState.SCREENED).count() == 2


def _two_desks_sample(arrival, officer, sampler, site, monkeypatch) -> tuple[Overlap, list]:
    screened(arrival, officer)
    first, second = Arrival.objects.get(pk=arrival.pk), Arrival.objects.get(pk=arrival.pk)
    overlap = Overlap(2)
    overlap.hold_first(monkeypatch, states, "claim", after=True)
    outcomes = overlap.run(
        lambda: sampling.register_sample(
            arrival=first, barcode="A-1", site=site, collector=sampler
        ),
        lambda: sampling.register_sample(
            arrival=second, barcode="A-2", site=site, collector=sampler
        ),
    )
    return overlap, outcomes


def test_two_sampling_desks_register_the_same_traveler(
    arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site, monkeypatch
):
    overlap, outcomes = _two_desks_sample(
        arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site, monkeypatch
    )
    overlap.assert_serialized()
    kept = outcomes[overlap.first]
    (told,) = [outcomes[i] for i in overlap.others]
    assert message(told) == (
        "This arrival was changed meanwhile (it is now “Sampled”); reload it."
    ), told
    assert list(Sample.objects.filter(arrival=arrival).values_list("barcode", flat=True)) == [
        kept.barcode
    ]
    assert arrival.events.filter(to_state=ArrivalState.SAMPLED).count() == 1


def test_without_the_lock_both_desks_sample_the_traveler(
    arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site, monkeypatch
):
    """With the move's condition gone, the second desk moves the traveler again; only the
    one-live-sample constraint stops its tube, and the desk is told something false."""
    monkeypatch.setattr(states, "claim", claim_without_its_condition)
    overlap, outcomes = _two_desks_sample(
        arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site, monkeypatch
    )
    overlap.assert_overlapped()
    (told,) = [outcomes[i] for i in overlap.others]
    assert message(told) == "The tube barcode A-2 is already used; take a new tube."
    assert not Sample.objects.filter(barcode="A-2").exists()


def test_a_traveler_moved_while_a_results_file_is_saved_refuses_the_whole_file(
    arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site, lab_user, monkeypatch
):
    """The save has read the file's rows when a dispatcher, in their own transaction, sends one
    of its travelers to hospital: the save locks the travelers, finds the move, saves nothing."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone, translation

    from liaison.screening.models import LabResult, ResultsImport
    from tests.screening.conftest import declare, sampled

    if connection.vendor == "sqlite":
        pytest.skip("SQLite's IMMEDIATE transaction holds the write lock from its BEGIN")
    travelers = [arrival, declare(document_number="M00000001")]
    for number, traveler in enumerate(travelers, start=1):
        sampled(traveler, airport_desk_officer, sampler_at_t3, t3_sampling_site, f"T3-{number}")
    tested = timezone.localtime() - timedelta(minutes=5)
    content = f"barcode,result,tested_at\nT3-1,negative,{tested:%Y-%m-%d %H:%M}\n".encode()
    content += f"T3-2,negative,{tested:%Y-%m-%d %H:%M}\n".encode()
    rows_read, moved = threading.Event(), threading.Event()
    sort = results_import._sort

    def sort_then_wait(*args, **kwargs):
        found = sort(*args, **kwargs)
        rows_read.set()
        moved.wait(30)
        return found

    monkeypatch.setattr(results_import, "_sort", sort_then_wait)
    outcome = []

    def save():
        try:
            with translation.override("en"):  # a thread starts in the default language
                outcome.append(
                    results_import.import_results_file(
                        file=content, filename="r.csv", lab="Jiangbei CDC", reported_by=lab_user
                    )
                )
        except Exception as error:  # noqa: BLE001 - the outcome is what the test looks at
            outcome.append(error)
        finally:
            connections.close_all()

    saving = threading.Thread(target=save)
    saving.start()
    assert rows_read.wait(30)
    transfer_to_hospital(
        arrival=Arrival.objects.get(pk=travelers[1].pk),
        officer=airport_desk_officer,
        reason="Collapsed at the sampling site",
    )
    moved.set()
    saving.join(60)
    (refused,) = outcome
    assert message(refused) == (
        "1 traveler of this file was moved by someone else while the file was being saved; "
        "nothing was saved. Preview the file again."
    ), refused
    assert not LabResult.objects.exists() and not ResultsImport.objects.exists()
    assert dict(Arrival.objects.values_list("pk", "state")) == {
        travelers[0].pk: ArrivalState.SAMPLED,
        travelers[1].pk: ArrivalState.IN_HOSPITAL,
    }


def _a_dispatcher_moves_a_traveler_while_a_file_is_saved(
    arrival, officers, lab_user, monkeypatch, *, locked=True
) -> tuple[Overlap, list, list]:
    """The save is held with the file's travelers locked (``_locked_arrivals``) while a
    dispatcher sends one of them to hospital."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.screening.conftest import declare, sampled

    desk_officer, sampler, site = officers
    travelers = [arrival, declare(document_number="M00000001")]
    for number, traveler in enumerate(travelers, start=1):
        sampled(traveler, desk_officer, sampler, site, f"T3-{number}")
    tested = timezone.localtime() - timedelta(minutes=5)
    content = "barcode,result,tested_at\n" + "".join(
        f"T3-{n},negative,{tested:%Y-%m-%d %H:%M}\n" for n in (1, 2)
    )
    overlap = Overlap(2, wait_for_done=not locked)
    overlap.hold_first(monkeypatch, results_import, "_locked_arrivals", after=True)
    outcomes = overlap.run(
        lambda: results_import.import_results_file(
            file=content.encode(), filename="r.csv", lab="Jiangbei CDC", reported_by=lab_user
        ),
        lambda: transfer_to_hospital(
            arrival=Arrival.objects.get(pk=travelers[1].pk),
            officer=desk_officer,
            reason="Collapsed at the sampling site",
        ),
    )
    return overlap, outcomes, travelers


def test_a_dispatcher_waits_for_the_results_file_being_saved(
    arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site, lab_user, monkeypatch
):
    from liaison.screening.models import LabResult

    overlap, outcomes, travelers = _a_dispatcher_moves_a_traveler_while_a_file_is_saved(
        arrival, (airport_desk_officer, sampler_at_t3, t3_sampling_site), lab_user, monkeypatch
    )
    overlap.assert_serialized()
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert LabResult.objects.count() == 2
    moved = travelers[1].events.order_by("at", "pk").values_list("to_state", flat=True)
    assert list(moved)[-3:] == [ArrivalState.RESULT, ArrivalState.DISPOSED, S_HOSPITAL]


S_HOSPITAL = ArrivalState.IN_HOSPITAL


def test_without_the_lock_the_dispatcher_gets_in_and_the_file_is_lost(
    arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site, lab_user, monkeypatch
):
    """The test above has teeth: without the row locks, the dispatcher moves the traveler while
    the save holds them, and the whole file fails."""
    from django.db import connection

    from liaison.screening.models import LabResult

    if connection.vendor == "sqlite":
        pytest.skip(
            "On SQLite the save has written the file's record before it reads the travelers, so "
            "it holds the write lock even in a DEFERRED transaction: the dispatcher waits anyway."
        )
    remove_the_lock(monkeypatch)
    overlap, outcomes, travelers = _a_dispatcher_moves_a_traveler_while_a_file_is_saved(
        arrival,
        (airport_desk_officer, sampler_at_t3, t3_sampling_site),
        lab_user,
        monkeypatch,
        locked=False,
    )
    overlap.assert_overlapped()
    assert overlap.finished_at[1] < overlap.held_until  # moved while the save was inside
    assert message(outcomes[0]) == (
        "1 traveler of this file was moved by someone else while the file was being saved; "
        "nothing was saved. Preview the file again."
    )
    assert not LabResult.objects.exists()
    assert Arrival.objects.get(pk=travelers[1].pk).state == S_HOSPITAL
