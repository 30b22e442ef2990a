"""The media desk's pages, in English and Chinese: the queue and its filters and exports, a
request and its history, the forms, the media of the directory, press releases."""

import io

import openpyxl
import pytest
from django.test import Client

from liaison.core.models import AuditEntry
from liaison.media import releases, services
from liaison.media.models import MediaRequest, PressRelease
from tests.conftest import sign_in
from tests.media.conftest import april

pytestmark = pytest.mark.django_db


def english(client: Client) -> Client:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def chinese(client: Client) -> Client:
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    return client


@pytest.fixture
def desk(media_officer):
    return english(sign_in(Client(), media_officer))


def _form(kyodo, person, **overrides):
    data = {
        "kind": "interview",
        "bureau": str(kyodo.pk),
        "correspondent": str(person.pk),
        "received_at": "2020-04-02T09:30",
        "deadline": "2020-04-04T18:00",
        "subject": "Measures for foreigners",
        "question": "How are foreigners told about quarantine?",
        "assigned_to": "",
    }
    data.update(overrides)
    return data


def test_recording_a_request_through_the_form(desk, kyodo, kyodo_correspondent, media_officer):
    assert desk.get("/media-desk/requests/new/").status_code == 200
    response = desk.post(
        "/media-desk/requests/new/",
        _form(kyodo, kyodo_correspondent, assigned_to=str(media_officer.pk)),
    )
    assert response.status_code == 302, response.content[:2000]
    created = MediaRequest.objects.get()
    assert created.received_at.isoformat() == "2020-04-02T01:30:00+00:00"  # 09:30 in Chongqing
    assert created.status == "assigned"
    page = desk.get(response["Location"]).content.decode()
    assert "Measures for foreigners" in page
    assert "Request received" in page and "Assigned to he-media" in page


@pytest.mark.parametrize(
    "bad",
    [
        {"deadline": "2020-04-01T09:00"},
        {"subject": "x" * 301},
        {"question": "x" * 5001},
        {"kind": "press_tour"},
        {"bureau": "999999"},
        {"received_at": "2020-02-30T09:00"},
        {"received_at": "1776-07-04T09:00"},
    ],
)
def test_bad_input_on_the_form_is_a_400_and_nothing_is_written(
    desk, kyodo, kyodo_correspondent, bad
):
    response = desk.post("/media-desk/requests/new/", _form(kyodo, kyodo_correspondent, **bad))
    assert response.status_code == 400
    assert not MediaRequest.objects.exists()


def test_a_correspondent_of_another_bureau_or_a_consulate_is_refused(
    desk, kyodo, yonhap_correspondent, korea_consulate
):
    response = desk.post("/media-desk/requests/new/", _form(kyodo, yonhap_correspondent))
    assert response.status_code == 400
    assert "This correspondent is not of that bureau." in response.content.decode()
    data = _form(kyodo, yonhap_correspondent, bureau=str(korea_consulate.pk), correspondent="")
    assert desk.post("/media-desk/requests/new/", data).status_code == 400
    assert not MediaRequest.objects.exists()


def test_markup_is_shown_as_text(desk, media_officer, kyodo):
    services.receive_request(
        kind="information",
        bureau_id=kyodo.pk,
        received_at=april(2, 9),
        deadline=april(3, 9),
        subject="<script>alert('x')</script>",
        question="<b>bold</b>",
        by=media_officer,
    )
    found = MediaRequest.objects.get()
    page = desk.get(f"/media-desk/requests/{found.pk}/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    queue = desk.get("/media-desk/").content.decode()
    assert "<script>alert" not in queue


def test_the_queue_filters_and_marks_what_is_overdue(desk, interview, media_officer, yonhap, kyodo):
    answered = services.receive_request(
        kind="information",
        bureau_id=yonhap.pk,
        received_at=april(6, 9),
        deadline=april(7, 9),
        subject="Flights from Seoul",
        assigned_to_id=media_officer.pk,
        by=media_officer,
    )
    services.answer_request(
        request=answered,
        answer="Two a week",
        answered_by_user_id=media_officer.pk,
        by=media_officer,
    )

    def listed(query):
        response = desk.get("/media-desk/", query)
        assert response.status_code == 200
        return [r.pk for r in response.context["page"]]

    assert listed({}) == [interview.pk, answered.pk]
    assert listed({"status": "answered"}) == [answered.pk]
    assert listed({"kind": "interview"}) == [interview.pk]
    assert listed({"bureau": kyodo.pk}) == [interview.pk]
    assert listed({"bureau": kyodo.parent_id}) == [interview.pk]  # the media group's bureaus
    assert listed({"deadline_after": "2020-04-05"}) == [answered.pk]
    assert listed({"deadline_before": "2020-04-04"}) == [interview.pk]
    assert listed({"overdue": "on"}) == [interview.pk]
    page = desk.get("/media-desk/").content.decode()
    assert "overdue" in page
    for bad in ({"status": "lost"}, {"deadline_after": "2020-13-01"}, {"bureau": "abc"}):
        assert desk.get("/media-desk/", bad).status_code == 400, bad
    assert desk.get("/media-desk/", {"format": "pdf"}).status_code == 400


def test_the_export_is_the_filtered_list(desk, interview):
    response = desk.get("/media-desk/", {"format": "csv", "kind": "interview"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Measures for foreigners arriving in Chongqing" in text
    assert "Kyodo News Beijing bureau" in text
    response = desk.get("/media-desk/", {"format": "xlsx", "kind": "filming"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 1  # the header only
    assert AuditEntry.objects.filter(action="export", object_type="media.mediarequest").exists()


def test_answer_decline_and_withdraw_pages(desk, interview, media_officer, kyodo):
    page = f"/media-desk/requests/{interview.pk}/"
    assert desk.get(page + "answer/").status_code == 200
    response = desk.post(
        page + "answer/",
        {
            "answered_by_user": media_officer.pk,
            "answer": "Designated hotels.",
            "answered_at": "2020-04-03T16:00",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    interview.refresh_from_db()
    assert interview.status == "answered"
    assert desk.post(page + "decline/", {"reason": "x"}).status_code == 409
    other = services.receive_request(
        kind="visit",
        bureau_id=kyodo.pk,
        received_at=april(8, 9),
        deadline=april(9, 9),
        subject="Visit the airport desk",
        by=media_officer,
    )
    other_page = f"/media-desk/requests/{other.pk}/"
    assert desk.post(other_page + "withdraw/", {"reason": ""}).status_code == 400
    assert desk.post(other_page + "withdraw/", {"reason": "No longer needed."}).status_code == 302
    response = desk.post(
        other_page + "answer/", {"answered_by_user": media_officer.pk, "answer": "Too late"}
    )
    assert response.status_code == 409
    assert "withdrawn" in response.content.decode()
    other.refresh_from_db()
    assert (other.status, other.answer) == ("withdrawn", "")


def test_assigning_and_correcting_through_the_pages(
    desk, media_officer, second_media_officer, kyodo, kyodo_correspondent, interview
):
    page = f"/media-desk/requests/{interview.pk}/"
    assert desk.post(page + "assign/", {"assigned_to": "abc"}).status_code == 400
    assert desk.post(page + "assign/", {"assigned_to": second_media_officer.pk}).status_code == 302
    interview.refresh_from_db()
    assert interview.assigned_to == second_media_officer
    assert desk.get(page + "correct/").status_code == 200
    data = _form(kyodo, kyodo_correspondent, deadline="2020-04-05T12:00", reason="")
    data["received_at"] = "2020-04-02T09:30"
    data["subject"] = interview.subject
    data["question"] = interview.question
    assert desk.post(page + "correct/", data).status_code == 400  # no reason
    data["reason"] = "The bureau moved its deadline."
    assert desk.post(page + "correct/", data).status_code == 302
    detail = desk.get(page).content.decode()
    assert "Corrected" in detail and "The bureau moved its deadline." in detail


def test_the_media_page_lists_the_directory_s_bureaus_and_press_cards(
    desk, kyodo, kyodo_correspondent, expired_correspondent, yonhap, interview
):
    response = desk.get("/media-desk/bureaus/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kyodo News Beijing bureau" in page and "Yonhap News Agency Beijing bureau" in page
    assert "J2020-0173" in page and "J2018-0042" in page
    assert page.count('data-testid="expired"') == 1
    assert "1 open request" in page
    assert f'href="/directory/{kyodo.pk}/"' in page
    read = AuditEntry.objects.filter(action="read", note="media directory").get()
    assert str(kyodo_correspondent.pk) in read.object_ids


def test_the_bureau_s_page_in_the_directory_shows_its_requests(desk, interview, kyodo):
    page = desk.get(f"/directory/{kyodo.pk}/").content.decode()
    assert 'data-testid="organization-media"' in page
    assert "Measures for foreigners arriving in Chongqing" in page


def test_the_officer_s_home_page_shows_the_overdue_request(desk, interview):
    home = desk.get("/")
    counts = {w.label: (w.count, w.urgent) for w in home.context["waiting"]}
    assert counts["Media requests past their deadline"] == (1, True)
    mine = desk.get("/media-desk/mine/")
    assert [r.pk for r in mine.context["found"]] == [interview.pk]


def test_press_releases_through_the_pages(desk, kyodo, yonhap, dpa):
    assert desk.get("/media-desk/releases/new/").status_code == 200
    response = desk.post(
        "/media-desk/releases/new/",
        {
            "title_zh": "重庆市加强防控",
            "title_en": "Chongqing steps up",
            "body_zh": "正文",
            "body_en": "",
        },
    )
    assert response.status_code == 302
    release = PressRelease.objects.get()
    page = f"/media-desk/releases/{release.pk}/"
    assert desk.post(page + "publish/", {}).status_code == 400  # no English text yet
    assert desk.post(page + "send/", {"bureaus": [kyodo.pk]}).status_code == 409
    response = desk.post(
        page + "edit/",
        {
            "title_zh": "重庆市加强防控",
            "title_en": "Chongqing steps up",
            "body_zh": "正文",
            "body_en": "Text <i>here</i>",
        },
    )
    assert response.status_code == 302
    assert desk.post(page + "publish/", {}).status_code == 302
    response = desk.post(page + "send/", {"bureaus": [kyodo.pk, yonhap.pk, dpa.pk]})
    assert response.status_code == 302
    detail = desk.get(page).content.decode()
    assert detail.count('data-testid="recipient"') == 3
    assert "Text &lt;i&gt;here&lt;/i&gt;" in detail
    edit = {"title_zh": "改", "title_en": "Changed", "body_zh": "正文", "body_en": "Text"}
    assert desk.post(page + "edit/", edit).status_code == 409
    assert desk.get(page + "edit/").status_code == 409
    release.refresh_from_db()
    assert release.title_en == "Chongqing steps up"
    listing = desk.get("/media-desk/releases/").content.decode()
    assert "Chongqing steps up" in listing


def test_the_pages_read_in_chinese(media_officer, interview, kyodo, kyodo_correspondent):
    client = chinese(sign_in(Client(), media_officer))
    queue = client.get("/media-desk/").content.decode()
    assert "媒体申请" in queue and "截止时间" in queue and "逾期" in queue
    detail = client.get(f"/media-desk/requests/{interview.pk}/").content.decode()
    assert "已分派" in detail and "收到申请" in detail
    assert "日本共同社北京分社" in detail
    bureaus = client.get("/media-desk/bureaus/").content.decode()
    assert "记者证" in bureaus
    release = releases.draft_release(title_zh="标题", title_en="Title", by=media_officer)
    page = client.get(f"/media-desk/releases/{release.pk}/").content.decode()
    assert "<h1>标题</h1>" in page and "草稿" in page
