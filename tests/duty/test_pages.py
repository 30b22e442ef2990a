"""The duty pages: who reads and who writes, the roster's refusals (400, nothing written), the
home page's "on duty now" line for every staff role, the log's filters and exports."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone

from liaison.core.models import AuditEntry
from liaison.duty import log, services
from liaison.duty.log import EntryInput
from liaison.duty.models import LogEntry, Post, Shift
from liaison.duty.services import ShiftInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(signed_in):
    """Signed in, reading the pages in English (the zh-hans test asks for Chinese itself)."""

    def _in_english(user):
        client = signed_in(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return _in_english


PAGES = ("/duty/", "/duty/roster/", "/duty/templates/", "/duty/languages/", "/duty/log/")


def _now_shift(by, officer, post, phone=""):
    start = timezone.now() - timedelta(hours=1)
    return services.add_shift(
        by=by, data=ShiftInput(officer.pk, post, start, start + timedelta(hours=8), phone)
    )


def _form_time(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_duty_and_leadership_read_others_do_not(duty_officer, leader, exchange_officer, signed_in):
    for user, status in ((duty_officer, 200), (leader, 200), (exchange_officer, 403)):
        client = signed_in(user)
        for page in PAGES:
            assert client.get(page).status_code == status, (user, page)


def test_leadership_cannot_write(leader, duty_officer, signed_in):
    client = signed_in(leader)
    start = timezone.now()
    response = client.post(
        "/duty/roster/",
        {
            "officer": duty_officer.pk,
            "post": Post.DUTY_OFFICER,
            "starts_at": _form_time(start),
            "ends_at": _form_time(start + timedelta(hours=8)),
        },
    )
    assert response.status_code in (403, 404)
    assert client.post("/duty/log/", {"text": "x"}).status_code in (403, 404)
    assert not Shift.objects.exists() and not LogEntry.objects.exists()


def test_a_shift_ending_before_it_starts_is_a_400_and_nothing_is_written(duty_officer, signed_in):
    client = signed_in(duty_officer)
    start = timezone.now()
    response = client.post(
        "/duty/roster/",
        {
            "officer": duty_officer.pk,
            "post": Post.DUTY_OFFICER,
            "starts_at": _form_time(start),
            "ends_at": _form_time(start - timedelta(hours=1)),
        },
    )
    assert response.status_code == 400
    assert "A shift must end after it starts." in response.content.decode()
    assert not Shift.objects.exists()
    assert client.get("/duty/roster/?week=2020-02-31").status_code == 400


def test_the_roster_adds_a_shift_and_shows_the_gaps(duty_officer, signed_in):
    client = signed_in(duty_officer)
    start = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0)
    response = client.post(
        "/duty/roster/",
        {
            "officer": duty_officer.pk,
            "post": Post.DUTY_OFFICER,
            "starts_at": _form_time(start),
            "ends_at": _form_time(start + timedelta(hours=8)),
            "phone": "13800138000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="shift-row"' in page
    assert "Nobody at Duty chief from" in page
    assert AuditEntry.objects.filter(object_type="duty.shift", action="read").exists()


def test_every_staff_home_page_shows_who_is_on_duty(
    duty_officer, duty_chief, airport_desk_officer, signed_in
):
    _now_shift(duty_officer, duty_officer, Post.DUTY_OFFICER, "13800138000")
    _now_shift(duty_officer, duty_chief, Post.DUTY_CHIEF, "13900139000")
    page = signed_in(airport_desk_officer).get("/").content.decode()
    assert 'data-testid="on-duty-line"' in page
    assert "wang-duty" in page and "+8613800138000" in page
    assert "li-duty-chief" in page and "+8613900139000" in page
    assert "not built yet" not in signed_in(duty_officer).get("/").content.decode()


def test_a_swap_from_the_shift_page(duty_officer, duty_chief, signed_in):
    shift = _now_shift(duty_officer, duty_officer, Post.DUTY_OFFICER)
    client = signed_in(duty_officer)
    url = f"/duty/shifts/{shift.pk}/"
    refused = client.post(url, {"action": "swap", "to_officer": duty_chief.pk, "reason": ""})
    assert refused.status_code == 400
    done = client.post(url, {"action": "swap", "to_officer": duty_chief.pk, "reason": "Sick"})
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert 'data-testid="swap-row"' in page and "Sick" in page
    assert client.get("/duty/shifts/99999999/").status_code == 404


def test_the_log_page_filters_corrects_and_exports(duty_officer, duty_chief, signed_in):
    client = signed_in(duty_officer)
    assert client.post("/duty/log/", {"text": "Flight W5081 landed."}).status_code == 302
    entry = LogEntry.objects.get()
    log.log(by=duty_chief, data=EntryInput("Called the consulate."))
    assert (
        client.post(
            f"/duty/log/{entry.pk}/correct/", {"text": "Flight W5081 landed 10 min late."}
        ).status_code
        == 302
    )

    page = client.get(f"/duty/log/?author={duty_officer.pk}").content.decode()
    assert page.count('data-testid="log-entry"') == 2
    assert f"Correction of entry {entry.pk}:" in page
    assert client.get("/duty/log/?since=nonsense").status_code == 400

    csv = b"".join(client.get("/duty/log/?format=csv").streaming_content).decode()
    assert "Flight W5081 landed 10 min late." in csv and "Called the consulate." in csv
    xlsx = client.get("/duty/log/?format=xlsx&q=consulate")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Called the consulate."
    ]


def test_the_pages_speak_chinese(duty_officer, signed_in):
    client = signed_in(duty_officer)
    page = client.get("/duty/roster/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "排班表" in page and "值班长" in page
