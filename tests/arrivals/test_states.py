"""The pipeline's table of moves, and ``move`` as the one way through it."""

import pytest
from django.db.models import Q
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
    # A decision settled before any test (fever: hospital) moves on from screening.
    assert S.DISPOSED in MOVES[S.SCREENED]
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


def _declared(n: int) -> list[Arrival]:
    return [
        services.declare(data=valid_payload(document_number=f"M{i:08d}"), source=Source.API).arrival
        for i in range(n)
    ]


def _paths(arrivals, to_state, **event):
    return [states.Path(a, ((to_state, states.Step(a, **event)),)) for a in arrivals]


@pytest.mark.django_db
def test_move_many_moves_a_set_with_the_same_events_and_audit_as_move(city, airport_desk_officer):
    from liaison.core.models import AuditEntry

    one, *many = _declared(3)
    move(one, S.SCREENED, actor=airport_desk_officer, where="T3", why="desk", data={"n": 0})
    events = states.move_many(
        _paths(many, S.SCREENED, where="T3", why="desk", data={"n": 0}),
        actor=airport_desk_officer,
    )
    assert len(events) == 2 and all(a.state == S.SCREENED for a in many)
    assert set(Arrival.objects.values_list("state", flat=True)) == {S.SCREENED}

    def written(arrival):
        event = arrival.events.get(to_state=S.SCREENED)
        entry = AuditEntry.objects.get(
            Q(object_id=str(arrival.pk)) | Q(object_ids__icontains=f'"{arrival.pk}"'),
            object_type="arrivals.arrival",
            note__contains="->",
        )
        return (
            (event.from_state, event.actor, event.where, event.why, event.data),
            (entry.action, entry.fields, entry.note),
        )

    assert written(many[0]) == written(many[1]) == written(one)
    # The set's move is one entry naming both.
    entry = AuditEntry.objects.get(object_ids__isnull=False, object_type="arrivals.arrival")
    assert sorted(map(int, entry.object_ids)) == sorted(a.pk for a in many)


@pytest.mark.django_db
def test_move_many_takes_a_path_of_two_moves_in_one_update(city, airport_desk_officer):
    """declared → screened → sampled: both events, in order, an audit entry per move, and the
    row written once with its end state and the other columns of the path (``also``)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from liaison.core.models import AuditEntry

    first, second = _declared(2)
    paths = [
        states.Path(
            a,
            ((S.SCREENED, states.Step(a, why="desk")), (S.SAMPLED, states.Step(a, where="T3"))),
            also=(("seat", "12A"),),
        )
        for a in (first, second)
    ]
    with CaptureQueriesContext(connection) as queries:
        states.move_many(paths, actor=airport_desk_officer)
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "arrivals_arrival"')]
    assert len(updates) == 1
    assert sorted(Arrival.objects.values_list("state", "seat")) == [(S.SAMPLED, "12A")] * 2
    assert first.state == second.state == S.SAMPLED
    for a in (first, second):
        assert list(a.events.order_by("id").values_list("from_state", "to_state", "why", "where"))[
            1:
        ] == [
            (S.DECLARED, S.SCREENED, "desk", ""),
            (S.SCREENED, S.SAMPLED, "", "T3"),
        ]
    notes = AuditEntry.objects.filter(object_ids__isnull=False).values_list("note", flat=True)
    assert sorted(notes) == ["declared -> screened", "screened -> sampled"]


@pytest.mark.django_db
def test_move_many_checks_every_move_against_the_table(city):
    first, second = _declared(2)
    move(second, S.SCREENED, actor=None)
    with translation.override("en"), pytest.raises(InvalidMove, match="cannot move"):
        states.move_many(_paths([first, second], S.SAMPLED), actor=None)
    assert dict(Arrival.objects.values_list("pk", "state")) == {
        first.pk: S.DECLARED,
        second.pk: S.SCREENED,
    }
    assert ArrivalEvent.objects.count() == 3


@pytest.mark.django_db
def test_move_many_refuses_the_whole_set_when_one_was_moved_meanwhile(city):
    arrivals = _declared(3)
    # Someone else moves the last one after this caller read it.
    move(Arrival.objects.get(pk=arrivals[2].pk), S.IN_HOSPITAL, actor=None, why="fever")
    before = ArrivalEvent.objects.count()
    with translation.override("en"), pytest.raises(states.ChangedMeanwhile) as caught:
        states.move_many(_paths(arrivals, S.SCREENED), actor=None)
    assert (caught.value.changed, caught.value.total) == (1, 3)
    assert "1 of these 3 travelers was changed meanwhile" in caught.value.message
    # Not even the two still declared were moved.
    assert sorted(Arrival.objects.values_list("state", flat=True)) == [
        S.DECLARED,
        S.DECLARED,
        S.IN_HOSPITAL,
    ]
    assert ArrivalEvent.objects.count() == before
