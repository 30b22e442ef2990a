"""Malformed input never gets a 5xx: every URL pattern × malformed path ids and query params.

The patterns are found by walking Django's resolver (pages, the API's and the admin's), so a new
page is covered without an entry here. Each role signs in (second factor included) and opens the
pages its areas allow — the administrator also the admin and the API — with:

- path parameters of every kind: 0, -1, 2**63, 2**64, a 23-digit number, letters, NUL, a broken
  percent-escape, bytes that are not UTF-8, a very long string;
- every query parameter a view reads (found in the code and in every form's fields) set to a
  bad date, a number beyond 64-bit integers, NUL, %ZZ, invalid UTF-8, a very long string;
- POSTs of the same values as a form body, and a body that is not UTF-8.

A page may answer anything but a server error (a 4xx says what is wrong; a 200 or 302 ignores a
parameter it does not use).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import liaison
import liaison.urls  # noqa: F401 - imports every view module, hence every form
from liaison.api import api
from liaison.core.access import PUBLIC, ROLE_AREAS, SIGNED_IN, Area, area_of_view
from liaison.core.api_auth import AREAS_KEY
from liaison.core.models import Site
from liaison.core.roles import Role
from tests.conftest import make_user, sign_in

pytestmark = pytest.mark.django_db

# Values for one path parameter, already as they appear in a URL (percent-encoded where needed).
BAD_IDS = ["0", "-1", str(2**63), str(2**64), "9" * 23, "abc", "%00", "1%00", "%ZZ", "%FF%FE"]
BAD_STRINGS = ["%00", "%ZZ", "%FF%FE", "%ED%A0%80", "x" * 3000, "..", "-1", str(2**64)]
BAD_VALUES = [
    "2020-13-45",
    "2020-02-30T25:61",
    "0001-01-01",
    "9999-12-31T23:59:59-12:00",
    "99999999999999999999999",
    "-99999999999999999999999",
    "1e400",
    "NaN",
    "%00",
    "a%00b",
    "%ZZ",
    "%FF%FE",
    "%ED%A0%80",  # a UTF-8-encoded lone surrogate (invalid UTF-8)
    "x" * 5000,
]


def _patterns():
    """(route with <converter:name> placeholders, namespace, callback) of every URL pattern."""

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, prefix + str(entry.pattern), entry.namespace or namespace)
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), namespace, entry.callback

    return sorted(walk(get_resolver(), "", ""), key=lambda item: item[0])


PATTERNS = _patterns()
_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _fill(route: str, bad: dict[str, str]) -> str:
    """A URL for the route, each parameter given its bad value, or a harmless one."""

    def one(match):
        converter, name = match.group(1) or "str", match.group(2) or match.group(3)
        if name in bad:
            return bad[name]
        if name == "app_label":
            return "core"
        return "1" if converter in {"int", "id"} else "x"

    path = _PARAMETER.sub(one, route).replace("^", "").replace("$", "")
    return "/" + path


def _parameters(route: str) -> list[tuple[str, str]]:
    return [
        (m.group(1) or "str", m.group(2) or m.group(3))
        for m in _PARAMETER.finditer(route)
        if (m.group(2) or m.group(3)) != "app_label"
    ]


def _query_names() -> list[str]:
    """Every query parameter a view reads by name, and every form field's name."""
    names = {"page", "q", "next"}
    for source in Path(liaison.__file__).parent.rglob("*.py"):
        names.update(re.findall(r"GET(?:\.get|\.getlist)?\(\s*\"(\w+)\"", source.read_text()))

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    for form in subclasses(forms.BaseForm):
        if form.__module__.startswith("liaison."):
            names.update(getattr(form, "base_fields", {}))
    return sorted(names)


def _user(role: Role, yubei):
    return make_user(
        f"walk-{role}",
        role,
        jurisdiction=yubei if role == Role.DISTRICT_RECEIVING else None,
        site=Site.objects.get(code="SAMP-CKG-T3") if role == Role.SAMPLING else None,
    )


# Pages every signed-in officer shares (home, reference, sign-in settings) are walked by the
# administrator only; each other role walks the pages of its own desk, and the API.
_SHARED = {Area.HOME, Area.ACCOUNT, Area.REFERENCE, "public", "signed_in", None}


def _api_areas() -> dict[str, set[str]]:
    """Each API route (as the resolver spells it, ``{name}`` for a parameter) and the areas its
    operations declare (``x-liaison-areas``); a public or signed-in-only operation has none."""
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    return {
        path.lstrip("/"): {
            area
            for operation in item.values()
            for area in operation.get(AREAS_KEY, [])
            if area not in {PUBLIC, SIGNED_IN}
        }
        for path, item in schema["paths"].items()
    }


API_AREAS = _api_areas()


def _api_route(route: str) -> str:
    return _PARAMETER.sub(lambda m: "{" + (m.group(2) or m.group(3)) + "}", route)


def _may_open(role: Role, namespace: str, callback, route: str = "") -> bool:
    if namespace == "api":
        # Each role sends its malformed input to the operations of its own areas, which run
        # their handlers for it; the administrator to every operation (one that refuses a role
        # does so before reading its input: tests/core/test_access_matrix.py).
        if role == Role.ADMINISTRATOR:
            return True
        areas = API_AREAS.get(_api_route(route), set())
        return bool(areas & {str(area) for area in ROLE_AREAS[role]})
    if namespace == "admin":
        return Area.ADMIN in ROLE_AREAS[role]
    area = area_of_view(callback)
    if area in _SHARED:
        return role == Role.ADMINISTRATOR
    return area in ROLE_AREAS[role]


def _server_errors(client: Client, route: str, names: list[str], *, values=BAD_VALUES) -> list[str]:
    problems = []

    def check(method, url, **extra):
        try:
            response = getattr(client, method)(url, **extra)
        except Exception as error:  # noqa: BLE001 - the client re-raises the view's exception
            problems.append(f"{method.upper()} {url[:120]} -> {type(error).__name__}: {error}")
            return
        if response.status_code >= 500:
            problems.append(f"{method.upper()} {url[:120]} -> {response.status_code}")

    for kind, name in _parameters(route):
        for value in BAD_IDS if kind in {"int", "id"} else BAD_STRINGS:
            check("get", _fill(route, {name: value}))
    url = _fill(route, {})
    for value in values:
        query = "&".join(f"{name}={value}" for name in names)
        check("get", f"{url}?{query}")
        check("post", url, data=query, content_type="application/x-www-form-urlencoded")
    check(
        "post", url, data=b"\xff\xfe=\x00&%ZZ=%FF", content_type="application/x-www-form-urlencoded"
    )
    check("post", url, data=b"--x\r\n\xff", content_type="multipart/form-data; boundary=x")
    check("post", url, data=b'{"a": [' * 5000, content_type="application/json")
    return problems


def _walker(route: str, namespace: str, callback) -> Role | None:
    """The one role that walks a route: of the roles that may open it, the one with the fewest
    areas — the desk's own officer rather than leadership or the administrator, who read many
    desks. The route's code reads the malformed input the same way whoever sends it; who may
    open what is the access matrix's test (tests/core/test_access_matrix.py)."""
    for role in sorted(Role, key=lambda r: (len(ROLE_AREAS[r]), str(r))):
        if _may_open(role, namespace, callback, route):
            return role
    return None


ROUTES_OF: dict[Role, list[tuple[str, str, object]]] = {}
for _route, _namespace, _callback in PATTERNS:
    _role = _walker(_route, _namespace, _callback)
    if _role is not None and "logout" not in _route:
        ROUTES_OF.setdefault(_role, []).append((_route, _namespace, _callback))
WALKERS = sorted(ROUTES_OF, key=str)


def test_every_route_is_walked_by_a_role_that_may_open_it():
    walked = {route for routes in ROUTES_OF.values() for route, _n, _c in routes}
    public = {r for r, namespace, c in PATTERNS if namespace == "declare"}
    missed = [
        route
        for route, namespace, _c in PATTERNS
        if route not in walked and route not in public and "logout" not in route
    ]
    assert missed == []
    for role, routes in ROUTES_OF.items():
        assert all(_may_open(role, n, c, r) for r, n, c in routes), role


@pytest.mark.parametrize("role", WALKERS, ids=str)
def test_no_page_answers_malformed_input_with_a_server_error(role, yubei):
    user = _user(role, yubei)
    client = sign_in(Client(), user)
    names = _query_names()
    problems = []
    opened = 0
    for route, namespace, _callback in ROUTES_OF[role]:
        opened += 1
        # The admin's hundred patterns are Django's own: their ids and a few values suffice.
        values = BAD_VALUES[::6] if namespace == "admin" else BAD_VALUES
        problems += _server_errors(client, route, names, values=values)
    assert opened > 0
    assert problems == [], "\n".join(problems)


def test_every_api_route_is_known_to_the_schema():
    """The walk above finds each API route's areas in the schema: none is walked blindly."""
    api_routes = [_api_route(route) for route, namespace, _c in PATTERNS if namespace == "api"]
    known = [route for route in api_routes if route in API_AREAS]
    # The API's root, its docs and its schema are the only routes the schema does not describe.
    unknown = sorted(set(api_routes) - set(API_AREAS))
    assert unknown == ["api/v1/", "api/v1/docs", "api/v1/openapi.json"]
    assert any(API_AREAS[route] for route in known)


def test_anonymous_visitors_get_no_server_error_either(city):
    client = Client()
    names = _query_names()
    problems = []
    for route, namespace, callback in PATTERNS:
        if namespace in {"declare", "api"} or area_of_view(callback) == "public":
            problems += _server_errors(client, route, names)
    assert problems == [], "\n".join(problems)


def test_the_walk_reaches_every_kind_of_pattern():
    namespaces = {namespace for _route, namespace, _callback in PATTERNS}
    assert {"admin", "api", "arrivals", "screening", "handover", "assistance"} <= namespaces
    assert {"page", "day", "q"} <= set(_query_names())


def test_a_nul_anywhere_in_a_request_is_a_400_before_any_view(client, airport_desk_officer):
    signed = sign_in(Client(), airport_desk_officer)
    assert signed.get("/arrivals/?q=a%00b").status_code == 400
    assert signed.get("/handover/board/%00/").status_code == 400
    form = "application/x-www-form-urlencoded"
    assert signed.post("/screening/desk/", "code=a%00b", content_type=form).status_code == 400
    client.cookies["sessionid"] = "a\x00b"
    assert client.get("/declare/").status_code == 400
