"""The desk's pages: who may open them, every case read audited, bad input re-shown, never a 500."""

import pytest

from liaison.assistance import consular
from liaison.assistance.models import AssistanceCase, ConsularNotification
from liaison.core.models import AuditEntry
from liaison.core.roles import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

CASE_PAGES = [
    "/assistance/",
    "/assistance/?view=unassigned",
    "/assistance/overdue/",
    "/assistance/by-country/",
    "/assistance/by-mission/",
    "/assistance/cases/new/",
    "/assistance/cases/{case}/",
]
# The directory of missions moved to its own app (tests/directory); notifications stay here.
MISSION_PAGES = [
    "/assistance/notifications/",
]


@pytest.fixture
def urls(stranded_in_milan, korea_consulate, yubei):
    def fill(path):
        return path.format(case=stranded_in_milan.pk, mission=korea_consulate.pk, yubei=yubei.pk)

    return fill


def test_only_assistance_officers_open_case_pages(urls, signed_in, settings):
    settings.LIAISON_ADMIN_REQUIRES_2FA = False
    for role in Role:
        client = signed_in(make_user(f"user-{role}", role))
        for path in CASE_PAGES:
            status = client.get(urls(path)).status_code
            assert status == (200 if role == Role.ASSISTANCE else 403), (role, path, status)


def test_the_directory_and_notifications_are_for_the_assistance_and_liaison_desks(
    urls, signed_in, settings
):
    settings.LIAISON_ADMIN_REQUIRES_2FA = False
    for role in Role:
        client = signed_in(make_user(f"user-{role}", role))
        allowed = role in (Role.ASSISTANCE, Role.LIAISON)
        for path in MISSION_PAGES:
            status = client.get(urls(path)).status_code
            assert status == (200 if allowed else 403), (role, path, status)


def test_a_denied_case_page_is_logged_and_shows_nothing(
    stranded_in_milan, liaison_officer, signed_in
):
    response = signed_in(liaison_officer).get(f"/assistance/cases/{stranded_in_milan.pk}/")
    assert response.status_code == 403
    assert "王小明" not in response.content.decode()
    assert AuditEntry.objects.filter(action="denied", actor_username="sun-liaison").exists()


def test_the_menu_shows_the_desk_to_its_officers(assistance_officer, liaison_officer, signed_in):
    page = signed_in(assistance_officer).get("/").content.decode()
    assert 'href="/assistance/"' in page and 'href="/directory/"' in page
    page = signed_in(liaison_officer).get("/").content.decode()
    assert 'href="/assistance/"' not in page and 'href="/directory/"' in page


def reads(case) -> int:
    return AuditEntry.objects.filter(
        action="read", object_type="assistance.assistancecase", object_id=str(case.pk)
    ).count()


def test_every_read_of_a_case_is_audited(stranded_in_milan, assistance_officer, signed_in):
    client = signed_in(assistance_officer)
    before = reads(stranded_in_milan)
    page = client.get(f"/assistance/cases/{stranded_in_milan.pk}/").content.decode()
    assert "王小明" in page and "WANG Xiaoming" in page
    assert reads(stranded_in_milan) == before + 1
    entry = AuditEntry.objects.filter(action="read").latest("id")
    assert entry.actor_username == "liu-assistance" and "王小明" not in str(entry.__dict__)
    client.get("/assistance/?view=all")
    client.get("/assistance/?view=all&q=WANG")
    client.get("/assistance/overdue/", {})
    assert reads(stranded_in_milan) == before + 3  # two lists showed the case; overdue did not


def test_an_unknown_case_is_404_not_500(assistance_officer, signed_in, city):
    assert signed_in(assistance_officer).get("/assistance/cases/999/").status_code == 404


def test_opening_a_case_through_the_page(assistance_officer, signed_in, yubei):
    client = signed_in(assistance_officer)
    response = client.post(
        "/assistance/cases/new/",
        {
            "person_name": "Иван Петров",
            "person_name_latin": "Ivan PETROV",
            "nationality": "RU",
            "category": "diet",
            "priority": "urgent",
            "summary": "Halal meals.",
            "requester": "district",
            "jurisdiction": yubei.pk,
        },
    )
    case = AssistanceCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/assistance/cases/{case.pk}/"
    assert (case.nationality, case.jurisdiction, case.opened_by) == (
        "RU",
        yubei,
        assistance_officer,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"person_name": ""}, "Name (as written, any script)"),
        ({"category": ""}, "Category"),
        ({"due_at": "2020-01-01T10:00"}, "The due date is in the past."),
        ({"category": "stranded"}, "Give the country where the citizen is."),
        ({"phone": "12"}, "This is not a phone number"),
    ],
)
def test_bad_input_reshows_the_form_naming_the_field(
    assistance_officer, signed_in, city, changes, message, settings
):
    client = signed_in(assistance_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    data = {
        "person_name": "Anna",
        "nationality": "DE",
        "category": "medical",
        "priority": "normal",
        "summary": "Insulin.",
        "requester": "self",
        **changes,
    }
    response = client.post("/assistance/cases/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert AssistanceCase.objects.count() == 0


def test_the_error_is_in_chinese_for_a_chinese_screen(assistance_officer, signed_in, city):
    response = signed_in(assistance_officer).post("/assistance/cases/new/", {"nationality": "DE"})
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode()


def test_working_a_case_through_its_page(stranded_in_milan, assistance_officer, signed_in):
    client = signed_in(assistance_officer)
    url = f"/assistance/cases/{stranded_in_milan.pk}/"
    assert client.post(url, {"op": "take"}).status_code == 302
    assert (
        client.post(url, {"op": "log", "log-type": "action", "log-text": "Called."}).status_code
        == 302
    )
    assert client.post(url, {"op": "move", "move-to": "resolved"}).status_code == 302
    assert client.post(url, {"op": "move", "move-to": "closed"}).status_code == 302
    stranded_in_milan.refresh_from_db()
    assert stranded_in_milan.status == "closed"
    events = stranded_in_milan.events.count()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post(url, {"op": "move", "move-to": "in_progress"})
    assert response.status_code == 400
    assert "cannot go from “Closed” to “In progress”. Reopen it first." in response.content.decode()
    stranded_in_milan.refresh_from_db()
    assert stranded_in_milan.status == "closed" and stranded_in_milan.events.count() == events
    for bad in ({"op": "move", "move-to": "flying"}, {"op": "nonsense"}, {"op": "log"}):
        assert client.post(url, bad).status_code == 400


def test_drafting_and_sending_a_notification_through_the_pages(
    korean_in_yubei, korea_consulate, assistance_officer, second_assistance_officer, signed_in
):
    client = signed_in(assistance_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post(
        f"/assistance/cases/{korean_in_yubei.pk}/",
        {"op": "notify", "notify-mission": korea_consulate.pk},
    )
    notification = ConsularNotification.objects.get()
    url = f"/assistance/notifications/{notification.pk}/"
    assert response["Location"] == url
    response = client.post(url, {"op": "send", "send-sent_via": "email"})
    assert response.status_code == 409  # its state (a draft) does not allow it yet
    assert "Review the notification before marking it sent." in response.content.decode()
    # Four eyes: the drafter is not offered the review, and is refused it; a colleague reviews.
    review = {
        "op": "review",
        "review-subject": notification.subject,
        "review-body": notification.body,
    }
    assert 'data-testid="review-form"' not in client.get(url).content.decode()
    assert client.post(url, review).status_code == 403
    colleague = signed_in(second_assistance_officer)
    assert 'data-testid="review-form"' in colleague.get(url).content.decode()
    assert colleague.post(url, review).status_code == 302
    assert client.post(url, {"op": "send", "send-sent_via": "email"}).status_code == 302
    notification.refresh_from_db()
    sent_at = notification.sent_at
    response = client.post(url, {"op": "send", "send-sent_via": "fax"})
    assert response.status_code == 409  # already sent: its state does not allow it again
    assert "already marked sent" in response.content.decode()
    notification.refresh_from_db()
    assert (notification.sent_via, notification.sent_at) == ("email", sent_at)
    assert client.post(url, {"op": "ack", "ack-text": "Received."}).status_code == 302
    assert AuditEntry.objects.filter(
        action="read", object_type="assistance.consularnotification", object_id=str(notification.pk)
    ).exists()


def test_automatic_drafts_are_listed_for_review(city, liaison_officer, signed_in):
    from liaison.arrivals.services import declare
    from tests.arrivals.conftest import valid_payload

    rossi = declare(
        data=valid_payload(
            surname_native="",
            given_names_native="",
            surname_latin="ROSSI",
            given_names_latin="MARIO",
            nationality="IT",
            language="it",
            document_number="YA0000000",
            jurisdiction="500105",
        ),
        source="api",
    ).arrival
    consular.draft_for_disposition(arrival=rossi, disposition="centralized_quarantine")
    page = signed_in(liaison_officer).get("/assistance/notifications/?status=draft")
    assert "ROSSI MARIO" in page.content.decode()


def test_a_case_shows_the_name_isolated_for_bidirectional_text(
    korean_in_yubei, stranded_in_milan, assistance_officer, signed_in
):
    client = signed_in(assistance_officer)
    html = client.get("/assistance/", {"view": "all"}).content.decode()
    assert '<bdi dir="auto" lang="ko">김민준</bdi>' in html
    assert '<bdi dir="auto" lang="zh-Hans">王小明</bdi>' in html
    html = client.get(f"/assistance/cases/{korean_in_yubei.pk}/").content.decode()
    assert '<bdi dir="auto" lang="ko">김민준</bdi>' in html
