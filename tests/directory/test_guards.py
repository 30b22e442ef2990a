"""The directory's two guarantees beyond who may open it (issue 14, point 9).

1. Only the liaison desk writes it: an exchange, aid, duty or assistance officer or leadership,
   who all read it, are refused every write, pages and API, with data that would have been
   written (the liaison officer's same request is), and nothing changes.
2. A read of a foreign official's phones and e-mail is audited: one read entry per request,
   naming everyone shown and who read them, on the pages and through the API (a token too).
"""

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from liaison.core import services as core_services
from liaison.core.models import AuditEntry
from liaison.core.roles import Role
from liaison.directory.models import Organization, Person
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

READERS_WHO_DO_NOT_WRITE = [Role.EXCHANGES, Role.AID, Role.DUTY, Role.ASSISTANCE, Role.LEADERSHIP]
API = "/api/v1/directory"

# What a write page or operation would take: a new organization, a correction, a person.
ORGANIZATION = {
    "code": "UA-MOH-T",
    "kind": "ministry",
    "name_zh": "乌克兰卫生部（测试）",
    "name_en": "Ministry of Health of Ukraine (test)",
    "country": "UA",
    "city": "Kyiv",
    "languages": "uk en",
    "active": "on",
}
PERSON = {"name_latin": "Example Expert", "title_en": "Deputy minister", "phone": "+380 44 0"}


def _snapshot() -> tuple[list, list]:
    return list(Organization.objects.order_by("pk").values()), list(
        Person.objects.order_by("pk").values()
    )


def _directory_pages(organization, person) -> list[tuple[str, str]]:
    """(name, url) of every page of the directory, its parameters filled."""
    values = {"organization_id": organization.pk, "person_id": person.pk}
    resolver = get_resolver().namespace_dict["directory"][1]
    pages = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLPattern):
            kwargs = {name: values[name] for name in entry.pattern.converters}
            pages.append((entry.name, reverse(f"directory:{entry.name}", kwargs=kwargs)))
    return pages


def _form_for(name: str, organization) -> dict:
    if name.startswith("person"):
        return PERSON
    if name == "organization_edit":
        return {**ORGANIZATION, "code": organization.code, "city": "Changed"}
    return ORGANIZATION


@pytest.mark.parametrize("role", READERS_WHO_DO_NOT_WRITE, ids=str)
def test_no_reader_but_the_liaison_desk_writes_through_the_pages(
    role, signed_in, italy_consulate, settings
):
    person = italy_consulate.people.first()
    pages = _directory_pages(italy_consulate, person)
    assert {"organization_new", "organization_edit", "person_new", "person_edit"} <= {
        name for name, _ in pages
    }
    client = signed_in(make_user(f"reader-{role}", role))
    before = _snapshot()
    for name, url in pages:
        status = client.post(url, _form_for(name, italy_consulate)).status_code
        # A page that only shows answers a POST as it likes, but changes nothing.
        if name.endswith(("_new", "_edit")):
            assert status == 403, (name, status)
    assert _snapshot() == before


def test_the_same_page_writes_for_the_liaison_officer(liaison_officer, signed_in, italy_consulate):
    client = signed_in(liaison_officer)
    person = italy_consulate.people.first()
    assert client.post("/directory/new/", ORGANIZATION).status_code == 302
    edit = f"/directory/{italy_consulate.pk}/edit/"
    assert client.post(edit, _form_for("organization_edit", italy_consulate)).status_code == 302
    assert client.post(f"/directory/{italy_consulate.pk}/people/new/", PERSON).status_code == 302
    assert client.post(f"/directory/people/{person.pk}/edit/", PERSON).status_code == 302
    italy_consulate.refresh_from_db()
    assert Organization.objects.filter(code="UA-MOH-T").exists()
    assert italy_consulate.city == "Changed"
    assert italy_consulate.people.filter(name_latin="Example Expert").count() == 2


def _api_writes(organization, person) -> list[tuple[str, str, dict]]:
    return [
        ("post", f"{API}/organizations", {**ORGANIZATION, "languages": ["uk"], "active": True}),
        ("patch", f"{API}/organizations/{organization.pk}", {"city": "Changed"}),
        ("post", f"{API}/organizations/{organization.pk}/people", PERSON),
        ("patch", f"{API}/people/{person.pk}", {"phone": "+39 06 0"}),
    ]


@pytest.mark.parametrize("role", READERS_WHO_DO_NOT_WRITE, ids=str)
def test_no_reader_but_the_liaison_desk_writes_through_the_api(role, italy_consulate):
    user = make_user(f"api-reader-{role}", role)
    _token, secret = core_services.create_api_token(name="t", user=user, created_by=None)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    before = _snapshot()
    for method, path, body in _api_writes(italy_consulate, italy_consulate.people.first()):
        response = getattr(client, method)(path, body, content_type="application/json")
        assert response.status_code == 403, (method, path, response.content)
    assert _snapshot() == before


def test_the_same_api_writes_for_the_liaison_officer(liaison_officer, italy_consulate):
    _token, secret = core_services.create_api_token(name="t", user=liaison_officer, created_by=None)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    for method, path, body in _api_writes(italy_consulate, italy_consulate.people.first()):
        response = getattr(client, method)(path, body, content_type="application/json")
        assert response.status_code in (200, 201), (method, path, response.content)


# --- Reads of contact data, audited -------------------------------------------------------------


def _reads(reader) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action="read", object_type="directory.person", actor_username=reader.username
        ).order_by("pk")
    )


def _ids(people) -> set[str]:
    return {str(p.pk) for p in people}


@pytest.mark.parametrize("role", [Role.LEADERSHIP, Role.EXCHANGES, Role.LIAISON], ids=str)
def test_each_page_showing_phones_and_email_writes_one_read_naming_them(
    role, signed_in, italy_consulate
):
    reader = make_user(f"page-reader-{role}", role)
    client = signed_in(reader)
    people = list(italy_consulate.people.all())
    assert len(people) >= 2
    page = client.get(f"/directory/{italy_consulate.pk}/")
    assert page.status_code == 200 and people[0].phone in page.content.decode()
    (entry,) = _reads(reader)
    assert set(entry.object_ids) == _ids(people)
    assert {"phone", "mobile", "email"} <= set(entry.fields)
    assert entry.path == f"/directory/{italy_consulate.pk}/"
    # Each request its own entry: the same page again is a second read.
    client.get(f"/directory/{italy_consulate.pk}/")
    person = client.get(f"/directory/people/{people[0].pk}/")
    assert person.status_code == 200 and people[0].phone in person.content.decode()
    entries = _reads(reader)
    assert len(entries) == 3 and entries[2].object_ids == [str(people[0].pk)]
    # The list names organizations, not people: no read of anyone's contact data.
    client.get("/directory/", {"q": people[0].name_latin})
    assert len(_reads(reader)) == 3


def test_each_api_read_of_phones_and_email_writes_one_entry_naming_them(italy_consulate):
    reader = make_user("api-reader", Role.EXCHANGES)
    _token, secret = core_services.create_api_token(name="t", user=reader, created_by=None)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    people = list(italy_consulate.people.all())
    detail = client.get(f"{API}/organizations/{italy_consulate.pk}")
    assert detail.status_code == 200 and detail.json()["people"][0]["phone"]
    one = client.get(f"{API}/people/{people[0].pk}")
    assert one.status_code == 200 and one.json()["email"] == people[0].email
    found = client.get(f"{API}/people", {"q": "example contact"})
    assert found.status_code == 200 and len(found.json()) >= 2
    entries = _reads(reader)  # named for the token's officer, not an anonymous caller
    assert [set(e.object_ids) for e in entries[:2]] == [_ids(people), {str(people[0].pk)}]
    assert set(entries[2].object_ids) == {str(p["id"]) for p in found.json()}
    assert len(entries) == 3
    # A list without people (the organizations) reads nobody's contact data.
    client.get(f"{API}/organizations", {"country": "IT"})
    assert len(_reads(reader)) == 3
