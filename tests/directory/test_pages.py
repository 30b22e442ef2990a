"""The directory's pages: who reads, who keeps it, what an organization's page shows."""

import pytest

from liaison.assistance import consular
from liaison.core import audit
from liaison.core.models import AuditEntry
from liaison.core.roles import Role
from liaison.directory.models import Organization, Person
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

READERS = {
    Role.ASSISTANCE,
    Role.LIAISON,
    Role.AID,
    Role.EXCHANGES,
    Role.DUTY,
    Role.LEADERSHIP,
}


def test_every_desk_that_links_to_the_directory_reads_it_only_the_liaison_desk_keeps_it(
    city, signed_in, settings, italy_consulate
):
    settings.LIAISON_ADMIN_REQUIRES_2FA = False
    person = italy_consulate.people.first()
    for role in Role:
        client = signed_in(make_user(f"user-{role}", role))
        for path in ("/directory/", f"/directory/{italy_consulate.pk}/", "/directory/?q=italy"):
            status = client.get(path).status_code
            assert status == (200 if role in READERS else 403), (role, path, status)
        for path in (
            "/directory/new/",
            f"/directory/{italy_consulate.pk}/edit/",
            f"/directory/{italy_consulate.pk}/people/new/",
            f"/directory/people/{person.pk}/edit/",
        ):
            status = client.get(path).status_code
            assert status == (200 if role == Role.LIAISON else 403), (role, path, status)


def test_the_old_mission_urls_lead_to_the_directory(assistance_officer, signed_in, italy_consulate):
    client = signed_in(assistance_officer)
    response = client.get("/assistance/missions/", {"nationality": "KR"})
    assert response.status_code == 301 and response["Location"] == "/directory/?nationality=KR"
    response = client.get(f"/assistance/missions/{italy_consulate.pk}/")
    assert response["Location"] == f"/directory/{italy_consulate.pk}/"


def test_who_serves_a_national_is_answered_on_the_list(assistance_officer, signed_in, yubei):
    client = signed_in(assistance_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = client.get("/directory/", {"nationality": "KR", "jurisdiction": yubei.pk}).content
    text = text.decode()
    assert text.index("Consulate General of the Republic of Korea in Chongqing") < text.index(
        "Embassy of the Republic of Korea"
    )
    page = client.get("/directory/", {"nationality": "TW"})
    assert "No mission in the directory serves this nationality here." in page.content.decode()


def test_filters_and_search(liaison_officer, signed_in):
    client = signed_in(liaison_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = client.get("/directory/", {"kind": "sister_city"}).content.decode()
    assert "Shiraz" in text and "Consulate General of Italy" not in text
    text = client.get("/directory/", {"country": "UA"}).content.decode()
    assert "Ministry of Health of Ukraine" in text and "Shiraz" not in text
    text = client.get("/directory/", {"q": "ДОРОВ"}).content.decode()
    assert "Ministry of Health of Ukraine" in text
    assert client.get("/directory/", {"kind": "palace"}).status_code == 400
    assert client.get("/directory/", {"q": "x" * 500}).status_code == 400


def test_a_consulates_page_shows_its_people_district_cases_and_notifications(
    assistance_officer, signed_in, italy_consulate, yubei
):
    from liaison.assistance import services as assistance

    with audit.acting_as(assistance_officer):
        case = assistance.open_case(
            person_name="Mario Rossi",
            nationality="IT",
            category="language",
            priority="normal",
            summary="Needs an interpreter.",
            requester="consulate",
            jurisdiction=yubei,
            opened_by=assistance_officer,
            missions=[italy_consulate],
        )
        notification = consular.draft_notification(
            case=case, mission=italy_consulate, by=assistance_officer
        )
    client = signed_in(assistance_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    reads = AuditEntry.objects.filter(action="read", object_type="directory.person").count()
    text = client.get(f"/directory/{italy_consulate.pk}/").content.decode()
    assert "Example Contact D" in text and "+86 23 0000 0802" in text
    assert case.reference in text and notification.reference in text
    assert 'data-testid="pipeline"' in text
    assert 'data-testid="pipeline-link"' not in text  # the assistance desk does not see arrivals
    assert 'data-testid="contacts-slot"' in text
    entries = AuditEntry.objects.filter(action="read", object_type="directory.person")
    assert entries.count() == reads + 1
    assert set(entries.latest("at").object_ids) == {
        str(pk) for pk in italy_consulate.people.values_list("pk", flat=True)
    }


def test_leadership_reads_without_the_desks_records(city, signed_in, italy_consulate):
    text = signed_in(make_user("zhao-lead", Role.LEADERSHIP)).get(
        f"/directory/{italy_consulate.pk}/"
    )
    assert text.status_code == 200
    assert 'data-testid="cases"' not in text.content.decode()


def test_an_officer_corrects_an_entry_and_the_page_shows_the_change(
    liaison_officer, signed_in, italy_consulate
):
    client = signed_in(liaison_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    form = {
        "code": italy_consulate.code,
        "kind": italy_consulate.kind,
        "name_zh": italy_consulate.name_zh,
        "name_en": italy_consulate.name_en,
        "country": "IT",
        "city": "Chongqing",
        "duty_phone": "+86 23 0000 0897",
        "languages": "it en",
        "active": "on",
    }
    response = client.post(f"/directory/{italy_consulate.pk}/edit/", form)
    assert response.status_code == 302
    text = client.get(f"/directory/{italy_consulate.pk}/").content.decode()
    # The history names the field as the reader reads it (issue 14: values before and after).
    assert "+86 23 0000 0897" in text and "Duty phone" in text and "sun-liaison" in text


def test_bad_pages_input_changes_nothing_and_markup_prints_as_text(
    liaison_officer, signed_in, italy_consulate
):
    client = signed_in(liaison_officer)
    before = (Organization.objects.count(), Person.objects.count())
    url = f"/directory/{italy_consulate.pk}/edit/"
    base = {"code": "IT-CG-CKG", "kind": "consulate_general", "name_zh": "意", "country": "IT"}
    assert (
        client.post(url, {**base, "name_en": "x", "parent": italy_consulate.pk}).status_code == 400
    )
    assert client.post(url, {**base, "name_en": "x", "kind": "palace"}).status_code == 400
    assert client.post(url, {**base, "name_en": "x" * 300}).status_code == 400
    people = f"/directory/{italy_consulate.pk}/people/new/"
    assert client.post(people, {"title_en": "Consul"}).status_code == 400
    assert (
        client.post(
            people, {"name_latin": "A", "since": "2020-03-02", "until": "2020-03-01"}
        ).status_code
        == 400
    )
    italy_consulate.refresh_from_db()
    assert italy_consulate.name_en == "Consulate General of Italy in Chongqing"
    assert (Organization.objects.count(), Person.objects.count()) == before
    response = client.post(people, {"name_latin": "<script>alert(1)</script>"})
    assert response.status_code == 302
    text = client.get(f"/directory/{italy_consulate.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;" in text
