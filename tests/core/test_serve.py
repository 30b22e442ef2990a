"""``make run`` serves where it says: gunicorn's config (liaison/gunicorn_conf.py) prints the
address once it is bound, moves to the next free port when the default one is taken, and stops
with a message when a port asked for by name is taken. Only 127.0.0.1; every wait is bounded."""

import http.client
import os
import selectors
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
DEADLINE = 60  # seconds for gunicorn to bind and print, on a slow shared machine


@pytest.fixture
def taken_port():
    """A port on 127.0.0.1 another program listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(command: list[str], **env) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "LIAISON_HOST": "127.0.0.1", "LIAISON_WORKERS": "1", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, ended below by its id
    )


def read_until(process: subprocess.Popen, text: str) -> str:
    """The output until a line holding ``text``, the process's end, or the deadline."""
    seen = ""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            if not selector.select(timeout=end - time.monotonic()):
                break
            line = process.stdout.readline()
            if not line:
                break
            seen += line
            if text in line:
                break
    return seen


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    process.stdout.close()


def test_a_taken_default_port_moves_to_the_next_free_one_and_says_so(taken_port):
    process = start(
        [str(GUNICORN), "liaison.wsgi", "--config", "liaison/gunicorn_conf.py"],
        LIAISON_PORT=str(taken_port),
        LIAISON_PORT_STRICT="0",
    )
    try:
        output = read_until(process, "Liaison is serving on")
        assert f"Port {taken_port} is in use by another program" in output, output
        line = next(li for li in output.splitlines() if "Liaison is serving on" in li)
        url = line.split("serving on ", 1)[1].split()[0]
        served = int(url.rstrip("/").rsplit(":", 1)[1])
        assert url.startswith("http://127.0.0.1:") and served != taken_port
        # What the line says is where Liaison answers.
        end = time.monotonic() + DEADLINE
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", served, timeout=10)
                connection.request("GET", "/favicon.ico")
                answer = connection.getresponse()
                assert answer.status == 200
                assert answer.read().startswith(b"<svg")
                connection.close()
                break
            except OSError:
                if time.monotonic() > end:
                    raise
                time.sleep(0.5)
    finally:
        stop(process)


def test_make_serve_on_a_port_asked_for_and_taken_stops_with_a_message(taken_port):
    process = start(["make", "--no-print-directory", "serve", f"PORT={taken_port}"])
    try:
        output = read_until(process, "another program is using that port")
        process.wait(timeout=DEADLINE)
    finally:
        stop(process)
    assert process.returncode != 0
    assert f"cannot serve on 127.0.0.1:{taken_port}" in output, output
    assert "Liaison is serving on" not in output


def test_make_serve_prints_the_address_it_bound():
    port = free_port()
    process = start(["make", "--no-print-directory", "serve", f"PORT={port}", "WORKERS=1"])
    try:
        output = read_until(process, "Liaison is serving on")
    finally:
        stop(process)
    assert f"Liaison is serving on http://127.0.0.1:{port}/" in output, output
    assert "in use" not in output
