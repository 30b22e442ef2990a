"""The directory's REST API: the same services and access rules as the pages."""

import json

import pytest

from liaison.core.models import AuditEntry
from liaison.core.roles import Role
from liaison.directory.models import Organization, Person
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

API = "/api/v1/directory"


def _send(client, method, path, body):
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def test_list_search_and_detail(liaison_officer, signed_in, italy_consulate):
    client = signed_in(liaison_officer)
    page = client.get(f"{API}/organizations", {"kind": "consulate_general", "country": "IT"})
    assert page.status_code == 200
    assert [o["code"] for o in page.json()["results"]] == ["IT-CG-CKG"]
    found = client.get(f"{API}/organizations", {"q": "주청두"}).json()["results"]
    assert [o["code"] for o in found] == ["KR-CG-CTU"]
    detail = client.get(f"{API}/organizations/{italy_consulate.pk}").json()
    assert detail["districts"] == ["50", "51", "52", "53"]
    assert {p["name_latin"] for p in detail["people"]} == {"Example Contact D", "Example Contact E"}
    read = AuditEntry.objects.filter(action="read", object_type="directory.person").latest("at")
    assert len(read.object_ids) == 2
    people = client.get(f"{API}/people", {"q": "example contact d"}).json()
    assert [p["organization_id"] for p in people] == [italy_consulate.pk]


def test_create_correct_and_add_a_person(liaison_officer, signed_in, city):
    client = signed_in(liaison_officer)
    government = Organization.objects.get(code="AM-GOV")
    created = _send(
        client,
        "post",
        f"{API}/organizations",
        {
            "code": "AM-MOH-2",
            "kind": "ministry",
            "country": "AM",
            "name_zh": "亚美尼亚卫生部（测试）",
            "name_en": "Ministry of Health (test)",
            "parent_id": government.pk,
            "languages": ["hy", "en"],
        },
    )
    assert created.status_code == 201, created.content
    ministry = Organization.objects.get(code="AM-MOH-2")
    assert ministry.parent == government
    corrected = _send(
        client, "patch", f"{API}/organizations/{ministry.pk}", {"city": "Yerevan", "active": False}
    )
    assert corrected.status_code == 200 and corrected.json()["active"] is False
    person = _send(
        client,
        "post",
        f"{API}/organizations/{ministry.pk}/people",
        {"name_latin": "Example Contact", "title_en": "Deputy minister (example)"},
    )
    assert person.status_code == 201
    ended = _send(client, "patch", f"{API}/people/{person.json()['id']}", {"until": "2020-04-01"})
    assert ended.status_code == 200 and ended.json()["in_post"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "palace"}, "kind"),
        ({"country": "ZZ"}, "country"),
        ({"name_en": "x" * 201}, "name_en"),
        ({"since": "2020-03-02", "until": "2020-03-01"}, "until"),
        ({"parent_id": 999999999}, "parent_id"),
        ({"code": "IT-CG-CKG"}, "code"),
    ],
)
def test_bad_bodies_answer_400_and_change_nothing(liaison_officer, signed_in, city, body, field):
    client = signed_in(liaison_officer)
    before = Organization.objects.count(), AuditEntry.objects.exclude(action="read").count()
    base = {"code": "XX-1", "kind": "media", "country": "KR", "name_zh": "测", "name_en": "T"}
    response = _send(client, "post", f"{API}/organizations", {**base, **body})
    assert response.status_code == 400, response.content
    assert field in {e["field"] for e in response.json()["errors"]}
    assert (Organization.objects.count(), AuditEntry.objects.exclude(action="read").count()) == (
        before
    )


def test_parent_itself_and_a_person_without_a_name(liaison_officer, signed_in, italy_consulate):
    client = signed_in(liaison_officer)
    response = _send(
        client,
        "patch",
        f"{API}/organizations/{italy_consulate.pk}",
        {"parent_id": italy_consulate.pk},
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "parent"
    people = Person.objects.count()
    response = _send(
        client, "post", f"{API}/organizations/{italy_consulate.pk}/people", {"title_en": "Consul"}
    )
    assert response.status_code == 400 and Person.objects.count() == people


def test_readers_read_only_the_liaison_desk_writes(city, signed_in, italy_consulate, settings):
    settings.LIAISON_ADMIN_REQUIRES_2FA = False
    readers = {Role.ASSISTANCE, Role.LIAISON, Role.AID, Role.EXCHANGES, Role.DUTY, Role.LEADERSHIP}
    for role in Role:
        client = signed_in(make_user(f"api-{role}", role))
        status = client.get(f"{API}/organizations/{italy_consulate.pk}").status_code
        assert status == (200 if role in readers else 403), (role, status)
        status = _send(
            client, "patch", f"{API}/organizations/{italy_consulate.pk}", {"city": "X"}
        ).status_code
        assert status == (200 if role == Role.LIAISON else 403), (role, status)
    assert (
        _send(
            signed_in(make_user("api-again", Role.LIAISON)),
            "patch",
            f"{API}/organizations/999999999",
            {"city": "X"},
        ).status_code
        == 404
    )


def test_a_null_empties_a_text_field_and_is_refused_where_a_value_is_needed(
    liaison_officer, signed_in, italy_consulate
):
    """Found by the fuzzer: ``{"website": null}`` reached the database as NULL (a 500)."""
    client = signed_in(liaison_officer)
    path = f"{API}/organizations/{italy_consulate.pk}"
    emptied = _send(client, "patch", path, {"website": None, "languages": None})
    assert emptied.status_code == 200, emptied.content
    italy_consulate.refresh_from_db()
    assert (italy_consulate.website, italy_consulate.languages) == ("", [])
    refused = _send(client, "patch", path, {"active": None})
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "active"
    italy_consulate.refresh_from_db()
    assert italy_consulate.active is True
    person = italy_consulate.people.first()
    nulls = {"name_native": None, "mobile": None, "email": None, "accreditation": None}
    answer = _send(client, "patch", f"{API}/people/{person.pk}", nulls)
    assert answer.status_code == 200, answer.content  # the Latin name is still there
    person.refresh_from_db()
    assert (person.name_native, person.mobile, person.email) == ("", "", "")
