"""Schemathesis over every operation of /api/v1/openapi.json, as clients of the roles it concerns.

The schema is the one the API serves; each operation gets generated requests (valid and not:
wrong types, bounds, odd strings) through the WSGI application, each sent twice: with a bearer
token of a role its areas admit (``x-liaison-areas``; of those, the one with the fewest areas, a
desk's own officer), so its handler reads the input, and with one of a role they do not admit,
so its refusal is checked too. Whatever comes in, the answer is not a server error, its status
is one the operation documents and its body matches the documented schema of that status.
Bounded (``max_examples``).
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
from liaison.core.access import PUBLIC, ROLE_AREAS, SIGNED_IN
from liaison.core.api_auth import AREAS_KEY
from liaison.core.models import Site
from liaison.core.roles import Role
from liaison.wsgi import application
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SCHEMA = api.get_openapi_schema(path_prefix="/api/v1")
schema = schemathesis.openapi.from_dict(SCHEMA)
schema.app = application
# Fewest areas first: a desk's own officer before leadership and the administrator.
BY_FEWEST_AREAS = sorted(Role, key=lambda r: (len(ROLE_AREAS[r]), str(r)))


def clients_of(method: str, path: str) -> list[Role]:
    """The role that sends an operation's input (one its areas admit) and, where there is one,
    a role they refuse. An operation open to anyone or to every signed-in user: the
    administrator only."""
    areas = set(SCHEMA["paths"][path][method.lower()].get(AREAS_KEY, [])) - {PUBLIC, SIGNED_IN}
    if not areas:
        return [Role.ADMINISTRATOR]
    admitted = [r for r in BY_FEWEST_AREAS if areas & {str(a) for a in ROLE_AREAS[r]}]
    refused = [r for r in BY_FEWEST_AREAS if r not in admitted]
    return admitted[:1] + refused[:1]


@pytest.fixture
def token_of(city, yubei):
    """``token_of(role)``: the bearer header of an officer of that role, made on first use; the
    district officer is bound to Yubei, the sampler to the airport's sampling site."""
    made = {}

    def header(role: Role) -> dict[str, str]:
        if role not in made:
            user = make_user(
                f"fuzz-{role}",
                role,
                jurisdiction=yubei if role == Role.DISTRICT_RECEIVING else None,
                site=Site.objects.get(code="SAMP-CKG-T3") if role == Role.SAMPLING else None,
            )
            _token, secret = core_services.create_api_token(name=role, user=user, created_by=None)
            made[role] = {"Authorization": f"Bearer {secret}"}
        return made[role]

    return header


def test_every_operation_is_sent_by_a_role_it_admits():
    for path, item in SCHEMA["paths"].items():
        for method, operation in item.items():
            first, *rest = clients_of(method, path)
            areas = set(operation.get(AREAS_KEY, [])) - {PUBLIC, SIGNED_IN}
            assert not areas or areas & {str(a) for a in ROLE_AREAS[first]}, (method, path)
            assert all(not areas & {str(a) for a in ROLE_AREAS[r]} for r in rest), (method, path)


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
def test_no_operation_answers_a_server_error(case, token_of):
    for role in clients_of(case.operation.method, case.operation.path):
        case.call_and_validate(
            headers=token_of(role),
            checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
        )
