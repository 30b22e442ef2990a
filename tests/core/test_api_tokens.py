"""API tokens for machine clients: made and revoked by administrators, stored hashed."""

import pytest

from liaison.core import services
from liaison.core.models import ApiToken
from liaison.core.roles import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab_system(city):
    with_role = make_user("lab-system", Role.LAB)
    with_role.is_machine = True
    with_role.set_unusable_password()
    with_role.save()
    return with_role


def test_administrator_creates_a_token_shown_once_and_stored_hashed(
    administrator, lab_system, signed_in, client
):
    page = (
        signed_in(administrator)
        .post("/api-tokens/", {"name": "PCR lab 1", "user": lab_system.pk})
        .content.decode()
    )
    token = ApiToken.objects.get(name="PCR lab 1")
    secret = page.split('data-testid="new-token">')[1].split("<")[0]
    assert secret.startswith("lia_") and len(secret) > 40
    assert token.digest == ApiToken.digest_of(secret) != secret
    assert secret not in str(list(ApiToken.objects.values()))
    # The list never shows it again.
    assert secret not in signed_in(administrator).get("/api-tokens/").content.decode()

    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json() == {
        "username": "lab-system",
        "role": "lab",
        "jurisdiction": None,
        "site": None,
    }


def test_revoked_token_is_refused(administrator, lab_system, signed_in, client):
    token, secret = services.create_api_token(name="t", user=lab_system, created_by=administrator)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    response = signed_in(administrator).post(f"/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    # Revoking twice says so and changes nothing.
    revoked_at = ApiToken.objects.get(pk=token.pk).revoked_at
    signed_in(administrator).post(f"/api-tokens/{token.pk}/revoke/")
    assert ApiToken.objects.get(pk=token.pk).revoked_at == revoked_at


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer lia_wrong", "Bearer " + "x" * 5000, "Basic abc"]
)
def test_api_without_a_valid_token_is_refused(client, city, header):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_only_administrators_manage_tokens(airport_desk_officer, lab_system, signed_in):
    client = signed_in(airport_desk_officer)
    assert client.post("/api-tokens/", {"name": "x", "user": lab_system.pk}).status_code == 403
    assert not ApiToken.objects.exists()


def test_token_form_refuses_a_person_account(administrator, airport_desk_officer, signed_in):
    response = signed_in(administrator).post(
        "/api-tokens/", {"name": "x", "user": airport_desk_officer.pk}
    )
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_api_docs_are_for_administrators(administrator, airport_desk_officer, signed_in, client):
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert signed_in(administrator).get("/api/v1/docs").status_code == 200
    assert signed_in(airport_desk_officer).get("/api/v1/docs").status_code == 403
