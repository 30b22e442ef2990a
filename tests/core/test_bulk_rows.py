"""bulk_rows.insert and collector_paused, and the ``among`` lookup, on both databases.

The oracle for what ``insert`` stores is a twin of each instance saved the ordinary way
(``Model.objects.create``): read back through the ORM, every field must come back the same.
"""

import datetime as dt
import gc
import json
import math
import zoneinfo

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison.arrivals import services as arrivals
from liaison.arrivals.models import Arrival, ArrivalEvent, Flight, Source
from liaison.core import audit, bulk_rows
from liaison.core.models import Jurisdiction, PortOfEntry
from liaison.notifications.models import Notification
from tests.arrivals.conftest import valid_payload
from tests.conftest import make_user

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


@pytest.fixture
def jurisdiction(db):
    return Jurisdiction.objects.create(code="999001", name_zh="测试区", name_en="Test District")


@pytest.fixture
def user(db):
    return make_user("bulk-user")


@pytest.fixture
def arrival(city):
    with audit.acting_as(username="test"):
        return arrivals.declare(data=valid_payload(), source=Source.SELF).arrival


def port(code: str, jurisdiction, kind=PortOfEntry.Kind.AIRPORT) -> PortOfEntry:
    return PortOfEntry(
        code=code, kind=kind, name_zh="测试", name_en="Test", jurisdiction=jurisdiction
    )


def _plain(field: models.Field, value):
    """A value with its type: 1 and True, or 1 and 1.0, are equal in Python, not in a column."""
    if isinstance(field, models.JSONField):
        return json.dumps(value, sort_keys=True)
    return (type(value).__name__, str(value))


def stored(obj, *, skip=()) -> dict:
    """What the database holds for ``obj``'s row, read back through the ORM."""
    row = type(obj).objects.get(pk=obj.pk)
    return {
        f.attname: _plain(f, getattr(row, f.attname))
        for f in type(obj)._meta.concrete_fields
        if not f.primary_key and f.attname not in skip
    }


def twin(obj):
    """A copy of the unsaved ``obj``, saved by ``Model.objects.create``."""
    model = type(obj)
    values = {
        f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields if not f.primary_key
    }
    with audit.acting_as(username="test"):
        return model.objects.create(**values)


def assert_stored_as_create_would(objs, *, skip=()):
    """Insert ``objs``; each one's twin, saved by create from the same values, must match."""
    twins = [twin(obj) for obj in objs]
    ids = bulk_rows.insert(objs)
    assert ids == [obj.pk for obj in objs]
    assert len(set(ids)) == len(objs)
    for obj, other in zip(objs, twins, strict=True):
        assert stored(obj, skip=skip) == stored(other, skip=skip)


# insert: what is stored


def test_arrival_events_are_stored_as_create_stores_them(arrival, user):
    at = dt.datetime(2026, 11, 27, 9, 30, 15, 123456, tzinfo=SEOUL)

    def make():
        return [
            ArrivalEvent(
                arrival=arrival,
                at=at,
                from_state="declared",
                to_state="screened",
                actor=user,
                where="T3 desk 4",
                why="체온 정상",
                data={"ko": "김민준", "ar": "مرحبا بكم", "nested": {"a": [1, 2.5, None, True]}},
            ),
            ArrivalEvent(arrival=arrival, to_state="declared", data={}),
            ArrivalEvent(
                arrival=arrival,
                at=at + dt.timedelta(days=1),
                to_state="screened",
                data={"list": [{"x": "é"}, [], ""], "n": -3},
            ),
        ]

    events = make()
    assert_stored_as_create_would(events)
    first = ArrivalEvent.objects.get(pk=events[0].pk)
    assert first.at == at and first.at.utcoffset() is not None
    assert first.data["ko"] == "김민준" and first.data["ar"] == "مرحبا بكم"
    assert first.data["nested"] == {"a": [1, 2.5, None, True]}
    assert first.actor_id == user.pk and first.arrival_id == arrival.pk
    assert ArrivalEvent.objects.get(pk=events[1].pk).actor_id is None


def test_insert_values_stores_rows_as_create_stores_them(arrival, user):
    """Rows as dicts: given columns as given, left-out ones take the field's default (``at``:
    now, ``data``: {}, ``why``: ""), the same as ``create`` with the same keywords."""
    at = dt.datetime(2026, 11, 27, 9, 30, tzinfo=SEOUL)
    rows = [
        {
            "arrival_id": arrival.pk,
            "at": at,
            "from_state": "declared",
            "to_state": "screened",
            "actor_id": user.pk,
            "data": {"ko": "김민준", "flag": True, "n": 1},
        },
        {"arrival_id": arrival.pk, "to_state": "declared"},
    ]
    before = timezone.now()
    ids = bulk_rows.insert_values(ArrivalEvent, rows)
    after = timezone.now()
    with audit.acting_as(username="test"):
        twins = [ArrivalEvent.objects.create(**row) for row in rows]
    assert len(ids) == 2 and ids[0] < ids[1]
    for pk, other in zip(ids, twins, strict=True):
        mine = ArrivalEvent.objects.get(pk=pk)
        assert stored(mine, skip={"at"}) == stored(other, skip={"at"})
    assert ArrivalEvent.objects.get(pk=ids[0]).at == at
    assert before <= ArrivalEvent.objects.get(pk=ids[1]).at <= after
    assert ArrivalEvent.objects.get(pk=ids[0]).data == {"ko": "김민준", "flag": True, "n": 1}


def test_insert_values_refuses_unknown_and_missing_columns(arrival):
    count = ArrivalEvent.objects.count()
    with transaction.atomic():
        with pytest.raises(ValueError, match="no column"):
            bulk_rows.insert_values(ArrivalEvent, [{"arrival": arrival, "to_state": "declared"}])
        with pytest.raises(ValueError, match="arrival_id is required"):
            bulk_rows.insert_values(
                ArrivalEvent, [{"arrival_id": arrival.pk, "to_state": "x"}, {"to_state": "y"}]
            )
    assert ArrivalEvent.objects.count() == count


def test_json_values_that_python_finds_equal_are_stored_as_they_are(arrival):
    """True == 1 == 1.0 and hash alike in Python; as JSON they are three documents."""

    def make():
        return [
            ArrivalEvent(arrival=arrival, to_state="declared", data=True),
            ArrivalEvent(arrival=arrival, to_state="declared", data=1),
            ArrivalEvent(arrival=arrival, to_state="declared", data=False),
            ArrivalEvent(arrival=arrival, to_state="declared", data=0),
            ArrivalEvent(arrival=arrival, to_state="declared", data="1"),
        ]

    events = make()
    assert_stored_as_create_would(events)
    assert [ArrivalEvent.objects.get(pk=e.pk).data for e in events] == [True, 1, False, 0, "1"]
    assert type(ArrivalEvent.objects.get(pk=events[1].pk).data) is int


def test_json_documents_orjson_would_write_otherwise_are_stored_as_create_stores_them(arrival):
    """JSON documents are encoded by orjson, except those it refuses or writes otherwise than
    ``json.dumps``: keys that are not strings, integers beyond 64 bits, a choices enum. Those
    go Django's way, and come back as ``create`` stores them."""
    documents = [
        {1: "one", "ko": "김민준", "fa": "عمر"},
        {"big": 2**70, "list": [2**64, -(2**63)]},
        {"state": Source.API, "nested": {"values": [Source.STAFF, None]}},
        [{"a": 1.5}, {"b": math.pi}],
    ]
    events = [ArrivalEvent(arrival=arrival, to_state="declared", data=d) for d in documents]
    with transaction.atomic():
        assert_stored_as_create_would(events)
    assert ArrivalEvent.objects.get(pk=events[0].pk).data == {
        "1": "one",
        "ko": "김민준",
        "fa": "عمر",
    }
    assert ArrivalEvent.objects.get(pk=events[1].pk).data["big"] == 2**70
    assert ArrivalEvent.objects.get(pk=events[2].pk).data["state"] == "api"


def test_a_json_document_that_is_not_json_is_refused_as_create_refuses_it(arrival):
    count = ArrivalEvent.objects.count()
    with pytest.raises(TypeError), transaction.atomic():
        bulk_rows.insert_values(
            ArrivalEvent,
            [{"arrival_id": arrival.pk, "to_state": "declared", "data": {"on": dt.date.today()}}],
        )
    with pytest.raises(TypeError), transaction.atomic():
        ArrivalEvent.objects.create(
            arrival=arrival, to_state="declared", data={"on": dt.date.today()}
        )
    assert ArrivalEvent.objects.count() == count


def test_choices_nullable_and_foreign_keys_are_stored_as_create_stores_them(jurisdiction):
    def make():
        return [
            port("TSTA", jurisdiction, PortOfEntry.Kind.RIVER_PORT),
            port("TSTB", jurisdiction, "railway_port"),
        ]

    ports = make()
    with audit.acting_as(username="test"):
        for p in make():  # the twins need codes of their own
            p.code += "X"
            p.save()
    ids = bulk_rows.insert(ports)
    assert ids == [p.pk for p in ports]
    for p in ports:
        other = PortOfEntry.objects.get(code=p.code + "X")
        assert stored(p, skip={"code"}) == stored(other, skip={"code"})
    assert PortOfEntry.objects.get(pk=ports[0].pk).kind == "river_port"
    assert PortOfEntry.objects.filter(kind=PortOfEntry.Kind.RAILWAY_PORT).count() == 2


def test_auto_now_add_takes_one_moment_and_nullable_fields_stay_null(user):
    read = dt.datetime(2026, 11, 30, 23, 59, 59, tzinfo=dt.UTC)

    def make():
        return [
            Notification(user=user, kind="k1", data={"ar": "تنبيه"}, urgent=True),
            Notification(user=user, kind="k2", read_at=read, link="/r/٣"),
            Notification(user=user, kind="k3", subject_code="contacts.commitment:12"),
        ]

    before = timezone.now()
    notes = make()
    assert_stored_as_create_would(notes, skip={"created_at"})
    after = timezone.now()
    moments = {Notification.objects.get(pk=n.pk).created_at for n in notes}
    assert len(moments) == 1
    (moment,) = moments
    assert before <= moment <= after
    assert all(n.created_at == moment for n in notes)
    assert Notification.objects.get(pk=notes[0].pk).read_at is None
    assert Notification.objects.get(pk=notes[1].pk).read_at == read


def test_instances_are_left_as_saved_ones(jurisdiction):
    flights_port = port("TSTC", jurisdiction)
    with audit.acting_as(username="test"):
        flights_port.save()
    flights = [Flight(number=f"XX{i}", date=dt.date(2026, 11, 27), port=flights_port) for i in "12"]
    ids = bulk_rows.insert(flights)
    assert sorted(Flight.objects.filter(port=flights_port).values_list("pk", flat=True)) == ids
    for flight in flights:
        assert not flight._state.adding and flight._state.db == "default"
        assert Flight.objects.get(pk=flight.pk).number == flight.number


def _arrival_copies(source: Arrival, count: int) -> list[Arrival]:
    """``count`` unsaved arrivals like ``source``, each with its own code, token and document."""
    fields = [f for f in Arrival._meta.concrete_fields if not f.primary_key]
    copies = []
    for i in range(count):
        values = {f.attname: getattr(source, f.attname) for f in fields}
        values.update(code=f"B{i:07d}", status_token=f"bulk-{i}", document_number=f"M{i:08d}")
        copies.append(Arrival(**values))
    return copies


def test_three_thousand_rows_over_several_statements_keep_their_order(arrival):
    copies = _arrival_copies(arrival, 3000)
    with CaptureQueriesContext(connection) as queries:
        ids = bulk_rows.insert(copies)
    assert ids == [a.pk for a in copies]
    assert len(set(ids)) == 3000
    # By the copies' own codes: the fixture's random code may start with "B" too.
    rows = dict(Arrival.objects.filter(code__in=[a.code for a in copies]).values_list("code", "pk"))
    assert len(rows) == 3000
    assert [rows[a.code] for a in copies] == ids
    if connection.vendor == "sqlite":
        size = bulk_rows.SQLITE_PARAMETERS // (len(Arrival._meta.concrete_fields) - 1)
        inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
        assert len(inserts) == math.ceil(3000 / size) > 1
    else:
        assert ids == sorted(ids)
    # Every column of the first and last rows as create would store it.
    with audit.acting_as(username="test"):
        ordinary = Arrival.objects.create(
            **{
                f.attname: getattr(_arrival_copies(arrival, 3000)[-1], f.attname)
                for f in Arrival._meta.concrete_fields
                if not f.primary_key
            }
            | {"code": "ORDINARY", "status_token": "ordinary", "document_number": "ORD"}
        )
    skip = {"code", "status_token", "document_number"}
    assert stored(copies[-1], skip=skip) == stored(ordinary, skip=skip)
    assert stored(copies[0], skip=skip) == stored(ordinary, skip=skip)


def test_rows_beyond_one_sqlite_statement_are_all_written(jurisdiction, monkeypatch):
    """With a small parameter limit, many statements: still every row, ids in order."""
    monkeypatch.setattr(bulk_rows, "SQLITE_PARAMETERS", 20)
    ports = [port(f"TS{i:03d}", jurisdiction) for i in range(25)]
    ids = bulk_rows.insert(ports)
    assert ids == [p.pk for p in ports]
    codes = dict(PortOfEntry.objects.filter(code__startswith="TS").values_list("pk", "code"))
    assert [codes[pk] for pk in ids] == [p.code for p in ports]


# insert: errors and refusals


@pytest.mark.django_db(transaction=True)
def test_a_broken_constraint_leaves_nothing_once_rolled_back():
    jurisdiction = Jurisdiction.objects.create(code="999002", name_zh="测试", name_en="Test")
    with audit.acting_as(username="test"):
        port("DUP", jurisdiction).save()
    before = PortOfEntry.objects.count()
    # The duplicate last, so that on SQLite the earlier statements have run.
    ports = [port(f"OK{i:04d}", jurisdiction) for i in range(3000)] + [port("DUP", jurisdiction)]
    # Any error here: whether it is Django's IntegrityError is the next test's question.
    with pytest.raises(Exception, match="(?i)unique|duplicate"), transaction.atomic():
        bulk_rows.insert(ports)
    assert PortOfEntry.objects.count() == before
    assert not PortOfEntry.objects.filter(code__startswith="OK").exists()


def test_a_duplicate_raises_djangos_integrity_error(jurisdiction):
    """As the docstring promises, and as callers catching ``django.db.IntegrityError`` expect."""
    with audit.acting_as(username="test"):
        port("DUP", jurisdiction).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_rows.insert([port("TSTD", jurisdiction), port("DUP", jurisdiction)])
    assert not PortOfEntry.objects.filter(code="TSTD").exists()


def test_a_null_in_a_not_null_column_raises_integrity_error(jurisdiction):
    ports = [port("TSTN", jurisdiction)]
    ports[0].name_en = None
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_rows.insert(ports)
    assert not PortOfEntry.objects.filter(code="TSTN").exists()


@pytest.mark.django_db(transaction=True)
def test_refuses_outside_a_transaction():
    jurisdiction = Jurisdiction.objects.create(code="999003", name_zh="测试", name_en="Test")
    with pytest.raises(transaction.TransactionManagementError):
        bulk_rows.insert([port("OUT", jurisdiction)])
    assert not PortOfEntry.objects.filter(code="OUT").exists()


def test_refuses_instances_of_two_models(jurisdiction):
    flight = Flight(number="XX1", date=dt.date(2026, 11, 27))
    with pytest.raises(ValueError, match="one model"):
        bulk_rows.insert([port("MIX", jurisdiction), flight])
    assert not PortOfEntry.objects.filter(code="MIX").exists()


def test_refuses_an_instance_with_a_key(jurisdiction):
    fresh, keyed = port("NEW", jurisdiction), port("KEYED", jurisdiction)
    keyed.pk = 10**9
    with pytest.raises(ValueError, match="generated keys"):
        bulk_rows.insert([fresh, keyed])
    assert not PortOfEntry.objects.filter(code__in=["NEW", "KEYED"]).exists()
    assert fresh.pk is None


def test_nothing_to_insert_sends_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bulk_rows.insert([]) == []


# collector_paused


@pytest.fixture
def collector_restored():
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_collector_is_off_inside_and_on_after(collector_restored):
    gc.enable()
    with bulk_rows.collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collector_is_back_on_after_an_exception(collector_restored):
    gc.enable()
    with pytest.raises(RuntimeError, match="boom"), bulk_rows.collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_nested_pauses_turn_the_collector_on_only_at_the_outer_end(collector_restored):
    gc.enable()
    with bulk_rows.collector_paused():
        with bulk_rows.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_already_disabled_collector_stays_disabled(collector_restored):
    gc.disable()
    with bulk_rows.collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()
    with pytest.raises(KeyError), bulk_rows.collector_paused():
        raise KeyError("x")
    assert not gc.isenabled()


# the among lookup


@pytest.fixture
def ports(jurisdiction):
    other = Jurisdiction.objects.create(code="999009", name_zh="别区", name_en="Other")
    with audit.acting_as(username="test"):
        made = [port(code, jurisdiction) for code in ["AMA", "AMB", "机场"]]
        made.append(port("AMD", other))
        for p in made:
            p.save()
    return made


def test_among_primary_keys(ports):
    wanted = [ports[0].pk, ports[2].pk, 10**9]
    found = PortOfEntry.objects.filter(pk__among=wanted)
    assert sorted(found.values_list("pk", flat=True)) == sorted(wanted[:2])
    assert set(found) == set(PortOfEntry.objects.filter(pk__in=wanted))


def test_among_foreign_key_ids_and_foreign_keys(ports, jurisdiction):
    by_id = PortOfEntry.objects.filter(jurisdiction_id__among=[jurisdiction.pk])
    assert sorted(p.code for p in by_id) == ["AMA", "AMB", "机场"]
    by_fk = PortOfEntry.objects.filter(jurisdiction__among=[ports[3].jurisdiction_id])
    assert [p.code for p in by_fk] == ["AMD"]
    both = PortOfEntry.objects.filter(
        jurisdiction__among=[jurisdiction.pk, ports[3].jurisdiction_id]
    )
    assert both.count() == 4


def test_among_char_fields(ports):
    found = PortOfEntry.objects.filter(code__among=["AMB", "机场", "NOPE"])
    assert sorted(p.code for p in found) == sorted(["AMB", "机场"])
    assert PortOfEntry.objects.filter(code__among=["amb"]).count() == 0


def test_among_across_a_join(ports, jurisdiction):
    found = PortOfEntry.objects.filter(jurisdiction__code__among=["999009"])
    assert [p.code for p in found] == ["AMD"]


def test_among_nothing_matches_nothing(ports):
    assert list(PortOfEntry.objects.filter(pk__among=[])) == []
    assert list(PortOfEntry.objects.filter(code__among=[])) == []
    assert PortOfEntry.objects.exclude(pk__among=[]).count() == PortOfEntry.objects.count()


def test_among_a_long_list(ports):
    wanted = [p.pk for p in ports] + list(range(10**8, 10**8 + 20000))
    assert PortOfEntry.objects.filter(pk__among=wanted).count() == 4


@pytest.mark.parametrize("bad", [True, False, 1.0, None, dt.date(2026, 1, 1), b"AMA"])
def test_among_refuses_other_types(ports, bad):
    with pytest.raises(TypeError):
        list(PortOfEntry.objects.filter(pk__among=[ports[0].pk, bad]))


def test_among_refuses_instances_for_a_foreign_key(ports, jurisdiction):
    with pytest.raises(TypeError):
        list(PortOfEntry.objects.filter(jurisdiction__among=[jurisdiction]))
