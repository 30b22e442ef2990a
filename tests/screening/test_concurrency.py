"""Two officers confirming the same traveler at once: one succeeds, the other is told."""

import threading

import pytest
from django.db import connections

from liaison.arrivals.models import Arrival
from liaison.arrivals.states import ArrivalState, InvalidMove
from liaison.screening import services
from liaison.screening.models import Sample
from liaison.screening.services import Refused
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
    services.record_temperature(
        arrival=arrival, celsius="36.6", device="IR-3", officer=airport_desk_officer
    )
    services.confirm_history(arrival=arrival, history=None, officer=airport_desk_officer)
    # Each officer opened the traveler's page before the other pressed "screened".
    first, second = Arrival.objects.get(pk=arrival.pk), Arrival.objects.get(pk=arrival.pk)
    outcomes = race(
        lambda: services.screen(arrival=first, officer=airport_desk_officer),
        lambda: services.screen(arrival=second, officer=other),
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
        lambda: services.register_sample(
            arrival=first, barcode="A-1", site=t3_sampling_site, collector=sampler_at_t3
        ),
        lambda: services.register_sample(
            arrival=second, barcode="A-2", site=t3_sampling_site, collector=sampler_at_t3
        ),
    )
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], InvalidMove | Refused), outcomes
    assert Sample.objects.filter(arrival=arrival).count() == 1
    assert arrival.events.filter(to_state=ArrivalState.SAMPLED).count() == 1
