"""A ``next`` parameter never sends anyone off the site (liaison.core.redirects)."""

import pytest
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.core.redirects import safe_next
from tests.conftest import PASSWORD, current_code, forget_used_code

pytestmark = pytest.mark.django_db

ELSEWHERE = [
    "https://evil.example",
    "https://evil.example/accounts/login/",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    " https://evil.example",
]


def _off_site(location: str) -> bool:
    return "evil.example" in location or location.startswith("javascript")


@pytest.mark.parametrize("url", ELSEWHERE)
def test_the_helper_replaces_an_address_elsewhere_by_the_fallback(url):
    request = RequestFactory().post("/x/", {"next": url})
    assert safe_next(request, "core:home") == "/"
    request = RequestFactory().get("/x/", {"next": url})
    assert safe_next(request, "/fallback/") == "/fallback/"


def test_the_helper_keeps_a_path_on_this_site():
    request = RequestFactory().get("/x/", {"next": "/audit/?page=2"})
    assert safe_next(request, "core:home") == "/audit/?page=2"
    request = RequestFactory().get("/x/", {"next": "http://testserver/audit/"})
    assert safe_next(request, "core:home") == "http://testserver/audit/"


@pytest.mark.parametrize("url", ELSEWHERE)
def test_signing_in_never_leads_elsewhere(client, airport_desk_officer, url):
    response = client.post(
        "/accounts/login/", {"username": "li-desk", "password": PASSWORD, "next": url}
    )
    assert response.status_code == 302
    assert not _off_site(response["Location"]), response["Location"]
    assert response["Location"] == "/"


def test_signing_in_follows_a_next_on_this_site(client, airport_desk_officer):
    response = client.post(
        "/accounts/login/", {"username": "li-desk", "password": PASSWORD, "next": "/reference/"}
    )
    assert response["Location"] == "/reference/"


def _device_ready(client, administrator) -> TOTPDevice:
    client.get("/accounts/second-factor/")
    device = TOTPDevice.objects.get(user=administrator)
    forget_used_code(device)
    return device


@pytest.mark.parametrize("url", ELSEWHERE)
def test_the_second_factor_never_leads_elsewhere(client, administrator, url):
    client.post("/accounts/login/", {"username": "ada-admin", "password": PASSWORD})
    device = _device_ready(client, administrator)
    response = client.post(
        "/accounts/second-factor/?" + f"next={url}", {"code": current_code(device)}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_chained_next_through_the_second_factor_stays_here(client, administrator):
    chained = "/accounts/second-factor/?next=https://evil.example"
    response = client.post(
        "/accounts/login/", {"username": "ada-admin", "password": PASSWORD, "next": chained}
    )
    # The first hop is on this site, so it is followed...
    assert response["Location"] == chained
    device = _device_ready(client, administrator)
    # ...and the second one is checked in its turn.
    response = client.post(chained, {"code": current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not _off_site(response["Location"])


def test_the_second_factor_follows_a_next_on_this_site(client, administrator):
    client.post("/accounts/login/", {"username": "ada-admin", "password": PASSWORD})
    device = _device_ready(client, administrator)
    response = client.post("/accounts/second-factor/?next=/audit/", {"code": current_code(device)})
    assert response["Location"] == "/audit/"


@pytest.mark.parametrize("url", ["https://evil.example", "//evil.example", "/\\evil.example"])
def test_switching_language_and_signing_out_stay_here(airport_desk_officer, signed_in, url):
    client = signed_in(airport_desk_officer)
    response = client.post("/i18n/setlang/", {"language": "en", "next": url})
    assert response.status_code == 302 and not _off_site(response["Location"])
    response = client.post("/accounts/logout/", {"next": url})
    assert response.status_code == 302 and not _off_site(response["Location"])
