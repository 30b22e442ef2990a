"""An app server killed under load loses nothing and doubles nothing (issue 19, point 4).

Two gunicorn servers (production settings) on the test's database. Four clients send 200
declarations, alternating between the servers; a laboratory's file of 300 rows is uploaded. Once
a third of the declarations are answered, the file's save is sent to server A and, while it runs,
A — its master and every worker — is killed with SIGKILL. Each client whose request failed (a
connection reset, refused or closed) sends it again, with the same Idempotency-Key, to the other
server; the laboratory sends its save again to B. A is then started again on the same database,
and every declaration is sent to it once more.

Afterwards: every declaration answered is stored once and whole, with the code its client was
told, and answered with that code again after the restart; every row of the file is one result,
every traveler moved once per step, in one saved file record. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from liaison.core.roles import Role
from liaison.screening.models import ResultsImport
from tests.conftest import PASSWORD
from tests.deploy.conftest import (
    assert_declarations_stored_once,
    assert_results_stored_once,
    declaration_body,
    results_file,
    sampled_travelers,
    staff,
)
from tests.deploy.servers import RETRIED, Browser, declare

pytestmark = pytest.mark.django_db(transaction=True)

DECLARATIONS = 200
CLIENTS = 4
RESULT_ROWS = 300
KILL_AFTER = DECLARATIONS // 3  # answered declarations before the kill
DEADLINE = 50  # seconds for the load; each request has its own timeout too


def test_a_server_killed_under_load_loses_and_doubles_nothing(city, deployment):
    started = time.monotonic()
    pending = deployment.spawn("a", "b")
    lab = staff("hu-lab", Role.LAB)
    samples = sampled_travelers(RESULT_ROWS, prefix="KF")
    csv = results_file(samples)
    a, b = deployment.wait(pending)
    setup = time.monotonic() - started

    lab_browser = Browser().sign_in(a.port, lab.username, PASSWORD)
    status, headers, page = lab_browser.post_file(
        a.port, "/screening/lab/", {"action": "file", "lab": "Jiangbei CDC"}, "file",
        "results.csv", csv,
    )  # fmt: skip
    assert status == 302, (status, page[:500])
    preview = headers["location"][0]

    ports = [a.port, b.port]
    deadline = time.monotonic() + DEADLINE
    answered = threading.Semaphore(0)
    failed_over: list[tuple[str, str]] = []  # (document, the error) of each request sent again
    documents = [f"K{n:08d}" for n in range(DECLARATIONS)]

    def send(first: int, document: str) -> tuple[int, dict]:
        key, body, attempt = f"kill-{document}", declaration_body(document), first
        while True:
            try:
                return declare(ports[attempt % 2], body, key, timeout=20)
            except RETRIED as error:
                failed_over.append((document, type(error).__name__))
                if time.monotonic() > deadline:
                    raise
                attempt += 1  # the other server, the same key

    def declarations(client: int) -> list[tuple[str, int, dict]]:
        told = []
        for n, document in enumerate(documents[client::CLIENTS]):
            status, answer = send(n + client, document)
            told.append((document, status, answer))
            answered.release()
        return told

    def save_then_kill() -> dict:
        """The file's save sent to A, and A killed while it runs; then the save sent to B."""
        for _ in range(KILL_AFTER):
            assert answered.acquire(timeout=DEADLINE)
        token = lab_browser.token(a.port, preview)
        outcome: dict = {}

        def save_on_a():
            try:
                outcome["a"] = lab_browser.request(
                    a.port,
                    "POST",
                    preview + "save/",
                    f"csrfmiddlewaretoken={token}".encode(),
                    {"Content-Type": "application/x-www-form-urlencoded"},
                )[0]
            except RETRIED as error:
                outcome["a"] = type(error).__name__

        saving = threading.Thread(target=save_on_a)
        saving.start()
        time.sleep(0.3)  # the save is under way on A (a file of 300 rows takes longer)
        outcome["killed_at"] = time.monotonic()
        a.kill()
        saving.join(30)
        status, _headers, page = lab_browser.post_form(
            b.port, preview + "save/", {}, token_from=preview
        )
        outcome["b"] = status
        outcome["b_page"] = page
        return outcome

    load_started = time.monotonic()
    with ThreadPoolExecutor(CLIENTS + 1) as pool:
        declared = [pool.submit(declarations, c) for c in range(CLIENTS)]
        killing = pool.submit(save_then_kill)
        told = [row for future in declared for row in future.result(DEADLINE)]
        saved = killing.result(DEADLINE)
    load = time.monotonic() - load_started

    # Every declaration was answered 201, some of them by B after A was gone.
    assert a.process.poll() is not None  # A is dead
    assert len(told) == DECLARATIONS
    assert {status for _doc, status, _answer in told} == {201}, [t for t in told if t[1] != 201]
    assert failed_over, "no request met the killed server"
    acknowledged = {doc: answer["code"] for doc, _status, answer in told}
    assert_declarations_stored_once(acknowledged, documents)

    # The file: its save on A either committed whole or not at all; B's saved it or said so.
    assert saved["b"] == 200, saved["b_page"][:500]
    assert_results_stored_once(samples, set(ResultsImport.objects.values_list("pk", flat=True)))

    # A started again on the same database answers every declaration with the code first told.
    (again,) = deployment.start("a-again")
    replayed = {}
    for document in documents:
        status, answer = declare(again.port, declaration_body(document), f"kill-{document}")
        assert status == 201, answer
        replayed[document] = answer["code"]
    assert replayed == acknowledged
    assert_declarations_stored_once(acknowledged, documents)

    assert load < DEADLINE, f"the load took {load:.1f} s"
    print(  # noqa: T201
        f"server killed: setup {setup:.1f} s, load {load:.1f} s, {len(failed_over)} requests "
        f"sent again ({sorted({e for _d, e in failed_over})}), save on A: {saved['a']}"
    )
