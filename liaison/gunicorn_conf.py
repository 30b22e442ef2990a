"""gunicorn's settings for ``make run``: serve on a port that is free, and say which one.

``LIAISON_HOST`` and ``LIAISON_PORT`` come from the Makefile's ``HOST`` and ``PORT``. When the
port is taken (another Liaison, a development server) and nobody asked for it by name, the next
free one of the following ``TRIES`` is used and the address printed says so; when it was asked
for (``make run PORT=9000``, so ``LIAISON_PORT_STRICT=1``), gunicorn stops with a message
instead of serving elsewhere. The address is printed once gunicorn has bound it (``when_ready``),
so what the terminal says is where Liaison answers.

The job worker (``manage.py run_jobs``) starts beside the server once it listens and stops when
it stops (``on_exit``; the worker also stops by itself if the server is killed).
``LIAISON_JOB_WORKER=0`` serves without it (a deployment that runs its workers elsewhere).
"""

import os
import socket
import subprocess
import sys

TRIES = 20


def is_free(host: str, port: int) -> bool:
    """Could a server listen on ``host:port`` now? Bound as gunicorn binds (SO_REUSEADDR)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def choose_port(host: str, wanted: int, *, strict: bool) -> int | None:
    """``wanted`` if free, else (unless ``strict``) the next free port after it; None if none."""
    candidates = [wanted] if strict else range(wanted, min(wanted + TRIES, 65536))
    return next((port for port in candidates if is_free(host, port)), None)


host = os.environ.get("LIAISON_HOST", "127.0.0.1")
wanted_port = int(os.environ.get("LIAISON_PORT", "8000"))
strict = os.environ.get("LIAISON_PORT_STRICT", "") == "1"
port = choose_port(host, wanted_port, strict=strict)
if port is None:
    if strict:
        sys.exit(
            f"Liaison cannot serve on {host}:{wanted_port}: another program is using that port. "
            f"Stop it, or choose another port: make run PORT={wanted_port + 1}"
        )
    sys.exit(
        f"Liaison cannot serve on {host}: ports {wanted_port} to {wanted_port + TRIES - 1} are "
        "all in use. Choose another port: make run PORT=…"
    )

bind = [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"]
workers = int(os.environ.get("LIAISON_WORKERS", "3"))
accesslog = "-"
graceful_timeout = 10
timeout = 120
# gunicorn 25.1+ opens a control socket for ``gunicornc`` at one path per user
# (~/.gunicorn/gunicorn.ctl): several servers on one host would share it, and a command meant for
# one would reach another. Liaison does not use it.
control_socket_disable = True


def when_ready(server) -> None:
    """Called by gunicorn's master once it listens: print the address it really bound."""
    for listener in server.LISTENERS:
        url = str(listener)  # "http://127.0.0.1:8001"
        if port != wanted_port:
            print(f"Port {wanted_port} is in use by another program; serving on {port} instead.")
        print(f"Liaison is serving on {url}/  (Ctrl-C stops it)", flush=True)
    _start_job_worker()


_job_worker: subprocess.Popen | None = None


def _start_job_worker() -> None:
    global _job_worker
    if os.environ.get("LIAISON_JOB_WORKER", "1") == "0":
        return
    manage = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "manage.py")
    _job_worker = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, manage, "run_jobs", "--parent", str(os.getpid())]
    )


def on_exit(server) -> None:
    """Called by gunicorn's master as it stops: stop the job worker and wait for it."""
    if _job_worker is not None and _job_worker.poll() is None:
        _job_worker.terminate()
        try:
            _job_worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            _job_worker.kill()
