"""The client's address behind a reverse proxy: ``REMOTE_ADDR`` is the proxy's.

gunicorn sets ``REMOTE_ADDR`` to the peer of its socket — behind nginx, the proxy itself — and
does not read ``X-Forwarded-For`` (its ``--forwarded-allow-ips`` governs the HTTPS scheme
headers only). Everything keyed on the address would then see one client: the declarations API's
limit per address would be the whole city's, sign-in lockouts and the audit trail would name the
proxy. So when the request comes from a proxy named in ``LIAISON_TRUSTED_PROXIES`` (addresses or
networks), the client is the right-most address of ``X-Forwarded-For`` that is not one of those
proxies — each proxy appends the address it saw, and anything to its left was written by the
client and may be forged. Without the setting nothing changes: a client's header is never read.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _networks(names: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(name, strict=False) for name in names)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(remote_addr: str, forwarded_for: str, proxies: tuple[str, ...]) -> str:
    """The client's address: ``remote_addr`` unless it is a trusted proxy that says whom it
    forwards (the right-most untrusted address of ``forwarded_for``)."""
    trusted = _networks(proxies)
    peer = _address(remote_addr)
    if not trusted or peer is None or not any(peer in net for net in trusted):
        return remote_addr
    found = remote_addr
    for hop in reversed([h for h in forwarded_for.split(",") if h.strip()]):
        address = _address(hop)
        if address is None:  # not an address: nothing to its left can be trusted either
            break
        found = str(address)
        if not any(address in net for net in trusted):
            break
    return found


def within(address: str, networks: tuple[str, ...]) -> bool:
    """Whether ``address`` is in one of ``networks`` (addresses or networks, as the settings
    name them); an address that is not one is in none."""
    found = _address(address) if networks else None
    return found is not None and any(found in network for network in _networks(networks))


class ClientAddressMiddleware:
    """``REMOTE_ADDR`` set to the client's address before anything reads it (first middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        proxies = tuple(getattr(settings, "LIAISON_TRUSTED_PROXIES", ()))
        if proxies:
            request.META["REMOTE_ADDR"] = client_address(
                request.META.get("REMOTE_ADDR", ""),
                request.META.get("HTTP_X_FORWARDED_FOR", ""),
                proxies,
            )
        return self.get_response(request)
