"""Every answer carries a Content-Security-Policy without inline script; answers with personal
data are never stored by a browser or proxy (Cache-Control: no-store)."""

import io
import json
import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core import signals
from django.db import close_old_connections

from liaison.core.models import AuditEntry
from liaison.wsgi import application
from tests.arrivals.conftest import valid_payload

pytestmark = pytest.mark.django_db

TEMPLATES = sorted(Path(settings.BASE_DIR, "liaison").glob("*/templates/**/*.html"))


def _script_src(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    return directives.get("script-src", directives.get("default-src"))


def assert_strict_csp(response):
    assert "Content-Security-Policy" in response, dict(response.headers)
    assert _script_src(response) == ["'self'"]
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def assert_no_store(response):
    assert "no-store" in response.get("Cache-Control", ""), dict(response.headers)


def declare_by_api(client) -> dict:
    response = client.post(
        "/api/v1/declarations",
        json.dumps(valid_payload(document_number=f"H{uuid.uuid4().hex[:8].upper()}")),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_pages_for_everyone_carry_the_policy(client, city):
    for path in ["/accounts/login/", "/declare/", "/declare/poster/", "/healthz"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict_csp(response)


def test_staff_pages_and_api_carry_the_policy(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    for path in ["/", "/reference/", "/api/v1/me", "/no-such-page/"]:
        assert_strict_csp(client.get(path))


def test_error_pages_carry_the_policy(client, city):
    assert_strict_csp(client.get("/declare/status/no-such-token/"))
    assert_strict_csp(client.get("/nowhere/"))


@pytest.fixture
def call_wsgi(city):
    """The real WSGI application (as gunicorn calls it), inside the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)

    def _call(method, path, body=b""):
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "HTTP_HOST": "testserver",
            "REMOTE_ADDR": "203.0.113.9",
            "HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4()),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "application/json",
        }
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"] = int(status.split()[0])
            answer["headers"] = dict(headers)

        answer["body"] = b"".join(application(environ, start_response))
        return answer

    yield _call
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_short_intake_chain_sends_the_same_protective_headers(call_wsgi):
    body = json.dumps(valid_payload(document_number="W12345678")).encode()
    short = call_wsgi("POST", "/api/v1/declarations", body)
    assert short["status"] == 201, short["body"]
    assert AuditEntry.objects.filter(path="/api/v1/declarations").exists()
    refused = call_wsgi("POST", "/api/v1/declarations", b"{not json")
    assert refused["status"] == 400
    full = call_wsgi("GET", "/api/v1/openapi.json")
    for answer in (short, refused):
        headers = answer["headers"]
        assert headers["Content-Security-Policy"] == full["headers"]["Content-Security-Policy"]
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "no-store" in headers["Cache-Control"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


# --- No inline script in any template -------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"""<[^>]*\son[a-z]+\s*=\s*["']""", re.IGNORECASE)
SCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def test_the_scan_finds_inline_script_where_there_is_some():
    assert INLINE_SCRIPT.search("<p></p><script>alert(1)</script>")
    assert not INLINE_SCRIPT.search("<script src=\"{% static 'x.js' %}\" defer></script>")
    assert EVENT_HANDLER.search('<button type="button" onclick="print()">')
    assert not EVENT_HANDLER.search('<button data-only="x" aria-label="on">')
    assert SCRIPT_URL.search('<a href="javascript:void(0)">')


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_no_template_has_inline_script(path):
    text = path.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "inline <script>: move it to a static file"
    assert not EVENT_HANDLER.search(text), "on…= handler: use a static script and data-*"
    assert not SCRIPT_URL.search(text), "javascript: address"


def test_the_scripts_that_replaced_inline_ones_are_served(client, sampler_at_t3, signed_in):
    for path in ["/static/screening/sampling.js", "/static/core/liaison.js"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" not in response.get("Cache-Control", "")  # static files may be kept
    page = signed_in(sampler_at_t3).get("/screening/sampling/")
    assert page.status_code == 200
    assert "screening/sampling.js" in page.content.decode()


# --- Cache-Control: no-store ----------------------------------------------------------------


def test_every_staff_page_is_no_store(administrator, signed_in):
    client = signed_in(administrator)
    for path in ["/", "/audit/", "/reference/", "/api-tokens/", "/nowhere/"]:
        assert_no_store(client.get(path))


def test_exports_are_no_store(administrator, signed_in):
    client = signed_in(administrator)
    response = client.get("/audit/export/")
    assert response.status_code == 200
    assert_no_store(response)


def test_api_answers_are_no_store(client, airport_desk_officer, signed_in):
    assert_no_store(client.get("/api/v1/me"))  # a refusal too
    assert_no_store(signed_in(airport_desk_officer).get("/api/v1/me"))


def test_a_travelers_own_pages_are_no_store_and_static_files_are_not(client, city):
    answer = declare_by_api(client)
    status_path = answer["status_url"].removeprefix("http://testserver")
    response = client.get(status_path)
    assert response.status_code == 200
    assert_no_store(response)
    assert_no_store(client.get(answer["qr_svg_url"].removeprefix("http://testserver")))
    # A static file is public and cacheable.
    assert "no-store" not in client.get("/static/core/liaison.css").get("Cache-Control", "")
