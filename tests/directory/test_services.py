"""Organizations and people created and corrected through the services; bad input refused."""

import datetime

import pytest

from liaison.core import audit
from liaison.core.models import AuditEntry
from liaison.core.refusals import Refused
from liaison.directory import services
from liaison.directory.models import Organization, Person
from liaison.directory.selectors import filter_organizations, history_of, search_people

pytestmark = pytest.mark.django_db


def _count():
    return Organization.objects.count(), Person.objects.count(), AuditEntry.objects.count()


def test_a_correction_is_recorded_with_who_and_which_fields(liaison_officer, italy_consulate):
    with audit.acting_as(liaison_officer):
        services.update_organization(
            organization=italy_consulate, by=liaison_officer, duty_phone="+86 23 0000 0898"
        )
    italy_consulate.refresh_from_db()
    assert italy_consulate.duty_phone == "+86 23 0000 0898"
    latest = history_of(italy_consulate).first()
    assert latest.actor_username == "sun-liaison"
    assert latest.action == "update" and "duty_phone" in latest.fields


def test_a_ministry_of_a_government_and_a_person_in_post(liaison_officer, city):
    ukraine = Organization.objects.get(code="UA-GOV")
    with audit.acting_as(liaison_officer):
        ministry = services.create_organization(
            by=liaison_officer,
            code="UA-MOH-2",
            kind="ministry",
            country="UA",
            name_zh="乌克兰卫生部（测试）",
            name_en="Ministry of Health (test)",
            name_native="Міністерство охорони здоров'я",
            parent=ukraine,
        )
        deputy = services.add_person(
            organization=ministry,
            by=liaison_officer,
            name_native="Олена Коваленко",
            name_latin="Olena Kovalenko",
            title_en="Deputy minister (example)",
            since=datetime.date(2020, 1, 1),
        )
    assert ministry.parent == ukraine and ukraine.children.filter(pk=ministry.pk).exists()
    # Found in Cyrillic, in Latin letters without case, and through its people.
    everyone = Organization.objects.all()
    assert ministry in filter_organizations(everyone, query="охорони")
    assert ministry in filter_organizations(everyone, query="olena KOVALENKO")
    assert list(search_people(Person.objects.all(), "коваленко")) == [deputy]


def test_search_ignores_accents_and_case(city):
    everyone = Organization.objects.all()
    assert [o.code for o in filter_organizations(everyone, query="DUSSELDORF")] == ["DE-DUSSELDORF"]
    assert "KR-CG-CTU" in {o.code for o in filter_organizations(everyone, query="주청두")}
    assert "IR-SHIRAZ" in {o.code for o in filter_organizations(everyone, query="شیراز")}
    assert "HK-LU-CKG" in {o.code for o in filter_organizations(everyone, query="驻重庆联络处")}


def test_deactivating_keeps_the_record_out_of_the_list(liaison_officer, italy_consulate):
    with audit.acting_as(liaison_officer):
        services.deactivate_organization(organization=italy_consulate, by=liaison_officer)
    assert Organization.objects.filter(pk=italy_consulate.pk, active=False).exists()
    active = filter_organizations(Organization.objects.all(), active="yes")
    assert italy_consulate not in active


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "palace"}, "kind"),
        ({"country": "ZZ"}, "country"),
        ({"code": ""}, "code"),
        ({"name_en": "x" * 201}, "name_en"),
        ({"since": datetime.date(2020, 3, 2), "until": datetime.date(2020, 3, 1)}, "until"),
        ({"email": "not-an-email"}, "email"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_organizations_are_refused_and_nothing_is_written(liaison_officer, city, values, field):
    before = _count()
    fields = {
        "code": "XX-NEW",
        "kind": "media",
        "country": "KR",
        "name_zh": "测试",
        "name_en": "Test",
        **values,
    }
    with audit.acting_as(liaison_officer), pytest.raises(Refused) as refusal:
        services.create_organization(by=liaison_officer, **fields)
    assert field in {f for f, _m in refusal.value.problems}
    assert _count() == before


def test_an_organization_cannot_be_part_of_itself_or_of_its_own_part(liaison_officer, city):
    government = Organization.objects.get(code="UA-GOV")
    ministry = Organization.objects.get(code="UA-MOH")
    before = _count()
    with audit.acting_as(liaison_officer):
        for parent in (government, ministry):
            with pytest.raises(Refused) as refusal:
                services.update_organization(
                    organization=government, by=liaison_officer, parent=parent
                )
            assert refusal.value.field == "parent"
    government.refresh_from_db()
    assert government.parent is None and _count() == before


def test_a_person_needs_a_name_and_dates_in_order(liaison_officer, italy_consulate):
    before = _count()
    with audit.acting_as(liaison_officer):
        with pytest.raises(Refused) as refusal:
            services.add_person(organization=italy_consulate, by=liaison_officer, title_en="Consul")
        assert refusal.value.field == "name_latin"
        with pytest.raises(Refused) as refusal:
            services.add_person(
                organization=italy_consulate,
                by=liaison_officer,
                name_latin="Example",
                since=datetime.date(2020, 3, 2),
                until=datetime.date(2019, 3, 2),
            )
        assert refusal.value.field == "until"
    assert _count() == before


def test_ending_a_post_keeps_the_person(liaison_officer, italy_consulate):
    person = italy_consulate.people.first()
    with audit.acting_as(liaison_officer):
        services.update_person(person=person, by=liaison_officer, until=datetime.date(2020, 4, 1))
    person.refresh_from_db()
    assert not person.in_post and Person.objects.filter(pk=person.pk).exists()
