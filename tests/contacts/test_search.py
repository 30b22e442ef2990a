"""One search across the directory and the contact log, in native script and Latin letters
(issue 14, point 8): the service, the page in English and Chinese, the API, who sees what."""

from importlib import import_module

import pytest
from django.apps import apps as django_apps

from liaison.contacts import search as finder
from liaison.contacts import services
from liaison.contacts.models import Contact
from liaison.contacts.services import Who
from liaison.core import audit
from liaison.core.models import AuditEntry
from liaison.core.roles import Role
from liaison.directory import services as directory
from liaison.directory.models import OrganizationKind
from tests.conftest import make_user
from tests.contacts.conftest import march

pytestmark = pytest.mark.django_db


@pytest.fixture
def counterparts(liaison_officer, korea_chengdu, consul_general, japan_chongqing):
    """Korean, Russian, Ukrainian, Iranian and Chinese names, and a contact with each."""
    with audit.acting_as(liaison_officer):
        russia = directory.create_organization(
            by=liaison_officer,
            code="RU-CG-TEST",
            kind=OrganizationKind.CONSULATE_GENERAL,
            country="RU",
            name_zh="俄罗斯联邦驻测试总领事馆",
            name_en="Consulate General of the Russian Federation (test)",
            name_native="Генеральное консульство России",
        )
        petr = directory.add_person(
            organization=russia, by=liaison_officer, name_native="Пётр Смирнов"
        )
        ukraine = directory.create_organization(
            by=liaison_officer,
            code="UA-MOH-TEST",
            kind=OrganizationKind.MINISTRY,
            country="UA",
            name_zh="乌克兰卫生部（测试）",
            name_en="Ministry of Health of Ukraine (test)",
            name_native="Міністерство охорони здоров'я України",
        )
        petro = directory.add_person(
            organization=ukraine, by=liaison_officer, name_native="Петро Коваленко"
        )
        iran = directory.create_organization(
            by=liaison_officer,
            code="IR-SHIRAZ-TEST",
            kind=OrganizationKind.SISTER_CITY,
            country="IR",
            name_zh="设拉子市（测试）",
            name_en="Shiraz (test)",
            name_native="شهرداری شیراز",
        )
        mayor = directory.add_person(
            organization=iran, by=liaison_officer, name_native="محمد رضایی", name_latin=""
        )
        germany = directory.create_organization(
            by=liaison_officer,
            code="DE-CG-TEST",
            kind=OrganizationKind.CONSULATE_GENERAL,
            country="DE",
            name_zh="德国驻测试总领事馆",
            name_en="Consulate General of Germany (test)",
        )
        muller = directory.add_person(
            organization=germany, by=liaison_officer, name_latin="Jürgen Müller", name_zh="米勒"
        )
        korea = services.log_contact(
            kind="call",
            starts_at=march(20, 15),
            place="外事大楼",
            topics=["入境防控措施"],
            summary="Explained the quarantine on arrival.",
            participants=[
                Who(role="note_taker", user=liaison_officer.pk),
                Who(role="led", person=consul_general.pk),
            ],
            by=liaison_officer,
        )
        kyiv = services.log_contact(
            kind="video_call",
            starts_at=march(24, 15),
            medium="Zoom",
            topics=["Testing guidelines"],
            participants=[Who(role="led", person=petro.pk)],
            by=liaison_officer,
        )
        shiraz = services.log_contact(
            kind="letter",
            starts_at=march(25, 10),
            topics=["Masks donated by the sister city"],
            participants=[Who(role="led", person=mayor.pk)],
            by=liaison_officer,
        )
    return {
        "petr": petr,
        "petro": petro,
        "mayor": mayor,
        "muller": muller,
        "korea": korea,
        "kyiv": kyiv,
        "shiraz": shiraz,
        "russia": russia,
        "japan": japan_chongqing,
        "korea_chengdu": korea_chengdu,
        "consul_general": consul_general,
    }


def _ids(found, kind):
    group = found.group(kind)
    return {item.pk for item in group.page.object_list} if group else set()


def test_names_in_native_script_and_latin_letters_find_the_same_records(
    liaison_officer, counterparts
):
    c = counterparts
    cases = [
        # Hangul and its Latin spelling, with or without the hyphen.
        ("김민준", "people", c["consul_general"].pk),
        ("Kim Min-jun", "people", c["consul_general"].pk),
        ("김민준", "contacts", c["korea"].pk),
        ("kim minjun", "contacts", c["korea"].pk),
        # The country in its own script and in English.
        ("대한민국", "organizations", c["korea_chengdu"].pk),
        ("Korea", "organizations", c["korea_chengdu"].pk),
        # Cyrillic, transliterated: Пётр reads "Petr", Петро "Petro".
        ("Пётр", "people", c["petr"].pk),
        ("Petr", "people", c["petr"].pk),
        ("Petro", "people", c["petro"].pk),
        ("Petro Kovalenko", "contacts", c["kyiv"].pk),
        ("Петро", "contacts", c["kyiv"].pk),
        # Chinese and its pinyin.
        ("重庆", "organizations", c["japan"].pk),
        ("chongqing", "organizations", c["japan"].pk),
        # Persian, as written.
        ("رضایی", "people", c["mayor"].pk),
        ("شیراز", "contacts", c["shiraz"].pk),
        # Accents folded either way.
        ("muller", "people", c["muller"].pk),
        ("MÜLLER", "people", c["muller"].pk),
        # A contact's topic, summary and place.
        ("入境防控", "contacts", c["korea"].pk),
        ("quarantine arrival", "contacts", c["korea"].pk),
        ("外事大楼", "contacts", c["korea"].pk),
        ("waishi", "contacts", c["korea"].pk),
        ("masks donated", "contacts", c["shiraz"].pk),
    ]
    for query, kind, expected in cases:
        found = finder.search(liaison_officer, query)
        assert expected in _ids(found, kind), (query, kind)
    # "Petr" is part of "Petro": both are found; "Petro" is not part of "Petr".
    assert {c["petr"].pk, c["petro"].pk} <= _ids(finder.search(liaison_officer, "Petr"), "people")
    assert c["petr"].pk not in _ids(finder.search(liaison_officer, "Petro"), "people")
    # Every word must match: a Korean name with a Ukrainian one finds no contact.
    assert not _ids(finder.search(liaison_officer, "김민준 Петро"), "contacts")


def test_the_contact_keeps_its_search_text_through_corrections(liaison_officer, counterparts):
    c = counterparts
    kyiv = c["kyiv"]
    assert "petro" in kyiv.search_text and "zoom" in kyiv.search_text
    with audit.acting_as(liaison_officer):
        services.correct_contact(
            contact=kyiv, reason="Wrong platform", by=liaison_officer, medium="Skype"
        )
        # A name corrected in the directory is found in the log under its new spelling.
        directory.update_person(person=c["petro"], by=liaison_officer, name_latin="Petro Kovalenko")
        # Withdrawn contacts are still found, and marked.
        services.withdraw_contact(contact=c["shiraz"], reason="Logged twice", by=liaison_officer)
    kyiv.refresh_from_db()
    assert "skype" in kyiv.search_text and "zoom" not in kyiv.search_text
    assert "kovalenko" in kyiv.search_text
    assert kyiv.pk in _ids(finder.search(liaison_officer, "Kovalenko Skype"), "contacts")
    shiraz = finder.search(liaison_officer, "masks").group("contacts").page.object_list[0]
    assert shiraz.pk == c["shiraz"].pk and shiraz.withdrawn


def test_the_data_migration_fills_the_text_of_contacts_already_logged(counterparts):
    Contact.objects.update(search_text="")
    migration = import_module("liaison.contacts.migrations.0002_contact_search_text")
    migration.fill(django_apps, None)
    korea = Contact.objects.get(pk=counterparts["korea"].pk)
    assert "김민준" in korea.search_text and "kim" in korea.search_text
    assert "chongqing" not in korea.search_text  # nothing of another contact


def test_the_page_groups_counts_links_and_marks_in_english_and_chinese(
    liaison_officer, signed_in, counterparts
):
    c = counterparts
    with audit.acting_as(liaison_officer):
        services.withdraw_contact(contact=c["kyiv"], reason="Logged twice", by=liaison_officer)
    client = signed_in(liaison_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    before = AuditEntry.objects.filter(action=AuditEntry.Action.READ).count()
    response = client.get("/contacts/search/", {"q": "Petro"})
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="count-people">(1)' in text
    assert f"/directory/people/{c['petro'].pk}/" in text
    assert f"/contacts/{c['kyiv'].pk}/" in text and "withdrawn" in text
    assert "People" in text and "Contact log" in text
    # One read entry for the people shown (found, or in a contact shown), one for the contacts.
    reads = AuditEntry.objects.filter(action=AuditEntry.Action.READ).order_by("pk")[before:]
    people = [r for r in reads if r.object_type == "directory.person"]
    assert len(people) == 1 and people[0].object_ids == [str(c["petro"].pk)]
    assert [r.object_ids for r in reads if r.object_type == "contacts.contact"] == [
        [str(c["kyiv"].pk)]
    ]

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    text = client.get("/contacts/search/", {"q": "대한민국"}).content.decode()
    assert "搜索名录和联系记录" in text and "机构" in text
    assert f"/directory/{c['korea_chengdu'].pk}/" in text
    assert "大韩民国驻成都总领事馆" in text


def test_a_short_query_gets_the_hint_and_an_overlong_one_a_400(liaison_officer, signed_in):
    client = signed_in(liaison_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for query in ("", "k", "   "):
        response = client.get("/contacts/search/", {"q": query})
        assert response.status_code == 200 and 'data-testid="hint"' in response.content.decode()
    assert client.get("/contacts/search/").status_code == 200
    # One Chinese character or Korean syllable is a word.
    assert 'data-testid="hint"' not in client.get("/contacts/search/?q=韩").content.decode()
    assert client.get("/contacts/search/", {"q": "x" * 101}).status_code == 400
    assert client.get("/contacts/search/", {"q": "Korea", "kind": "travelers"}).status_code == 400
    assert client.get("/contacts/search/", {"q": "Korea", "page": "two"}).status_code == 400
    api = client.get("/api/v1/search", {"q": "k"})
    assert api.status_code == 400 and api.json()["errors"][0]["field"] == "q"
    assert client.get("/api/v1/search", {"q": "x" * 101}).status_code == 400
    assert client.get("/api/v1/search").status_code == 400


def test_the_list_of_one_kind_is_paged(liaison_officer, signed_in, korea_chengdu):
    with audit.acting_as(liaison_officer):
        for number in range(12):
            directory.add_person(
                organization=korea_chengdu, by=liaison_officer, name_native=f"이서연 {number}"
            )
    client = signed_in(liaison_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = client.get("/contacts/search/", {"q": "이서연"}).content.decode()
    assert 'data-testid="count-people">(12)' in text and "All 12" in text
    assert text.count("/directory/people/") == finder.PREVIEW
    text = client.get("/contacts/search/", {"q": "iseoyeon", "kind": "people"}).content.decode()
    assert text.count("/directory/people/") == 12
    assert 'data-testid="group-organizations"' not in text
    page = finder.search(liaison_officer, "이서연", kind="people", page=2, per_page=5)
    assert page.group("people").page.number == 2 and len(page.group("people").page) == 5


def test_the_api_answers_by_group_for_what_the_client_may_see(
    liaison_officer, signed_in, counterparts
):
    c = counterparts
    body = signed_in(liaison_officer).get("/api/v1/search", {"q": "김민준"}).json()
    assert [p["id"] for p in body["people"]["results"]] == [c["consul_general"].pk]
    assert body["contacts"]["count"] == 1
    contact = body["contacts"]["results"][0]
    assert contact["id"] == c["korea"].pk and contact["withdrawn"] is False
    assert contact["organization_ids"] == [c["korea_chengdu"].pk]
    body = signed_in(liaison_officer).get("/api/v1/search", {"q": "Korea", "kind": "organizations"})
    assert body.json()["people"] is None
    assert c["korea_chengdu"].pk in [o["id"] for o in body.json()["organizations"]["results"]]

    # The assistance desk reads the directory, not the log: no contacts for it.
    assistance = make_user("liu-assistance", Role.ASSISTANCE)
    found = finder.search(assistance, "김민준")
    assert [g.kind for g in found.groups] == ["organizations", "people"]
    body = signed_in(assistance).get("/api/v1/search", {"q": "김민준"}).json()
    assert body["contacts"] is None and body["people"]["count"] == 1
    text = signed_in(assistance).get("/contacts/search/", {"q": "김민준"}).content.decode()
    assert f"/contacts/{c['korea'].pk}/" not in text

    # A sampling officer reads neither.
    sampler = make_user("ma-sampling", Role.SAMPLING)
    assert signed_in(sampler).get("/contacts/search/", {"q": "Korea"}).status_code == 403
    assert signed_in(sampler).get("/api/v1/search", {"q": "Korea"}).status_code == 403


def test_on_postgresql_the_search_text_has_its_trigram_index():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite scans the stored text; the trigram index is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'contacts_contact_search_trgm'"
        )
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition
