"""The notifications list, the unread count on every staff page, marking read; and the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.contacts.reminders import DUE_SOON
from liaison.core.models import AuditEntry
from liaison.notifications.models import Notification
from liaison.notifications.services import notify
from tests.notifications.conftest import ALERT

pytestmark = pytest.mark.django_db


def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_every_staff_page_shows_the_unread_count_with_one_query(signed_in, airport_desk_officer):
    notify(users=[airport_desk_officer], kind=ALERT.code, data={"code": "B-9"})
    notify(users=[airport_desk_officer], kind=ALERT.code, data={"code": "B-10"})
    client = english(signed_in(airport_desk_officer))
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/")
    assert "2 unread notifications" in page.content.decode()
    counts = [q for q in queries if "notifications_notification" in q["sql"]]
    assert len(counts) == 1


def test_the_list_shows_ones_own_in_the_readers_language_and_audits_the_read(
    signed_in, airport_desk_officer, administrator
):
    mine = notify(
        users=[airport_desk_officer],
        kind=DUE_SOON.code,
        data={"due_on": "2026-03-05", "description": "Send the list of travelers"},
    )[0]
    notify(users=[administrator], kind=ALERT.code, data={"code": "SECRET-1"})
    client = signed_in(airport_desk_officer)
    page = client.get("/notifications/")
    assert page.status_code == 200
    # Rendered from its kind and data in the reader's language (Chinese, the staff default).
    assert "您的一项承诺将于 2026-03-05 到期：Send the list of travelers" in page.content.decode()
    assert "SECRET-1" not in page.content.decode()
    entry = AuditEntry.objects.filter(note="notifications").latest("id")
    assert entry.object_ids == [str(mine.pk)]


def test_marking_read_lowers_the_count(signed_in, airport_desk_officer):
    first, second = (
        notify(users=[airport_desk_officer], kind=ALERT.code, data={"code": c})[0]
        for c in ("B-1", "B-2")
    )
    client = english(signed_in(airport_desk_officer))
    response = client.post("/notifications/read/", {"ids": [first.pk]})
    assert response.status_code == 302
    assert "1 unread notification" in client.get("/").content.decode()
    client.post("/notifications/read/", {"all": "1"})
    assert not Notification.objects.filter(read_at__isnull=True).exists()


@pytest.mark.parametrize(
    "body", [{}, {"ids": ["x"]}, {"ids": ["99999999999999999999999"]}], ids=["none", "text", "huge"]
)
def test_a_bad_mark_read_is_a_400_that_changes_nothing(signed_in, airport_desk_officer, body):
    notify(users=[airport_desk_officer], kind=ALERT.code, data={"code": "B-1"})
    response = signed_in(airport_desk_officer).post("/notifications/read/", body)
    assert response.status_code == 400
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_a_bad_list_parameter_is_a_400(signed_in, airport_desk_officer):
    assert signed_in(airport_desk_officer).get("/notifications/?page=x").status_code == 400


def test_the_api_lists_and_marks_ones_own(signed_in, airport_desk_officer, administrator):
    mine = notify(users=[airport_desk_officer], kind=ALERT.code, data={"code": "B-9"})[0]
    theirs = notify(users=[administrator], kind=ALERT.code, data={"code": "B-0"})[0]
    client = english(signed_in(airport_desk_officer))
    listed = client.get("/api/v1/me/notifications").json()
    assert listed["unread"] == 1
    assert [(n["id"], n["title"]) for n in listed["items"]] == [
        (mine.pk, "Batch B-9 is not confirmed")
    ]
    read = "/api/v1/me/notifications/read"
    marked = client.post(read, {"ids": [mine.pk, theirs.pk]}, content_type="application/json")
    assert marked.json() == {"marked": 1}
    assert client.post(read, {}, content_type="application/json").status_code == 400
    theirs.refresh_from_db()
    assert theirs.read_at is None
