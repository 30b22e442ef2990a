"""Run service calls in threads so that they truly overlap inside the critical section.

Starting threads together at a barrier is not enough: the first may be done before the second
begins. ``Overlap.hold_first`` patches a function the service calls once it holds its lock (or,
on SQLite, has begun its IMMEDIATE transaction); ``Overlap.run`` starts the first call alone and
the others only once it is there, where it waits for them, and a moment more, so that they reach
the lock while the first is still inside. The test then asserts what the lock is for, and
``remove_the_lock`` shows what happens when it is gone.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, connections
from django.db.models import QuerySet
from django.utils import translation

# How long the first caller stays inside once all others have started: long enough for them to
# reach the lock, short enough for a test suite.
PAUSE = 0.2
TIMEOUT = 30


@dataclass
class Overlap:
    calls: int
    # The first waits until another call got in too (for a test without the lock).
    wait_for_entry: bool = False
    # … or until the others are done (they do not pass the pause point, and no lock stops them).
    wait_for_done: bool = False
    first: int = 0  # the call that goes first and waits inside
    inside_at: float | None = None
    held_until: float | None = None  # when the first, still inside, was let go on
    started_at: dict[int, float] = field(default_factory=dict)
    entered_at: dict[int, float] = field(default_factory=dict)  # the others at the pause point
    finished_at: dict[int, float] = field(default_factory=dict)
    _inside: threading.Event = field(default_factory=threading.Event)
    _all_started: threading.Event = field(default_factory=threading.Event)
    _entered: threading.Event = field(default_factory=threading.Event)
    _others_done: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def hold_first(self, monkeypatch, owner: Any, name: str, *, after: bool = False) -> None:
        """Patch ``owner.name``: the first call waits there for the others (before the real
        function runs, or ``after`` it, when the real function is what takes the lock)."""
        real = getattr(owner, name)

        def held(*args, **kwargs):
            if after:
                result = real(*args, **kwargs)
            self.arrive()
            if not after:
                result = real(*args, **kwargs)
            return result

        monkeypatch.setattr(owner, name, held)

    def arrive(self) -> None:
        name = threading.current_thread().name
        if not name.isdigit():  # not one of ``run``'s calls (the test's own setup)
            return
        index = int(name)
        with self._lock:
            first = index == self.first and self.inside_at is None
            if first:
                self.inside_at = time.monotonic()
            elif index != self.first:
                self.entered_at.setdefault(index, time.monotonic())
                self._entered.set()
        if first:
            self._inside.set()
            assert self._all_started.wait(TIMEOUT), "the other calls never started"
            if self.wait_for_entry:
                self._entered.wait(TIMEOUT)
            if self.wait_for_done:
                self._others_done.wait(TIMEOUT)
            time.sleep(PAUSE)
            self.held_until = time.monotonic()

    def run(self, *calls: Callable[[], Any]) -> list:
        """Run each call in its own thread and connection: the first alone until it is inside,
        then the others. What each returned or raised."""
        assert len(calls) == self.calls
        outcomes: list = [None] * len(calls)

        def run(index: int, call: Callable[[], Any]) -> None:
            try:
                if index != self.first:
                    self._inside.wait(TIMEOUT)
                with self._lock:
                    self.started_at[index] = time.monotonic()
                    if len(self.started_at) == self.calls:
                        self._all_started.set()
                with translation.override("en"):  # a thread starts in the default language
                    outcomes[index] = call()
            except Exception as error:  # noqa: BLE001 - the outcome is what the test looks at
                outcomes[index] = error
            finally:
                with self._lock:
                    self.finished_at[index] = time.monotonic()
                    if all(i in self.finished_at for i in self.others):
                        self._others_done.set()
                self._inside.set()  # never leave the others waiting for a first that is gone
                connections.close_all()

        threads = [
            threading.Thread(target=run, args=(i, c), name=str(i)) for i, c in enumerate(calls)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT * 2)
        return outcomes

    @property
    def others(self) -> list[int]:
        return [i for i in range(self.calls) if i != self.first]

    def assert_overlapped(self) -> None:
        """Every other call started while the first was held inside the critical section."""
        assert self.held_until is not None, "the first call never reached the critical section"
        late = [i for i in self.others if not self.inside_at < self.started_at[i] < self.held_until]
        assert not late, f"calls {late} did not start while call {self.first} was inside"

    def assert_serialized(self) -> None:
        """The lock held the others: none got inside, nor finished, while the first was held."""
        self.assert_overlapped()
        inside = self.entered_while_first_inside()
        assert not inside, f"calls {inside} got inside while call {self.first} was"
        early = [i for i in self.others if self.finished_at[i] < self.held_until]
        assert not early, f"calls {early} were done while call {self.first} was inside"

    def entered_while_first_inside(self) -> list[int]:
        return sorted(i for i, at in self.entered_at.items() if at < self.held_until)


def message(outcome: Any) -> str:
    return getattr(outcome, "message", str(outcome))


def remove_the_lock(monkeypatch) -> str:
    """Take the database's lock away from the threads' connections.

    On PostgreSQL the lock is the row lock: ``select_for_update`` becomes a plain read. On
    SQLite it is the transaction itself (BEGIN IMMEDIATE takes the write lock, see
    liaison/settings.py): new connections begin DEFERRED, as SQLite does by default.
    """
    if connection.vendor == "sqlite":
        options = connections.settings["default"]["OPTIONS"]
        monkeypatch.setitem(options, "transaction_mode", "DEFERRED")
    else:
        monkeypatch.setattr(QuerySet, "select_for_update", lambda self, *a, **k: self)
    return connection.vendor
