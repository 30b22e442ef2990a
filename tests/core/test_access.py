"""The authorization layer: a role sees its own menu and pages and nothing else; deny by default."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from liaison.core.access import ROLE_AREAS, Area, area_of_view, can, jurisdiction_filter
from liaison.core.models import AuditEntry, Site
from liaison.core.roles import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _patterns(resolver: URLResolver, namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield namespace, entry


def test_every_page_outside_admin_and_api_declares_its_area():
    undeclared = [
        str(pattern.pattern)
        for namespace, pattern in _patterns(get_resolver())
        if namespace not in {"admin", "api"} and area_of_view(pattern.callback) is None
    ]
    assert undeclared == []


def test_a_page_without_area_is_refused(client, airport_desk_officer, signed_in, settings):
    from django.http import HttpResponse
    from django.urls import path

    import liaison.urls

    def undeclared(request):
        return HttpResponse("secret")

    settings.ROOT_URLCONF = type(
        "urls", (), {"urlpatterns": [path("undeclared/", undeclared), *liaison.urls.urlpatterns]}
    )
    response = signed_in(airport_desk_officer).get("/undeclared/")
    assert response.status_code == 403
    assert b"secret" not in response.content


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_own_menu_and_nothing_else(role, signed_in, city):
    user = make_user(f"user-{role}", role)
    page = signed_in(user).get("/").content.decode()
    for url, area in [
        ("/reference/", Area.REFERENCE),
        ("/audit/", Area.AUDIT),
        ("/api-tokens/", Area.TOKENS),
        ("/admin/", Area.ADMIN),
    ]:
        assert (f'href="{url}"' in page) == (area in ROLE_AREAS[role]), (role, url)


@pytest.mark.parametrize(
    ("path", "allowed_roles"),
    [
        ("/audit/", {Role.ADMINISTRATOR}),
        ("/api-tokens/", {Role.ADMINISTRATOR}),
        ("/reference/", set(Role)),
        # The directory: every desk that links to it reads it, the liaison desk keeps it.
        (
            "/directory/",
            {
                Role.ASSISTANCE,
                Role.LIAISON,
                Role.AID,
                Role.EXCHANGES,
                Role.DUTY,
                Role.LEADERSHIP,
            },
        ),
        ("/directory/new/", {Role.LIAISON}),
        # Expert exchanges: the exchange officer plans and records, leadership reads.
        ("/exchanges/", {Role.EXCHANGES, Role.LEADERSHIP}),
        # The aid desk: the aid officer records, leadership reads.
        ("/aid/", {Role.AID, Role.LEADERSHIP}),
        ("/aid/catalogue/", {Role.AID, Role.LEADERSHIP}),
        ("/aid/new/", {Role.AID}),
    ],
)
def test_pages_answer_only_their_roles(path, allowed_roles, signed_in, city):
    for role in Role:
        user = make_user(f"u-{role}-{path.strip('/').replace('/', '-')}", role)
        status = signed_in(user).get(path).status_code
        assert (status == 200) == (role in allowed_roles), (role, path, status)


def test_a_denied_page_is_logged(airport_desk_officer, signed_in):
    response = signed_in(airport_desk_officer).get("/audit/")
    assert response.status_code == 403
    denial = AuditEntry.objects.filter(action="denied", actor_username="li-desk").get()
    assert denial.path == "/audit/"


def test_user_without_role_sees_only_a_page_asking_for_one(roleless_user, signed_in):
    client = signed_in(roleless_user)
    home = client.get("/")
    assert home.status_code == 403
    assert "请联系管理员" in home.content.decode()
    assert client.get("/reference/").status_code == 403
    assert not can(roleless_user, Area.REFERENCE)


def test_anonymous_visitor_is_sent_to_sign_in(client, city):
    response = client.get("/reference/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_jurisdiction_bound_officer_sees_only_their_jurisdiction(
    yubei_receiving_officer, jiangbei_receiving_officer, airport_desk_officer, roleless_user
):
    sites = Site.objects.all()
    yubei_sites = sites.filter(jurisdiction_filter(yubei_receiving_officer))
    assert yubei_sites.exists()
    assert set(yubei_sites.values_list("jurisdiction__code", flat=True)) == {"500112"}
    jiangbei_sites = sites.filter(jurisdiction_filter(jiangbei_receiving_officer))
    assert set(jiangbei_sites.values_list("jurisdiction__code", flat=True)) == {"500105"}
    # A city-level officer sees every jurisdiction; an account without a role sees none.
    assert sites.filter(jurisdiction_filter(airport_desk_officer)).count() == sites.count()
    assert not sites.filter(jurisdiction_filter(roleless_user)).exists()


def test_inactive_user_can_do_nothing(airport_desk_officer):
    airport_desk_officer.is_active = False
    assert not can(airport_desk_officer, Area.HOME)
