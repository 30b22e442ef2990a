"""Two officers confirming the same traveler at once: one succeeds, the other is told."""

import threading

import pytest
from django.db import connections

from liaison.arrivals.models import Arrival
from liaison.arrivals.states import ArrivalState, InvalidMove
from liaison.handover.services import transfer_to_hospital
from liaison.screening import desk, results_import, sampling
from liaison.screening.common import Refused
from liaison.screening.models import Sample
from tests.conftest import make_user
from tests.screening.conftest import screened

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls):
    """Run each call in its own thread (own connection) at the same moment; collect outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test looks at
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_officers_screen_the_same_traveler(arrival, airport_desk_officer):
    other = make_user("ma-desk", "airport_desk")
    desk.record_temperature(
        arrival=arrival, celsius="36.6", device="IR-3", officer=airport_desk_officer
    )
    desk.confirm_history(arrival=arrival, history=None, officer=airport_desk_officer)
    # Each officer opened the traveler's page before the other pressed "screened".
    first, second = Arrival.objects.get(pk=arrival.pk), Arrival.objects.get(pk=arrival.pk)
    outcomes = race(
        lambda: desk.screen(arrival=first, officer=airport_desk_officer),
        lambda: desk.screen(arrival=second, officer=other),
    )
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], InvalidMove), outcomes
    assert arrival.events.filter(to_state=ArrivalState.SCREENED).count() == 1


def test_two_sampling_desks_register_the_same_traveler(
    arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site
):
    screened(arrival, airport_desk_officer)
    first, second = Arrival.objects.get(pk=arrival.pk), Arrival.objects.get(pk=arrival.pk)
    outcomes = race(
        lambda: sampling.register_sample(
            arrival=first, barcode="A-1", site=t3_sampling_site, collector=sampler_at_t3
        ),
        lambda: sampling.register_sample(
            arrival=second, barcode="A-2", site=t3_sampling_site, collector=sampler_at_t3
        ),
    )
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], InvalidMove | Refused), outcomes
    assert Sample.objects.filter(arrival=arrival).count() == 1
    assert arrival.events.filter(to_state=ArrivalState.SAMPLED).count() == 1


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
    assert isinstance(refused, Refused) and "nothing was saved" in refused.message, refused
    assert not LabResult.objects.exists() and not ResultsImport.objects.exists()
    assert dict(Arrival.objects.values_list("pk", "state")) == {
        travelers[0].pk: ArrivalState.SAMPLED,
        travelers[1].pk: ArrivalState.IN_HOSPITAL,
    }
