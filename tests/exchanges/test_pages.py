"""The exchanges desk's pages: list, plan with its formsets, detail, Q&A, materials, finalize,
the lock, and who may see and do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from liaison.core import audit
from liaison.core.models import AuditEntry
from liaison.directory.models import Person
from liaison.exchanges import services
from liaison.exchanges.models import Conference, Material, Question
from tests.exchanges.conftest import (
    PNG_BYTES,
    TITLE_ZH,
    UKRAINIAN_MINISTER,
    march_24_plan,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


def _management(prefix: str, total: int) -> dict:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0"}


def plan_post(directory, **changes) -> dict:
    people, orgs = directory["people"], directory["orgs"]
    data = {
        "title_zh": "白俄罗斯专家视频会议",
        "title_en": "Video conference with Belarus",
        "arranged_by": str(orgs["mfa"].pk),
        "starts_at": "2020-04-02T15:00",
        "ends_at": "2020-04-02T17:00",
        "platform": "ministry",
        **_management("countries", 3),
        "countries-0-country": "BY",
        **_management("participants", 4),
        "participants-0-side": "ours",
        "participants-0-role": "expert",
        "participants-0-person": str(people["expert_1"].pk),
        # Someone not yet in the directory: the organization and the name.
        "participants-1-side": "theirs",
        "participants-1-role": "official",
        "participants-1-organization": str(orgs["ua_health"].pk),
        "participants-1-name_native": "Тарас Мельник",
        "participants-1-name_latin": "Taras Melnyk",
        **_management("agenda", 3),
        "agenda-0-title_en": "Prevention practice",
        "agenda-0-minutes": "40",
    }
    data.update(changes)
    return data


def test_the_plan_form_offers_empty_rows_without_javascript(exchange_officer, signed_in):
    page = signed_in(exchange_officer).get("/exchanges/new/").content.decode()
    assert 'name="participants-TOTAL_FORMS" value="3"' in page
    assert 'name="agenda-2-title_zh"' in page and 'name="countries-2-country"' in page


def test_a_plan_posted_is_saved_with_its_rows(directory, exchange_officer, signed_in):
    response = signed_in(exchange_officer).post("/exchanges/new/", plan_post(directory))
    assert response.status_code == 302, response.content.decode()[:2000]
    conference = Conference.objects.get()
    assert conference.starts_at.hour == 7  # 15:00 in Beijing is 07:00 UTC
    assert [c.time_zone for c in conference.countries.all()] == ["Europe/Minsk"]
    assert conference.participants.count() == 2 and conference.agenda.count() == 1
    assert Person.objects.filter(name_latin="Taras Melnyk", organization__code="UA-MOH").exists()


@pytest.mark.parametrize(
    "change",
    [
        {"ends_at": "2020-04-02T14:00"},  # before the start
        {"participants-1-organization": "987654"},  # an organization not in the directory
        {"starts_at": "0001-01-01T00:00"},
        {"platform": "carrier-pigeon"},
    ],
    ids=["end-before-start", "unknown-organization", "year-1", "unknown-platform"],
)
def test_a_bad_plan_is_a_400_and_changes_nothing(directory, exchange_officer, signed_in, change):
    people = Person.objects.count()
    response = signed_in(exchange_officer).post("/exchanges/new/", plan_post(directory, **change))
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Conference.objects.exists() and Person.objects.count() == people


def test_the_list_shows_upcoming_conferences_first(
    conference, directory, exchange_officer, signed_in
):
    soon = timezone.now() + timedelta(days=3)
    with audit.acting_as(exchange_officer):
        upcoming = services.plan_conference(
            plan=march_24_plan(
                directory,
                title_zh="白俄罗斯专家视频会议",
                starts_at=soon,
                ends_at=soon + timedelta(hours=2),
            ),
            by=exchange_officer,
        )
    client = signed_in(exchange_officer)
    page = client.get("/exchanges/").content.decode()
    assert page.index("白俄罗斯专家视频会议") < page.index(TITLE_ZH)
    past = client.get("/exchanges/?when=past").content.decode()
    assert TITLE_ZH in past and "白俄罗斯专家视频会议" not in past
    assert client.get("/exchanges/?country=AM&q=Ukraine").status_code == 200
    assert client.get("/exchanges/?when=someday").status_code == 400
    assert upcoming.pk


def test_the_detail_page_audits_its_people_once(conference, leader, signed_in):
    client = signed_in(leader)
    before = AuditEntry.objects.filter(action=AuditEntry.Action.READ).count()
    page = client.get(f"/exchanges/{conference.pk}/").content.decode()
    assert UKRAINIAN_MINISTER in page and "Europe/Kyiv" in page and "09:00" in page
    reads = AuditEntry.objects.filter(action=AuditEntry.Action.READ)
    assert reads.count() == before + 1
    assert len(reads.latest("id").object_ids) == 17


def test_questions_and_materials_through_the_page(
    conference, directory, exchange_officer, signed_in
):
    client = signed_in(exchange_officer)
    seats = {p.person_id: p.pk for p in conference.participants.all()}
    people = directory["people"]
    response = client.post(
        f"/exchanges/{conference.pk}/questions/",
        {
            "asked_by": seats[people["deputy_am"].pk],
            "question_en": "How long is the quarantine?",
            "answered_by": seats[people["expert_5"].pk],
            "answer_en": "Fourteen days.",
        },
    )
    assert response.status_code == 302
    question = Question.objects.get()
    assert (question.asked_by, question.answered_by) == (people["deputy_am"], people["expert_5"])

    material = {"title": "Practice", "language": "en", "version": "1", "visibility": "public"}
    response = client.post(
        f"/exchanges/{conference.pk}/materials/", {**material, "file": pdf_upload()}
    )
    assert response.status_code == 302
    stored = Material.objects.get()
    download = client.get(f"/exchanges/{conference.pk}/materials/{stored.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")

    fake = SimpleUploadedFile("plan.pdf", PNG_BYTES)
    response = client.post(f"/exchanges/{conference.pk}/materials/", {**material, "file": fake})
    assert response.status_code == 400
    assert "文件内容与其文件名（.pdf）不符" in response.content.decode()  # the office's language
    assert Material.objects.count() == 1


def test_finalized_minutes_are_locked_on_the_pages(
    conference, directory, exchange_officer, signed_in
):
    client = signed_in(exchange_officer)
    response = client.post(f"/exchanges/{conference.pk}/finalize/")
    assert response.status_code == 302 and response["Location"].endswith("/minutes/")
    page = client.get(f"/exchanges/{conference.pk}/").content.decode()
    assert 'data-testid="locked"' in page and 'data-testid="question-form"' not in page

    edit = client.post(f"/exchanges/{conference.pk}/edit/", plan_post(directory))
    # The conference's page again, with the reason, and a 409: nothing changed.
    assert edit.status_code == 409
    assert "定稿，不能再修改" in edit.content.decode()
    assert 'data-testid="locked"' in edit.content.decode()
    assert client.get(f"/exchanges/{conference.pk}/edit/").status_code == 409
    seat = conference.participants.first().pk
    question = client.post(
        f"/exchanges/{conference.pk}/questions/", {"asked_by": seat, "question_en": "More?"}
    )
    assert question.status_code == 409
    assert "定稿，不能再修改" in question.content.decode()
    again = client.post(f"/exchanges/{conference.pk}/finalize/")
    assert again.status_code == 409
    conference.refresh_from_db()
    assert conference.title_zh == TITLE_ZH and not Question.objects.exists()


def test_leadership_reads_but_does_not_write(conference, directory, leader, signed_in):
    client = signed_in(leader)
    assert client.get("/exchanges/").status_code == 200
    assert client.get(f"/exchanges/{conference.pk}/minutes/").status_code == 200
    assert client.get("/exchanges/new/").status_code == 403
    assert client.post(f"/exchanges/{conference.pk}/finalize/").status_code == 403
    assert client.post("/exchanges/new/", plan_post(directory)).status_code == 403
    assert Conference.objects.count() == 1 and not conference.events.exclude(type="planned")


def test_other_desks_see_nothing(conference, liaison_officer, signed_in):
    client = signed_in(liaison_officer)
    assert client.get("/exchanges/").status_code == 403
    assert client.get(f"/exchanges/{conference.pk}/").status_code == 403
    assert client.get(f"/exchanges/{conference.pk}/minutes.pdf").status_code == 403


def test_an_unknown_conference_is_a_404(exchange_officer, signed_in):
    assert signed_in(exchange_officer).get("/exchanges/999999/").status_code == 404


def test_a_follow_up_through_the_page_lands_in_the_ledger(
    conference, directory, exchange_officer, signed_in
):
    from liaison.contacts.models import Commitment

    client = signed_in(exchange_officer)
    due = timezone.localdate() + timedelta(days=5)
    seat = conference.participants.get(person=directory["people"]["health_minister"]).pk
    response = client.post(
        f"/exchanges/{conference.pk}/follow-ups/",
        {
            "side": "theirs",
            "description": "Share the case data",
            "due_on": due,
            "owner_person": seat,
        },
    )
    assert response.status_code == 302
    commitment = Commitment.objects.get(source_kind="exchanges.conference")
    assert commitment.owner_person == directory["people"]["health_minister"]
    past = client.post(
        f"/exchanges/{conference.pk}/follow-ups/",
        {
            "side": "ours",
            "description": "Too late",
            "due_on": timezone.localdate() - timedelta(days=1),
            "owner_user": exchange_officer.pk,
        },
    )
    assert past.status_code == 400 and Commitment.objects.count() == 1
    assert "Share the case data" in client.get(f"/exchanges/{conference.pk}/").content.decode()


def test_the_home_page_shows_minutes_waiting_to_be_finalized(
    conference, exchange_officer, signed_in
):
    page = signed_in(exchange_officer).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "not built yet" not in page
    assert "/exchanges/" in page
