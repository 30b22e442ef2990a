"""The pipeline's table of moves, and ``move`` as the one way through it."""

import pytest
from django.utils import translation

from liaison.arrivals import services, states
from liaison.arrivals.models import Arrival, ArrivalEvent, Source
from liaison.arrivals.states import ENDS, MOVES, ArrivalState, InvalidMove, move
from tests.arrivals.conftest import valid_payload

S = ArrivalState
HAPPY_PATH = [
    S.SCREENED,
    S.SAMPLED,
    S.RESULT,
    S.DISPOSED,
    S.IN_HANDOVER,
    S.RECEIVED,
    S.RELEASED,
]


def test_the_table_names_every_state_and_only_states():
    reachable = {S.DECLARED} | {to for targets in MOVES.values() for to in targets}
    assert reachable == set(ArrivalState)
    assert {S.RELEASED, S.IN_HOSPITAL, S.LEFT_CITY} == ENDS
    # Re-sample after an inconclusive result is the one step back.
    assert S.SAMPLED in MOVES[S.RESULT]
    assert S.DECLARED not in {to for targets in MOVES.values() for to in targets}


def test_states_have_translated_labels():
    with translation.override("zh-hans"):
        assert str(S.DECLARED.label) != "Declared"


@pytest.mark.django_db
def test_the_whole_pipeline_writes_one_event_per_move(city, airport_desk_officer):
    arrival = services.declare(data=valid_payload(), source=Source.API).arrival
    for to in HAPPY_PATH:
        move(arrival, to, actor=airport_desk_officer, where="T3", why="test")
    arrival.refresh_from_db()
    assert arrival.state == S.RELEASED
    events = list(arrival.events.order_by("at", "id"))
    assert [e.to_state for e in events] == [S.DECLARED, *HAPPY_PATH]
    assert [e.from_state for e in events[1:]] == [S.DECLARED, *HAPPY_PATH[:-1]]
    assert all(e.actor == airport_desk_officer for e in events[1:])


@pytest.mark.django_db
def test_a_move_outside_the_table_is_refused_and_changes_nothing(city):
    arrival = services.declare(data=valid_payload(), source=Source.API).arrival
    with translation.override("en"), pytest.raises(InvalidMove) as caught:
        move(arrival, S.RECEIVED, actor=None)
    assert "“Declared” cannot move to “Received”" in str(caught.value)
    arrival.refresh_from_db()
    assert arrival.state == S.DECLARED
    assert ArrivalEvent.objects.count() == 1


@pytest.mark.django_db
def test_nothing_leaves_an_end(city):
    arrival = services.declare(data=valid_payload(), source=Source.API).arrival
    move(arrival, S.IN_HOSPITAL, actor=None, why="fever")
    for to in ArrivalState:
        with pytest.raises(InvalidMove):
            move(arrival, to, actor=None)


@pytest.mark.django_db
def test_inconclusive_result_goes_back_to_sampling(city):
    arrival = services.declare(data=valid_payload(), source=Source.API).arrival
    for to in (S.SCREENED, S.SAMPLED, S.RESULT, S.SAMPLED, S.RESULT, S.DISPOSED):
        move(arrival, to, actor=None)
    assert Arrival.objects.get().state == S.DISPOSED


@pytest.mark.django_db
def test_a_stale_copy_cannot_move_an_arrival_someone_else_moved(city):
    arrival = services.declare(data=valid_payload(), source=Source.API).arrival
    stale = Arrival.objects.get(pk=arrival.pk)
    move(arrival, S.SCREENED, actor=None)
    with translation.override("en"), pytest.raises(InvalidMove) as caught:
        move(stale, S.IN_HOSPITAL, actor=None)
    assert "changed meanwhile" in str(caught.value)
    assert Arrival.objects.get().state == S.SCREENED


def test_can_move_rejects_unknown_states():
    assert not states.can_move("declared", "teleported")
    assert states.can_move("declared", "screened")
