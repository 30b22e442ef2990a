"""A limit of requests per client, counted in one statement that every app server shares.

The public declaration form and the declarations API allow so many submissions per client address
(``LIAISON_DECLARATION_RATE``, ASVS 2.2.1). The count lives in the database, the one thing every
app server shares, as one row per client (``core.RateCount``), and each request reads and moves it
with **one** ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement (SQLite ≥ 3.35 and
PostgreSQL alike):

- *atomic*: two app servers that count the same address at the same moment cannot both read the
  old count and both pass. The counting it replaces (django-ninja's ``SimpleRateThrottle`` over
  Django's database cache) read the address's history, then wrote it back: requests sent in
  parallel could each read the same history and all pass;
- *cheap*: one statement instead of the cache's read, its read-then-write of the entry in a
  transaction and a count of the whole cache table on every write (the old counting added 22% to
  a declaration's time on SQLite and 53-62% on PostgreSQL, this one 6% and 19-24%, in one
  process: bench/README.md);
- *not synced*: outside a transaction, the counter's own commit does not wait for the disk
  (SQLite's ``synchronous`` lowered to NORMAL for it, PostgreSQL's ``synchronous_commit`` off for
  its transaction). A count lost to a power cut lets a client a few more requests; every commit
  that acknowledges something still waits for the disk (the next synced commit syncs the log up
  to and including the counter's);
- *a sliding window, approximated*: the count of the current window of ``period`` seconds plus
  the previous window's, weighted by how much of it still lies within the last ``period``
  seconds (the approximation Cloudflare describes in "How we built rate limiting capable of
  scaling to millions of domains", 2017), rounded against the client: a request passes only if
  the estimate with it counted stays within the limit, so requests a second apart across a
  window's edge are never one more than the limit (``estimate < limit`` let a fourth of "3/min"
  through when the first fell in the window before), and a burst at the edge is not let through
  twice, as fixed windows would. One row per client rather than a timestamp per request.

Only allowed requests count, so that a traveler told to wait N seconds can send after N seconds.
The row names no address: its key is a keyed hash (HMAC with ``SECRET_KEY``) of the scope and the
address, and ``forget_stale`` (run hourly by ``retention.forget_rate_counts``) deletes the rows
whose windows have passed.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from liaison.core.models import RateCount
from liaison.core.rates import Rate

__all__ = ["Decision", "Rate", "forget_stale", "hit"]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    wait: int  # seconds until a request would be allowed again; 0 when this one was


_TABLE = RateCount._meta.db_table
_IN_SLOT = "CASE WHEN t.slot = excluded.slot THEN t.in_slot ELSE 0 END"
_IN_PREVIOUS = (
    "CASE WHEN t.slot = excluded.slot THEN t.in_previous"
    " WHEN t.slot = excluded.slot - 1 THEN t.in_slot ELSE 0 END"
)
# Room for one more: the estimate with this request counted stays within the limit.
_UNDER_LIMIT = f"({_IN_PREVIOUS}) * %s + ({_IN_SLOT}) <= %s"
_SET = f"""ON CONFLICT (key) DO UPDATE SET
    slot = excluded.slot,
    expires = excluded.expires,
    in_previous = {_IN_PREVIOUS},
    in_slot = {_IN_SLOT} + CASE WHEN {_UNDER_LIMIT} THEN 1 ELSE 0 END,
    last_allowed = {_UNDER_LIMIT}
RETURNING in_slot, in_previous, last_allowed"""
_COLUMNS = "(key, slot, expires, in_slot, in_previous, last_allowed)"
# Every name is the model's or written here; every value a parameter.
# Both databases read this one; PostgreSQL outside a transaction reads the next.
_UPSERT = f"INSERT INTO {_TABLE} AS t {_COLUMNS} VALUES (%s, %s, %s, %s, 0, %s) {_SET}"  # noqa: S608
# PostgreSQL: the statement's own transaction commits without waiting for the WAL's flush
# (set_config(…, true) lasts until the end of that transaction; a FROM item is always evaluated).
_UPSERT_UNSYNCED_PG = (
    f"INSERT INTO {_TABLE} AS t {_COLUMNS} SELECT %s, %s, %s, %s, 0, %s"  # noqa: S608
    " FROM (SELECT set_config('synchronous_commit', 'off', true)) AS unsynced "
    f"{_SET}"
)


def hit(scope: str, client: str, rate: Rate, *, now: float | None = None) -> Decision:
    """Count a request of ``client`` against ``rate`` in ``scope``, if it is allowed; one
    statement. ``now`` (seconds since the epoch) is for tests."""
    now = time.time() if now is None else now
    slot, into = divmod(now, rate.period)
    slot = int(slot)
    keep = 1 - into / rate.period  # the share of the previous window still within one period
    first = rate.limit > 0
    params = [_key(scope, client), slot, (slot + 2) * rate.period, int(first), first]
    params += [keep, rate.limit - 1] * 2
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            # Inside the caller's transaction its commit decides, synced or not.
            cursor.execute(_UPSERT, params)
            row = cursor.fetchone()
        elif connection.vendor == "postgresql":
            cursor.execute(_UPSERT_UNSYNCED_PG, params)
            row = cursor.fetchone()
        else:
            row = _sqlite_unsynced(cursor, params)
    in_slot, in_previous, allowed = row
    if allowed:
        return Decision(True, 0)
    return Decision(False, _wait(rate, in_slot, in_previous, into))


def _sqlite_unsynced(cursor, params):
    # synchronous is the connection's, not the transaction's: lowered for this commit only.
    cursor.execute("PRAGMA synchronous=NORMAL")
    try:
        cursor.execute(_UPSERT, params)
        return cursor.fetchone()
    finally:
        cursor.execute(f"PRAGMA synchronous={settings.LIAISON_SQLITE_SYNCHRONOUS}")


def _wait(rate: Rate, in_slot: int, in_previous: int, into: float) -> int:
    """Whole seconds until ``in_previous * keep + in_slot <= limit - 1`` holds again, with
    nothing more counted meanwhile (so a client told to wait that long is let through)."""
    period, room = rate.period, rate.limit - 1
    if room < 0:
        return period
    if in_slot <= room and in_previous > 0:
        # Within this window: keep = 1 - x / period must fall to (room - in_slot) / previous.
        x = period * (1 - (room - in_slot) / in_previous)
        seconds = x - into
    else:
        # The next window, where this one's count is the previous: (1 - y / period) * in_slot.
        y = period * (1 - room / in_slot) if in_slot else 0.0
        seconds = period - into + y
    return max(1, math.floor(seconds) + 1)


def forget_stale(*, now: float | None = None) -> int:
    """Delete the counts whose windows have passed; how many."""
    now = time.time() if now is None else now
    deleted, _ = RateCount.objects.filter(expires__lte=now).delete()
    return deleted


def _key(scope: str, client: str) -> str:
    message = f"{scope}\0{client}".encode("utf-8", "surrogatepass")
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()
