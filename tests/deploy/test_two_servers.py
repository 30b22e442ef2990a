"""Two app servers on one database under mixed load keep every guarantee (issue 19, point 3).

Two gunicorn servers (production settings, two workers each) on the test's database — the
deployment the README's "Production" section describes, without the proxy: the clients send what
it would (the public host, ``X-Forwarded-Proto: https``). At once, on both servers:

- 200 declarations from 4 clients, each sent to one server and one in ten sent again to the
  other with its Idempotency-Key (a client that never saw its answer);
- a laboratory's results file of 300 rows, uploaded on one server and saved on the other;
- the desk marking the same traveler screened from both servers at the same moment, 4 times;
- the closed-loop board read on both.

Each traveler sends from their own address, named by the proxy (``X-Forwarded-For``), so the
declarations' limit per address is on, as in production; one address over it is refused 429
whichever server it reaches.

Afterwards, counted in the database: every declaration once, whole, with the code its client
was told; every result once; each race won once and lost with the documented 409.
On PostgreSQL (scripts/with-postgres.sh) and on SQLite (one file in WAL mode, shared).
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from liaison.arrivals.models import Arrival, ArrivalEvent
from liaison.arrivals.states import ArrivalState
from liaison.core.roles import Role
from tests.conftest import PASSWORD
from tests.deploy.conftest import (
    assert_declarations_stored_once,
    assert_results_stored_once,
    declaration_body,
    ready_to_screen,
    results_file,
    sampled_travelers,
    staff,
)
from tests.deploy.servers import RETRIED, Browser, call, declare

pytestmark = pytest.mark.django_db(transaction=True)

DECLARATIONS = 200
CLIENTS = 4
RESULT_ROWS = 300
RACES = 4
BOARD_READS = 20
DEADLINE = 50  # seconds for the whole load; each request also has its own timeout


def send(ports: list[int], first: int, document: str, *, deadline: float) -> tuple[int, dict]:
    """A client's declaration, retried on a connection error with the same key, on the next
    server, until answered (bounded by ``deadline``)."""
    key = f"deploy-{document}"
    body = declaration_body(document)
    attempt = first
    while True:
        try:
            return declare(ports[attempt % len(ports)], body, key, timeout=20)
        except RETRIED:
            if time.monotonic() > deadline:
                raise
            attempt += 1
            time.sleep(0.05)


def test_two_servers_on_one_database_keep_every_guarantee(city, deployment):
    started = time.monotonic()
    # The servers start while the test writes its data (they read nothing of it until asked).
    pending = deployment.spawn("a", "b")
    lab = staff("hu-lab", Role.LAB)
    desk_one = staff("li-desk", Role.AIRPORT_DESK)
    desk_two = staff("ma-desk", Role.AIRPORT_DESK)
    board = staff("sun-dispatch", Role.DISPATCH)
    samples = sampled_travelers(RESULT_ROWS, prefix="LF")
    csv = results_file(samples)
    racing = ready_to_screen(RACES, desk_one)
    a, b = deployment.wait(pending)
    ports = [a.port, b.port]
    setup = time.monotonic() - started

    lab_browser = Browser().sign_in(a.port, lab.username, PASSWORD)
    desks = [
        Browser().sign_in(a.port, desk_one.username, PASSWORD),
        Browser().sign_in(b.port, desk_two.username, PASSWORD),
    ]
    board_browser = Browser().sign_in(b.port, board.username, PASSWORD)
    deadline = time.monotonic() + DEADLINE
    documents = [f"D{n:08d}" for n in range(DECLARATIONS)]

    def declarations(client: int) -> list[tuple[str, int, dict, int, dict | None]]:
        told = []
        for n, document in enumerate(documents[client::CLIENTS]):
            status, answer = send(ports, n + client, document, deadline=deadline)
            again = None
            if n % 10 == 0:  # the answer was lost: the same request, to the other server
                again = send(ports, n + client + 1, document, deadline=deadline)
            told.append((document, status, answer, *(again or (None, None))))
        return told

    def results() -> tuple[int, int, bytes]:
        status, headers, page = lab_browser.post_file(
            a.port, "/screening/lab/", {"action": "file", "lab": "Jiangbei CDC"}, "file",
            "results.csv", csv,
        )  # fmt: skip
        assert status == 302, (status, page[:500])
        preview = headers["location"][0]
        saved, _headers, page = lab_browser.post_form(  # saved on the other server
            b.port, preview + "save/", {}, token_from=preview
        )
        return status, saved, page

    def screen(arrival: Arrival, start: threading.Barrier) -> list[int]:
        path = f"/screening/desk/{arrival.pk}/"

        def click(n: int) -> int:
            browser, port = desks[n], ports[n]
            token = browser.token(port, path)
            start.wait(20)
            status, _headers, _page = browser.request(
                port,
                "POST",
                path,
                f"csrfmiddlewaretoken={token}&action=screen".encode(),
                {"Content-Type": "application/x-www-form-urlencoded"},
            )
            return status

        with ThreadPoolExecutor(2) as both:
            return sorted(both.map(click, range(2)))

    def board_reads() -> list[int]:
        return [
            board_browser.request(ports[n % 2], "GET", "/handover/board/")[0]
            for n in range(BOARD_READS)
        ]

    load_started = time.monotonic()
    with ThreadPoolExecutor(CLIENTS + 3) as pool:
        declared = [pool.submit(declarations, c) for c in range(CLIENTS)]
        filed = pool.submit(results)
        read = pool.submit(board_reads)
        races = [screen(arrival, threading.Barrier(2)) for arrival in racing]
        told = [row for future in declared for row in future.result(DEADLINE)]
        upload, save, saved_page = filed.result(DEADLINE)
        board_statuses = read.result(DEADLINE)
    load = time.monotonic() - load_started

    # Every declaration answered 201 — the replays too, with the first answer's code.
    assert len(told) == DECLARATIONS
    assert {status for _doc, status, *_rest in told} == {201}, [t for t in told if t[1] != 201][:3]
    replays = [(answer, *again) for _doc, _status, answer, *again in told if again[0]]
    assert len(replays) == DECLARATIONS // 10
    assert all(status == 201 and again["code"] == first["code"] for first, status, again in replays)
    acknowledged = {doc: answer["code"] for doc, _status, answer, *_rest in told}
    assert_declarations_stored_once(acknowledged, documents)

    # The file: uploaded on one server, saved on the other, every row once.
    assert save == 200, saved_page[:500]
    from liaison.screening.models import ResultsImport

    assert_results_stored_once(samples, set(ResultsImport.objects.values_list("pk", flat=True)))

    # Each race: one officer screened the traveler, the other was told someone had (409).
    assert races == [[302, 409]] * RACES, races
    screened = ArrivalEvent.objects.filter(arrival__in=racing, to_state=ArrivalState.SCREENED)
    assert screened.count() == RACES
    after = Arrival.objects.filter(pk__in=[r.pk for r in racing]).values_list("state", flat=True)
    assert set(after) <= {ArrivalState.SCREENED, ArrivalState.DISPOSED}

    assert board_statuses == [200] * BOARD_READS

    # Behind the proxy the limit is per traveler's address and shared by the servers: one
    # address's 60 requests a minute, wherever they land, then 429 (empty bodies: nothing stored).
    statuses = [
        call(ports[n % 2], "POST", "/api/v1/declarations", b"", {"X-Forwarded-For": "192.0.2.9"})[0]
        for n in range(61)
    ]
    assert statuses == [400] * 60 + [429], statuses
    # Two servers on one host share no control socket (liaison/gunicorn_conf.py).
    assert not any("Control socket" in server.tail() for server in (a, b))
    assert load < DEADLINE, f"the load took {load:.1f} s"
    print(f"two servers: setup {setup:.1f} s, load {load:.1f} s")  # noqa: T201
