"""Behind a trusted reverse proxy the client's address is read from X-Forwarded-For, as far as
the trusted proxies wrote it; from anyone else the header is ignored."""

import os

import pytest
from django.test import RequestFactory

from liaison.core.client_address import ClientAddressMiddleware, client_address, within

PROXIES = ("127.0.0.1", "10.0.0.0/8")


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        # No proxy trusted, or the peer is not one: the header is the client's, ignored.
        ("203.0.113.7", "198.51.100.1", "203.0.113.7"),
        # The proxy says whom it forwards.
        ("127.0.0.1", "203.0.113.7", "203.0.113.7"),
        # A client's forged entry is left of what the proxy appended: not read.
        ("127.0.0.1", "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        # Two proxies (a load balancer, then nginx): the first address neither wrote.
        ("127.0.0.1", "203.0.113.7, 10.1.2.3", "203.0.113.7"),
        # Garbage where the proxy writes: the last address that could be trusted.
        ("127.0.0.1", "203.0.113.7, not-an-address", "127.0.0.1"),
        # Only proxies: the left-most.
        ("127.0.0.1", "10.1.2.3", "10.1.2.3"),
        # No header: the proxy itself.
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_the_client_is_the_right_most_address_no_trusted_proxy_wrote(remote, forwarded, client):
    assert client_address(remote, forwarded, PROXIES) == client


def test_without_trusted_proxies_nothing_is_read():
    assert client_address("127.0.0.1", "203.0.113.7", ()) == "127.0.0.1"


@pytest.mark.parametrize(
    ("address", "networks", "inside"),
    [
        ("10.20.30.40", PROXIES, True),
        ("127.0.0.1", PROXIES, True),
        ("11.0.0.1", PROXIES, False),
        ("2001:db8::1", ("2001:db8::/32",), True),
        ("2001:db9::1", ("2001:db8::/32",), False),
        ("2001:db8::1", PROXIES, False),  # another family is in no IPv4 network
        ("not-an-address", PROXIES, False),
        ("", PROXIES, False),
        ("10.20.30.40", (), False),
    ],
)
def test_an_address_is_within_the_networks_that_hold_it(address, networks, inside):
    assert within(address, networks) is inside


def test_the_middleware_sets_remote_addr_before_the_view(settings):
    settings.LIAISON_TRUSTED_PROXIES = ["127.0.0.1"]
    seen = {}
    middleware = ClientAddressMiddleware(lambda r: seen.setdefault("ip", r.META["REMOTE_ADDR"]))
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    middleware(request)
    assert seen["ip"] == "203.0.113.7"


def test_both_middleware_chains_read_the_client_address_first(settings):
    from liaison.handlers import INTAKE_MIDDLEWARE  # the declarations API's own chain

    first = "liaison.core.client_address.ClientAddressMiddleware"
    assert settings.MIDDLEWARE[0] == INTAKE_MIDDLEWARE[0] == first


def test_a_trusted_proxy_that_is_not_an_address_stops_the_start():
    import subprocess
    import sys
    from pathlib import Path

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[2],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "liaison.settings",
            "LIAISON_TRUSTED_PROXIES": "10.0.0.1,nginx.local",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "LIAISON_TRUSTED_PROXIES: 'nginx.local' is not an address" in result.stderr
