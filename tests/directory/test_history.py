"""The directory's history (issue 14, points 1 and 2): every create, correction and deactivation
of an organization or a person, with who, when, why and each field before and after, shown in
the reader's language on the pages and in the API; nothing deleted."""

import json

import pytest

from liaison.core import audit
from liaison.core.models import AuditEntry
from liaison.core.refusals import Refused
from liaison.directory import services
from liaison.directory.history import field_changes, history
from liaison.directory.models import ChangeKind, DirectoryChange, Organization, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def ukraine_ministry(liaison_officer, city):
    with audit.acting_as(liaison_officer):
        return services.create_organization(
            by=liaison_officer,
            code="UA-MOH-HIST",
            kind="ministry",
            country="UA",
            name_zh="乌克兰卫生部（测试）",
            name_en="Ministry of Health of Ukraine (test)",
            name_native="Міністерство охорони здоров'я України",
            languages=["uk", "en"],
            reason="Video conference of 24 March 2020",
        )


def test_each_write_records_its_values_before_and_after(liaison_officer, ukraine_ministry):
    created = ukraine_ministry.changes.get()
    assert created.kind == ChangeKind.CREATED and created.by == liaison_officer
    assert created.reason == "Video conference of 24 March 2020"
    assert created.changes["country"] == {"before": None, "after": "UA"}
    assert created.changes["languages"] == {"before": None, "after": ["uk", "en"]}

    government = Organization.objects.get(code="UA-GOV")
    with audit.acting_as(liaison_officer):
        services.update_organization(
            organization=ukraine_ministry,
            by=liaison_officer,
            reason="Its Ukrainian name and its government",
            name_native="Міністерство охорони здоров'я",
            parent=government,
            kind="ministry",  # unchanged: not recorded
        )
        services.deactivate_organization(
            organization=ukraine_ministry, by=liaison_officer, reason="Merged"
        )
    deactivated, corrected, _ = ukraine_ministry.changes.all()
    assert corrected.kind == ChangeKind.UPDATED
    assert corrected.changes == {
        "name_native": {
            "before": "Міністерство охорони здоров'я України",
            "after": "Міністерство охорони здоров'я",
        },
        "parent": {"before": None, "after": government.pk},
    }
    assert deactivated.kind == ChangeKind.DEACTIVATED and deactivated.reason == "Merged"
    assert deactivated.changes == {"active": {"before": True, "after": False}}

    with audit.acting_as(liaison_officer):
        person = services.add_person(
            organization=ukraine_ministry,
            by=liaison_officer,
            name_native="Олена Шевченко",
            name_latin="Olena Shevchenko",
            accreditation="diplomatic",
        )
        services.update_person(
            person=person, by=liaison_officer, until="2020-12-31", reason="Left her post"
        )
    left, added = person.changes.all()
    assert added.kind == ChangeKind.CREATED
    assert added.changes["accreditation"] == {"before": None, "after": "diplomatic"}
    assert left.changes == {"until": {"before": None, "after": "2020-12-31"}}
    assert left.reason == "Left her post"


def test_nothing_changed_or_refused_records_nothing(liaison_officer, ukraine_ministry):
    before = DirectoryChange.objects.count()
    with audit.acting_as(liaison_officer):
        services.update_organization(
            organization=ukraine_ministry, by=liaison_officer, city=ukraine_ministry.city
        )
        with pytest.raises(Refused):
            services.update_organization(
                organization=ukraine_ministry,
                by=liaison_officer,
                since="2020-03-01",
                until="2019-01-01",
            )
        with pytest.raises(Refused):
            services.add_person(organization=ukraine_ministry, by=liaison_officer, email="a@b.c")
    assert DirectoryChange.objects.count() == before
    ukraine_ministry.refresh_from_db()
    assert ukraine_ministry.until is None


def test_the_history_is_rendered_in_the_readers_language(liaison_officer, korea_chengdu):
    from django.utils import translation

    with audit.acting_as(liaison_officer):
        services.update_organization(
            organization=korea_chengdu,
            by=liaison_officer,
            kind="consulate",
            country="JP",
            active=False,
        )
    change = history(korea_chengdu)[0]
    assert change.change.kind == ChangeKind.DEACTIVATED
    shown = {f.field: f for f in change.fields}
    assert (shown["kind"].before_shown, shown["kind"].after_shown) == (
        "Consulate general",
        "Consulate",
    )
    assert shown["country"].after_shown == "Japan" and shown["active"].after_shown == "No"
    with translation.override("zh-hans"):
        shown = {f.field: f for f in field_changes(change.change)}
        assert shown["kind"].label == "类型" and shown["kind"].before_shown == "总领事馆"
        assert shown["country"].before_shown == "韩国" and shown["active"].after_shown == "否"


def test_the_pages_show_the_history_in_english_and_chinese(
    liaison_officer, signed_in, korea_chengdu
):
    client = signed_in(liaison_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    form = {
        "code": korea_chengdu.code,
        "kind": korea_chengdu.kind,
        "name_zh": korea_chengdu.name_zh,
        "name_en": korea_chengdu.name_en,
        "name_native": korea_chengdu.name_native,
        "country": "KR",
        "city": korea_chengdu.city,
        "duty_phone": "+86 28 8616 5899",
        "languages": "ko zh",
        "active": "on",
        "reason": "New duty line from 1 April",
    }
    assert client.post(f"/directory/{korea_chengdu.pk}/edit/", form).status_code == 302
    text = client.get(f"/directory/{korea_chengdu.pk}/").content.decode()
    assert "History" in text and "Duty phone" in text and "+86 28 8616 5899" in text
    assert "New duty line from 1 April" in text and "sun-liaison" in text

    form = {"name_native": "김민준", "name_latin": "KIM Minjun", "title_en": "Consul General"}
    client.post(f"/directory/{korea_chengdu.pk}/people/new/", form)
    person = korea_chengdu.people.get(name_native="김민준")
    form = {**form, "title_en": "Consul General (acting)", "reason": "Acting from March"}
    client.post(f"/directory/people/{person.pk}/edit/", form)
    before = AuditEntry.objects.filter(object_type="directory.person").count()
    text = client.get(f"/directory/people/{person.pk}/").content.decode()
    assert "Consul General (acting)" in text and "Acting from March" in text
    assert "Title (English)" in text
    # The page shows phones and e-mail: one audited read.
    assert AuditEntry.objects.filter(object_type="directory.person").count() == before + 1

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    text = client.get(f"/directory/{korea_chengdu.pk}/").content.decode()
    assert "历史" in text and "值班电话" in text and "变更前" in text and "变更后" in text
    text = client.get(f"/directory/people/{person.pk}/").content.decode()
    assert "职务（英文）" in text and "已更正" in text


def test_the_api_detail_carries_the_history_and_a_patch_its_reason(
    liaison_officer, signed_in, ukraine_ministry
):
    client = signed_in(liaison_officer)
    response = client.patch(
        f"/api/v1/directory/organizations/{ukraine_ministry.pk}",
        json.dumps({"city": "Київ", "reason": "Ministry's seat"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    body = client.get(f"/api/v1/directory/organizations/{ukraine_ministry.pk}").json()
    latest, created = body["history"]
    assert latest["kind"] == "updated" and latest["by"] == "sun-liaison"
    assert latest["reason"] == "Ministry's seat"
    assert latest["changes"] == [
        {
            "field": "city",
            "label": "城市",  # in the staff language
            "before": "",
            "after": "Київ",
            "before_shown": "—",
            "after_shown": "Київ",
        }
    ]
    assert created["kind"] == "created"

    response = client.post(
        f"/api/v1/directory/organizations/{ukraine_ministry.pk}/people",
        json.dumps({"name_native": "Петро Коваленко", "reason": "Expert of 24 March"}),
        content_type="application/json",
    )
    person_id = response.json()["id"]
    body = client.get(f"/api/v1/directory/people/{person_id}").json()
    assert body["name_native"] == "Петро Коваленко"
    assert body["history"][0]["reason"] == "Expert of 24 March"
    assert client.get("/api/v1/directory/people/999999").status_code == 404


def test_reference_data_and_persian_and_chinese_names_have_their_history(liaison_officer, city):
    # The city's reference data, loaded with nobody at the keyboard, is in the history too.
    shiraz = Organization.objects.get(code="IR-SHIRAZ")
    created = shiraz.changes.get(kind=ChangeKind.CREATED)
    assert created.by is None and created.changes["name_native"]["after"] == "شیراز"
    assert history(shiraz)[-1].who == "Reference data"
    with audit.acting_as(liaison_officer):
        person = services.add_person(
            organization=Organization.objects.get(code="UA-GOV"),
            by=liaison_officer,
            name_native="محمد رضایی",
            name_zh="穆罕默德·礼萨伊",
        )
        services.update_person(person=person, by=liaison_officer, name_zh="礼萨伊")
    latest = Person.objects.get(pk=person.pk).changes.first()
    assert latest.changes == {"name_zh": {"before": "穆罕默德·礼萨伊", "after": "礼萨伊"}}
    # Nothing of the directory's history can be deleted with its record.
    with pytest.raises(Exception):  # noqa: B017 - PROTECT raises ProtectedError
        Person.objects.filter(pk=person.pk).delete()
