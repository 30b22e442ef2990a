"""Real app servers for the deployment tests: gunicorn with ``liaison/gunicorn_conf.py`` and the
production settings (``LIAISON_ENV=production``), as the README's "Production" section runs
them, on free ports of 127.0.0.1, on the test's own database; and the clients that talk to them
as a reverse proxy would pass them on (``Host``, ``X-Forwarded-Proto: https``).

Nothing here talks to anything but 127.0.0.1. Every wait is bounded.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
HOST = "liaison.example.org"  # the public name the proxy answers for (ALLOWED_HOSTS)
# The connection errors a client retries on, with the same Idempotency-Key: a refused
# connection (a server gone), a reset or a closed connection (killed while answering), a timeout.
RETRIED = (ConnectionError, http.client.HTTPException, TimeoutError, OSError)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The test database as a ``DATABASE_URL``: what every server of a deployment is given."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "postgres")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    # A socket given as ``?host=`` in DATABASE_URL is in OPTIONS (dj-database-url), not HOST.
    host = db.get("HOST") or db.get("OPTIONS", {}).get("host", "")
    port = db.get("PORT") or ""
    if host.startswith("/"):  # a Unix socket (scripts/with-postgres.sh)
        return f"postgres://{user}{password}@/{db['NAME']}?host={quote(host)}"
    return f"postgres://{user}{password}@{host}{':' + str(port) if port else ''}/{db['NAME']}"


def collect_static(static_root: Path) -> None:
    """``collectstatic`` into ``static_root``, with the manifest the production storage reads.

    Production collects with WhiteNoise's compressing storage; compressing the API docs' bundles
    costs a minute, and a server reads only the manifest, which is the same. So the tests collect
    without compressing (tests/deploy/collect_settings.py) and serve with the production storage.
    """
    env = {
        **production_env(static_root.parent, static_root=static_root),
        "DJANGO_SETTINGS_MODULE": "tests.deploy.collect_settings",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def production_env(var: Path, *, static_root: Path) -> dict[str, str]:
    """The environment of every app server: the README's "Production" settings, for this test.

    The secret key is in a file (``SECRET_KEY_FILE``), as a deployment keeps it. The proxy is
    127.0.0.1 (``LIAISON_TRUSTED_PROXIES``): each client's address is the one it sends in
    ``X-Forwarded-For``, as nginx would, so the declarations' limit per address stays on.
    """
    var.mkdir(parents=True, exist_ok=True)
    key_file = var / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        key_file.chmod(0o600)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIAISON_", "DJANGO_"))}
    env.pop("SECRET_KEY", None)
    return {
        **env,
        "LIAISON_ENV": "production",
        "SECRET_KEY_FILE": str(key_file),
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "LIAISON_BEHIND_PROXY": "1",
        "DATABASE_URL": database_url(),
        "LIAISON_VAR_DIR": str(var),
        "LIAISON_STATIC_ROOT": str(static_root),
        "LIAISON_MEDIA_ROOT": str(var / "media"),
        "LIAISON_TRUSTED_PROXIES": "127.0.0.1",
        "LIAISON_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "liaison.settings",
        "PYTHONPATH": str(ROOT),
    }


@dataclass
class Server:
    """One app server: a gunicorn master and its workers, in their own process group."""

    name: str
    env: dict[str, str]
    log: Path
    workers: int = 2
    port: int = 0
    process: subprocess.Popen | None = None
    started_at: float = 0.0

    def start(self, *, seconds: float = 60) -> Server:
        self.spawn()
        return self.wait(seconds=seconds)

    def spawn(self) -> Server:
        """Start the server without waiting for it (``wait``): servers start side by side."""
        self.port = free_port()
        env = {
            **self.env,
            "LIAISON_HOST": "127.0.0.1",
            "LIAISON_PORT": str(self.port),
            "LIAISON_PORT_STRICT": "1",
            "LIAISON_WORKERS": str(self.workers),
            # The job worker runs on its own (README, "Production"); these tests need none.
            "LIAISON_JOB_WORKER": "0",
        }
        out = open(self.log, "ab")  # noqa: SIM115 - a file, not a pipe nobody reads
        self.process = subprocess.Popen(  # noqa: S603 - our gunicorn, our config
            [GUNICORN, "liaison.wsgi", "--config", "liaison/gunicorn_conf.py"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: one kill reaches every worker
        )
        self.started_at = time.monotonic()
        return self

    def wait(self, *, seconds: float = 60) -> Server:
        """Until the server answers its health check (``/healthz``: the database is reachable)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server {self.name} stopped:\n{self.tail()}")
            with contextlib.suppress(*RETRIED):
                status, _headers, _body = call(self.port, "GET", "/healthz", timeout=5)
                if status == 200:
                    return self
            time.sleep(0.2)
        raise RuntimeError(f"server {self.name} did not answer in {seconds} s:\n{self.tail()}")

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: no graceful anything."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


def call(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    *,
    timeout: float = 30,
) -> tuple[int, dict[str, list[str]], bytes]:
    """One request to 127.0.0.1:``port`` as the proxy passes it on: the public host, HTTPS."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(
            method,
            path,
            body=body,
            headers={"Host": HOST, "X-Forwarded-Proto": "https", **(headers or {})},
        )
        response = conn.getresponse()
        answer = response.read()
        found: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            found.setdefault(name.lower(), []).append(value)
        return response.status, found, answer
    finally:
        conn.close()


CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Browser:
    """A staff member's browser: its cookies, sent to whichever server it is given (the session
    lives in the database, so any server of the deployment knows it)."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, port: int, method: str, path: str, body=None, headers=None, **kw):
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        sent = {**({"Cookie": cookie} if cookie else {}), **(headers or {})}
        if method == "POST":
            sent.setdefault("Origin", f"https://{HOST}")
            sent.setdefault("Referer", f"https://{HOST}{path}")
        status, got, answer = call(port, method, path, body, sent, **kw)
        for line in got.get("set-cookie", []):
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        return status, got, answer

    def token(self, port: int, path: str) -> str:
        status, _headers, page = self.request(port, "GET", path)
        assert status == 200, (path, status, page[:300])
        found = CSRF.search(page)
        assert found, f"no CSRF token on {path}"
        return found.group(1).decode()

    def post_form(self, port: int, path: str, fields: dict, *, token_from: str | None = None):
        data = {"csrfmiddlewaretoken": self.token(port, token_from or path), **fields}
        return self.request(
            port,
            "POST",
            path,
            urlencode(data).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )

    def post_file(self, port: int, path: str, fields: dict, name: str, filename: str, data: bytes):
        boundary = uuid.uuid4().hex
        parts = [{"csrfmiddlewaretoken": self.token(port, path), **fields}]
        chunks = []
        for key, value in parts[0].items():
            chunks.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.request(
            port,
            "POST",
            path,
            b"".join(chunks),
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )

    def sign_in(self, port: int, username: str, password: str) -> Browser:
        status, headers, page = self.post_form(
            port, "/accounts/login/", {"username": username, "password": password}
        )
        assert status == 302, (status, page[:500])
        return self


def traveler_address(document: str) -> str:
    """A traveler's own address (their phone's), as the proxy names it: one per document."""
    n = int(re.sub(r"\D", "", document) or 0)
    return f"198.18.{n // 250 % 250}.{n % 250 + 1}"


def declare(
    port: int, body: dict, key: str, *, timeout: float = 30, client: str = ""
) -> tuple[int, dict]:
    client = client or traveler_address(body["document_number"])
    status, _headers, answer = call(
        port,
        "POST",
        "/api/v1/declarations",
        json.dumps(body, ensure_ascii=False).encode(),
        {"Content-Type": "application/json", "Idempotency-Key": key, "X-Forwarded-For": client},
        timeout=timeout,
    )
    return status, json.loads(answer) if answer.startswith(b"{") else {"raw": answer[:300]}
