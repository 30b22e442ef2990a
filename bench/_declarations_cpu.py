"""Where a declaration's CPU goes under load: the app servers' processes against the database's.

    export LIAISON_VAR_DIR=/tmp/d DATABASE_URL=sqlite:////tmp/d/x.sqlite3
    .venv/bin/python bench/_declarations_cpu.py
    unset DATABASE_URL; scripts/with-postgres.sh .venv/bin/python bench/_declarations_cpu.py

Serves the app (``liaison.wsgi``) and the app's own write alone
(``bench/_declarations_floor.py:application_app_write``) in turn with gunicorn, as
``bench/declarations.py`` does (3 sync workers, wrk on loopback, 16 connections, 10 s after a
warm-up), and reads from /proc the CPU time that gunicorn's processes and PostgreSQL's spent while
wrk ran, divided by the declarations answered: milliseconds of CPU per declaration in Python
(with SQLite's own work, which runs inside the app's processes) and in PostgreSQL. On two cores
shared by all of them, a rate is about two cores over the sum. Not run by ``make bench`` (a
helper: its name starts with an underscore); it migrates the database it is given.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.declarations import LUA, free_port, payload, wait_for  # noqa: E402

PY = sys.executable
GUNICORN = str(Path(PY).parent / "gunicorn")
SERVERS = {
    "app": "liaison.wsgi",
    "its write alone": "bench._declarations_floor:application_app_write",
}
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds() -> dict[str, float]:
    """CPU time (user + system) of every live gunicorn and PostgreSQL process, by kind."""
    spent: dict[str, float] = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue  # gone meanwhile
        kind = "python" if "gunicorn" in command else "postgres" if "postgres" in command else ""
        if kind:
            fields = stat.rsplit(")", 1)[1].split()
            spent[kind] = spent.get(kind, 0.0) + (int(fields[11]) + int(fields[12])) / TICKS
    return spent


def wrk(port: int, documents: str, seconds: int, script: str) -> str:
    body = json.dumps(payload(), ensure_ascii=False)
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "-s", script, f"http://127.0.0.1:{port}"]
    return subprocess.run(
        [*command, "--", documents, body], capture_output=True, text=True, check=True
    ).stdout


def main() -> None:
    env = {**os.environ, "LIAISON_DECLARATION_RATE": "", "PYTHONPATH": str(ROOT)}
    env["LIAISON_LOG_LEVEL"] = "WARNING"
    for command in (["migrate", "--noinput", "-v0"], ["createcachetable"], ["load_reference"]):
        subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    for index, (name, app) in enumerate(SERVERS.items()):
        port = free_port()
        server = subprocess.Popen(
            [GUNICORN, app, "--bind", f"127.0.0.1:{port}", "--workers", "3", "--preload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(port)
            wrk(port, f"X{index}", 5, script.name)  # warm-up
            before = cpu_seconds()
            out = wrk(port, f"Y{index}", 10, script.name)
            after = cpu_seconds()
        finally:
            server.terminate()
            server.wait(timeout=20)
        answered = int(re.search(r"(\d+) requests in", out).group(1))
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        per = {k: (after[k] - before.get(k, 0.0)) / answered * 1e3 for k in sorted(after)}
        spent = ", ".join(f"{kind} {ms:.2f} ms" for kind, ms in per.items())
        print(f"{name}: {rate:,.0f}/s; CPU per declaration: {spent}")
    os.unlink(script.name)


if __name__ == "__main__":
    main()
