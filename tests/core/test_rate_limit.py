"""The rate limit per client (liaison/core/rate_limit.py): one statement, atomic, a sliding
window, a wait that holds its promise, no address stored, stale counts forgotten."""

import random
import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from liaison.core import rate_limit
from liaison.core.models import RateCount
from liaison.core.rate_limit import Rate

pytestmark = pytest.mark.django_db

T0 = 1_800_000_000.0  # a window's start: divisible by 60


def test_rates_are_read_as_the_setting_writes_them():
    assert Rate.parse("60/min") == Rate(60, 60)
    assert Rate.parse("10/s") == Rate(10, 1)
    assert Rate.parse("5/10m") == Rate(5, 600)
    assert Rate.parse("1000/day") == Rate(1000, 86400)
    wrong_ones = ("", "60", "60/", "60/minute", "x/min", "-1/min", "5/0m", "5/1.5m", "60/min/2")
    # Digits of other scripts: str.isdigit takes them, and int() takes some of them.
    for wrong in (*wrong_ones, "\u00b2/min", "\u0663/min", "6/\u0663m"):
        with pytest.raises(ValueError):
            Rate.parse(wrong)


def test_the_limit_lets_so_many_through_and_then_says_how_long_to_wait():
    rate = Rate(3, 60)
    assert [rate_limit.hit("t", "a", rate, now=T0 + i).allowed for i in range(3)] == [True] * 3
    refused = rate_limit.hit("t", "a", rate, now=T0 + 10)
    assert not refused.allowed
    assert 0 < refused.wait <= 120
    # Refusals do not count: told to wait, the client is let through when the wait is over.
    assert not rate_limit.hit("t", "a", rate, now=T0 + 11).allowed
    assert rate_limit.hit("t", "a", rate, now=T0 + 10 + refused.wait).allowed
    # Another client, and the same client under another scope, have budgets of their own.
    assert rate_limit.hit("t", "b", rate, now=T0 + 10).allowed
    assert rate_limit.hit("u", "a", rate, now=T0 + 10).allowed


def test_a_burst_at_a_windows_edge_is_not_let_through_twice():
    """Fixed windows would allow ten at 00:59.5 and ten more at 01:00.5."""
    rate = Rate(10, 60)
    assert all(rate_limit.hit("t", "a", rate, now=T0 + 59.5).allowed for _ in range(10))
    after_the_edge = [rate_limit.hit("t", "a", rate, now=T0 + 60.5).allowed for _ in range(10)]
    # The previous window still weighs 59.5/60 of its ten: no room for one more.
    assert after_the_edge == [False] * 10
    # Half a window later it weighs five: five more.
    assert sum(rate_limit.hit("t", "a", rate, now=T0 + 90).allowed for _ in range(10)) == 5


def test_requests_a_second_apart_across_the_edge_are_never_one_too_many():
    """3/min, sent a second apart, starting anywhere near a window's edge: the fourth within
    those seconds is refused (an estimate rounded in the client's favour let it through when
    the first fell in the window before)."""
    rate = Rate(3, 60)
    for start in range(50, 70):
        client = f"edge{start}"
        sent = [rate_limit.hit("t", client, rate, now=T0 + start + i).allowed for i in range(5)]
        assert sent == [True, True, True, False, False], start


def test_the_wait_it_names_is_enough_and_not_much_more():
    """Random traffic: whenever a request is refused, waiting the named seconds (and sending
    nothing meanwhile) is let through, and waiting two seconds less than that was not yet."""
    rng = random.Random(19)
    for trial in range(40):
        rate = Rate(rng.randint(1, 8), rng.choice([10, 60, 3600]))
        client = f"c{trial}"
        now = T0 + rng.uniform(0, rate.period)
        for _ in range(rng.randint(1, 30)):
            now += rng.uniform(0, rate.period / 5)
            decision = rate_limit.hit("t", client, rate, now=now)
            if decision.allowed:
                continue
            assert 1 <= decision.wait <= 2 * rate.period
            if decision.wait > 2:
                assert not _would_allow(rate, client, now + decision.wait - 2)
            assert _would_allow(rate, client, now + decision.wait)
            now += decision.wait


def _would_allow(rate: Rate, client: str, now: float) -> bool:
    """Whether a request at ``now`` would pass, without counting it: on a savepoint undone."""
    with transaction.atomic():
        sid = transaction.savepoint()
        allowed = rate_limit.hit("t", client, rate, now=now).allowed
        transaction.savepoint_rollback(sid)
    return allowed


def test_one_statement_a_request_and_no_address_stored():
    with CaptureQueriesContext(connection) as queries:
        rate_limit.hit("declarations", "203.0.113.7", Rate(60, 60), now=T0)
    statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("PRAGMA")]
    assert len(statements) == 1
    assert statements[0].startswith("INSERT")
    (row,) = RateCount.objects.all()
    assert (
        "203.0.113.7" not in str(RateCount.objects.values_list("key", "slot", "expires").get())
        and len(row.key) == 64
    )


@pytest.mark.django_db(transaction=True)
def test_only_the_counters_own_commit_is_unsynced(settings):
    """Each database in its own way: the counter's commit does not wait for the disk, every
    other commit of the connection still does, and a caller's transaction is left alone."""
    if connection.vendor == "sqlite":
        _on_sqlite(settings)
    else:
        assert connection.vendor == "postgresql"
        _on_postgresql()


def _on_sqlite(settings):
    assert settings.LIAISON_SQLITE_SYNCHRONOUS == "FULL"
    with CaptureQueriesContext(connection) as queries:
        rate_limit.hit("t", "a", Rate(1, 60), now=T0)  # its own transaction
    sql = [q["sql"] for q in queries.captured_queries]
    assert sql[0] == "PRAGMA synchronous=NORMAL" and sql[1].startswith("INSERT")
    assert sql[2] == "PRAGMA synchronous=FULL"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2  # FULL again for every commit after it
    # Inside a transaction the caller's commit decides: nothing is lowered.
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        rate_limit.hit("t", "b", Rate(1, 60), now=T0)
    assert not any("synchronous" in q["sql"] for q in queries.captured_queries)


def _on_postgresql():
    def synchronous_commit(cursor):
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]

    with connection.cursor() as cursor:
        # The tests' cluster runs with it off; as a durable deployment runs, for the session.
        cursor.execute("SET synchronous_commit TO on")
        before = synchronous_commit(cursor)
        assert before == "on"
        with CaptureQueriesContext(connection) as queries:
            rate_limit.hit("t", "a", Rate(1, 60), now=T0)  # its own transaction
        assert "set_config('synchronous_commit', 'off', true)" in queries.captured_queries[0]["sql"]
        assert synchronous_commit(cursor) == before  # the session's setting, untouched
        with transaction.atomic():
            rate_limit.hit("t", "b", Rate(1, 60), now=T0)
            # The caller's transaction would commit as it was going to.
            assert synchronous_commit(cursor) == before
        cursor.execute("RESET synchronous_commit")


def test_stale_counts_are_forgotten_and_current_ones_kept():
    rate = Rate(5, 60)
    rate_limit.hit("t", "old", rate, now=T0)
    rate_limit.hit("t", "new", rate, now=T0 + 100)
    assert rate_limit.forget_stale(now=T0 + 121) == 1  # "old" counts until T0 + 120
    assert RateCount.objects.count() == 1
    # The one kept still counts: four more, then refused.
    assert [rate_limit.hit("t", "new", rate, now=T0 + 101).allowed for _ in range(5)] == [
        True
    ] * 4 + [False]


def test_the_hourly_job_forgets_them(monkeypatch):
    from datetime import UTC, datetime

    from liaison.jobs.registry import JOBS

    rate_limit.hit("t", "old", Rate(5, 60), now=T0)
    job = JOBS["retention.forget_rate_counts"]
    assert job.every.total_seconds() == 3600
    job.func(due_at=datetime.fromtimestamp(T0 + 3600, tz=UTC))
    assert not RateCount.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_clients_counted_at_the_same_moment_never_pass_more_than_the_limit():
    """Eight threads, each its own database connection, 6 requests each of one client, all
    released together: exactly the limit passes, on SQLite and PostgreSQL."""
    rate, start, results = Rate(10, 3600), threading.Barrier(8), []
    lock = threading.Lock()

    def send():
        try:
            start.wait(timeout=10)
            mine = [rate_limit.hit("t", "crowd", rate, now=T0 + 1).allowed for _ in range(6)]
            with lock:
                results.extend(mine)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 48
    assert results.count(True) == 10
    assert RateCount.objects.get().in_slot == 10
