"""Schemathesis over every operation of /api/v1/openapi.json, as clients of each role.

The schema is the one the API serves; each operation gets generated requests (valid and not:
wrong types, bounds, odd strings) through the WSGI application, with a bearer token of an
administrator, a laboratory, a dispatcher, a district officer and leadership. Whatever comes
in, the answer is not a server error, its status is one the operation documents and its body
matches the documented schema of that status. Bounded
(``max_examples``) so the whole runs in about a minute on SQLite.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from liaison.api import api
from liaison.core import services as core_services
from liaison.core.roles import Role
from liaison.wsgi import application
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.app = application
ROLES = [Role.ADMINISTRATOR, Role.LAB, Role.DISPATCH, Role.DISTRICT_RECEIVING, Role.LEADERSHIP]


@pytest.fixture
def tokens(city, yubei):
    """A bearer token of each role; the district officer's is bound to Yubei."""
    found = {}
    for role in ROLES:
        user = make_user(
            f"fuzz-{role}", role, jurisdiction=yubei if role == Role.DISTRICT_RECEIVING else None
        )
        _token, secret = core_services.create_api_token(name=role, user=user, created_by=None)
        found[role] = {"Authorization": f"Bearer {secret}"}
    return found


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests through the WSGI app would close the test's database connection at their end
    (Django's test client steps around that the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_fuzzed_schema_covers_every_operation():
    operations = {
        f"{method.upper()} {path}"
        for path, item in api.get_openapi_schema(path_prefix="/api/v1")["paths"].items()
        for method in item
    }
    assert {"POST /api/v1/declarations", "POST /api/v1/results", "GET /api/v1/me"} <= operations
    fuzzed = {
        f"{result.ok().method.upper()} {result.ok().path}" for result in schema.get_all_operations()
    }
    assert fuzzed == operations


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_operation_answers_a_server_error(case, tokens):
    for role in ROLES:
        case.call_and_validate(
            headers=tokens[role],
            checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
        )
