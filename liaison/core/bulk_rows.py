"""Inserting many new rows of one model through the database's bulk path.

``bulk_create`` prepares every field of every instance through the field's methods and, on
SQLite, sends at most 999 parameters per statement: for a results file's 50,000 new rows that
Python work cost more than the database's (``bench/lab_results.py``). ``insert`` (model
instances) and ``insert_values`` (rows as ``{attname: value}``, without an instance each) choose
once per column how its values reach the database, then:

- on PostgreSQL draws the new primary keys from the table's sequence in one query and sends the
  rows with ``COPY … FROM STDIN``, the server's loading path (no statement per row or per chunk);
- on SQLite sends multi-row ``INSERT … RETURNING`` statements of up to 32,766 parameters (the
  limit of every SQLite this project supports, 3.32 and later).

Like ``bulk_create`` it sends no model signals: the caller audits what it wrote
(``audit.record_many``). It must run inside the caller's transaction.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import orjson
from django.db import connections, models, transaction
from django.utils import timezone

# Fields whose plain Python values (int, str, bool, None) the drivers take as they are: for
# those values ``get_db_prep_save`` returns its argument. Any other value goes through it.
_AS_IS_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
)
_PLAIN = (int, str, bool, type(None))
SQLITE_PARAMETERS = 32766


def insert(objs: Sequence[models.Model], *, using: str = "default") -> list[int]:
    """Insert new instances of one model, in order; set and return their primary keys.

    ``auto_now`` and ``auto_now_add`` fields all take one moment, the call's. Raises
    ``django.db.IntegrityError`` if a row breaks a constraint (the caller's transaction is then
    to be rolled back, as after any failed statement).
    """
    if not objs:
        return []
    model = type(objs[0])
    if any(type(obj) is not model for obj in objs):
        raise ValueError("bulk_rows.insert: instances of one model at a time")
    if any(obj.pk is not None for obj in objs):
        raise ValueError(
            f"{model._meta.label}: bulk_rows.insert makes new rows with generated keys"
        )
    connection, fields, now = _begin(model, using)
    for f in fields:
        if _is_auto_now(f):
            moment = _moment(f, now)
            for obj in objs:
                setattr(obj, f.attname, moment)
    columns = [_column(f, [getattr(obj, f.attname) for obj in objs], connection) for f in fields]
    ids = _write(model._meta, fields, list(zip(*columns, strict=True)), connection)
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = using
    return ids


def insert_values(
    model: type[models.Model], rows: Sequence[Mapping[str, Any]], *, using: str = "default"
) -> list[int]:
    """``insert`` of rows given as ``{attname: value}`` (``arrival_id``, not ``arrival``),
    without a model instance each: for the tens of thousands of rows of one bulk write, making
    the instances cost as much as preparing their values. A column a row leaves out takes the
    field's default (one value for the call, as ``auto_now`` fields take one moment); an unknown
    name is refused (``ValueError``). Returns the new primary keys, in order."""
    if not rows:
        return []
    connection, fields, now = _begin(model, using)
    unknown = set().union(*rows) - {f.attname for f in fields}
    if unknown:
        raise ValueError(f"{model._meta.label}: no column {sorted(unknown)}")
    columns = []
    for f in fields:
        name = f.attname
        if _is_auto_now(f):
            default = _moment(f, now)
        else:  # as Django's create: the default, "" for text, else None (if null is allowed)
            default = f.get_default()
            if default is None and not f.null:
                default = _REQUIRED
        # A column at a time: its values in one comprehension (``_column``).
        values = [row.get(name, default) for row in rows]
        if default is _REQUIRED and any(v is _REQUIRED for v in values):
            raise ValueError(f"{model._meta.label}: {name} is required")
        columns.append(_column(f, values, connection))
    return _write(model._meta, fields, list(zip(*columns, strict=True)), connection)


_REQUIRED = object()


def _column(field: models.Field, values: list, connection) -> list:
    """One column's values as the driver takes them, prepared only when one of them is not a
    plain value the drivers take as it is (most columns of a bulk write)."""
    if field.get_internal_type() in _AS_IS_TYPES and all(type(v) in _PLAIN for v in values):
        return values
    seen: dict = {}
    return [_prepared_once(field, v, seen, connection) for v in values]


def _begin(model: type[models.Model], using: str):
    meta = model._meta
    if not meta.pk.db_returning:
        raise ValueError(f"{meta.label}: bulk_rows makes new rows with generated keys")
    if not transaction.get_connection(using).in_atomic_block:
        raise transaction.TransactionManagementError("bulk_rows writes inside a transaction")
    fields = [f for f in meta.local_concrete_fields if not f.primary_key]
    return connections[using], fields, timezone.now()


def _is_auto_now(field: models.Field) -> bool:
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def _moment(field: models.Field, now):
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return timezone.localdate(now)
    return now


def _write(meta, fields, rows: list[list], connection) -> list[int]:
    if connection.vendor == "postgresql":
        return _copy(meta, fields, rows, connection)
    return _insert_returning(meta, fields, rows, connection)


def _prepared_once(field: models.Field, value: Any, seen: dict, connection) -> Any:
    """``_prepared``, once per distinct scalar value of a column in one call: its rows share
    most values (the moment, the officer, the batch). Keyed by type too, since True == 1 in
    Python and not in a JSON column; containers (a JSON document) are prepared every time."""
    if isinstance(value, dict | list | tuple | set | frozenset):
        if type(value) in (dict, list) and _plain_json(field):
            return _json_text(field, value, connection)
        return _prepared(field, value, connection)
    key = (type(value), value)
    try:
        return seen[key]
    except KeyError:
        return seen.setdefault(key, _prepared(field, value, connection))
    except TypeError:  # unhashable
        return _prepared(field, value, connection)


def _plain_json(field: models.Field) -> bool:
    return isinstance(field, models.JSONField) and field.encoder is None


# What json.dumps refuses or writes otherwise, orjson hands back (and so refuses) with these.
_ONLY_JSON = (
    orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def _json_text(field: models.JSONField, value: dict | list, connection) -> Any:
    """A JSON document of a column without an encoder of its own, as the JSON text both
    drivers send as they are (SQLite's TEXT; PostgreSQL's ``jsonb`` parses it from COPY's text),
    encoded by orjson: four times faster than ``json.dumps`` on a decision's explanation. A
    value orjson refuses (a key that is not a string, an integer beyond 64 bits, a date: not
    JSON, which ``json.dumps`` without an encoder refuses too; a subclass of str or dict, such
    as a choices enum) goes Django's way, which converts or refuses it as it always did. orjson
    writes other scripts as UTF-8 where ``json.dumps`` writes ``\\u`` escapes: the same JSON,
    read back the same."""
    try:
        return orjson.dumps(value, option=_ONLY_JSON).decode()
    except TypeError:  # orjson.JSONEncodeError
        return _prepared(field, value, connection)


def _prepared(field: models.Field, value: Any, connection) -> Any:
    value = field.get_db_prep_save(value, connection)
    # A choices enum (a str subclass) as its plain value: what the drivers are sure to take.
    if isinstance(value, str) and type(value) is not str:
        return str(value)
    return value


def _copy(meta, fields, rows, connection) -> list[int]:
    quote = connection.ops.quote_name
    table, pk = meta.db_table, meta.pk.column
    with connection.cursor() as cursor:
        # The sequence is named once: pg_get_serial_sequence per row cost 7 times the nextval.
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [quote(table), pk])
        (sequence,) = cursor.fetchone()
        cursor.execute(
            "SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)",
            [sequence, len(rows)],
        )
        ids = sorted(cursor.fetchone()[0])
        names = ", ".join(quote(c) for c in [pk, *(f.column for f in fields)])
        # Names from the model's own meta; the values travel as COPY data, never as SQL. The
        # driver's cursor, so Django's wrapper turns its errors into Django's (IntegrityError).
        with (
            connection.wrap_database_errors,
            cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy,
        ):
            for pk_value, row in zip(ids, rows, strict=True):
                copy.write_row((pk_value, *row))
    return ids


def _insert_returning(meta, fields, rows, connection) -> list[int]:
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
    head = f"INSERT INTO {quote(meta.db_table)} ({names}) VALUES "  # noqa: S608 (names from meta)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, SQLITE_PARAMETERS // max(1, len(fields)))
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            cursor.execute(
                head + ", ".join([one] * len(chunk)) + f" RETURNING {quote(meta.pk.column)}",
                [value for row in chunk for value in row],
            )
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for one bulk write, back on after it.

    A results file's save makes some 10^6 short-lived objects (instances, rows, reasons); each
    allocation burst set off a collection that walked every live object of the process: 2.1 s of
    a 5.4 s save of 10,000 results (``bench/lab_results.py``). Almost all of them are freed by
    reference counting as they go out of use; the few cycles among them wait for the next
    collection after this ends. The write
    is bounded (a file has at most ``results_files.MAX_ROWS`` rows), so is what waits.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
