"""The calendar page in both staff languages, its range and filters, the feed token's page
life, bad input as a 400 and access per role."""

import pytest
from django.test import Client

from liaison.agenda.models import FeedToken
from liaison.contacts.models import Commitment
from liaison.core.models import AuditEntry
from liaison.core.roles import Role
from tests.agenda.conftest import english
from tests.conftest import make_user, sign_in
from tests.contacts.conftest import in_days

pytestmark = pytest.mark.django_db


def items(response) -> list[tuple[str, int]]:
    return [(i.kind, i.pk) for i in response.context["calendar"].items]


def test_the_week_of_the_korean_call_in_english(korea_call, march_conference, director_general):
    client = english(director_general)
    response = client.get("/calendar/", {"start": "2020-03-20"})
    assert response.status_code == 200
    assert items(response) == [("contact", korea_call.pk)]
    page = response.content.decode()
    assert "2020-03-16 – 2020-03-22" in page
    assert "Phone call: Consulate General of the Republic of Korea in Chengdu" in page
    assert f'href="/contacts/{korea_call.pk}/"' in page
    assert 'href="?start=2020-03-09&amp;span=week&amp;whose=desk"' in page  # previous week
    assert 'href="?start=2020-03-23&amp;span=week&amp;whose=desk"' in page  # next week
    nxt = client.get("/calendar/", {"start": "2020-03-23"})
    assert items(nxt) == [("conference", march_conference.pk)]
    text = nxt.content.decode()
    assert "15:00–18:00" in text and "Ukraine (Europe/Kyiv) 09:00–12:00" in text


def test_the_month_in_chinese_with_overdue_commitments_first(korea_call, liaison_officer):
    late = korea_call.commitments.get(owner_user=liaison_officer)
    Commitment.objects.filter(pk=late.pk).update(due_on=in_days(-3))
    client = sign_in(Client(), liaison_officer)  # the office's language: zh-hans
    response = client.get("/calendar/", {"start": "2020-03-01", "span": "month"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2020-03-01 – 2020-03-31" in page and "上个月" in page and "下个月" in page
    assert "通话：大韩民国驻成都总领事馆" in page
    assert "已逾期的承诺" in page and "逾期" in page
    overdue = response.context["calendar"].overdue
    assert [(i.pk, i.overdue) for i in overdue] == [(late.pk, True)]
    assert page.index('data-testid="overdue"') < page.index('data-testid="days"')


def test_mine_and_the_desks(korea_call, planned_visit, liaison_officer):
    client = english(liaison_officer)
    desk = client.get("/calendar/", {"start": in_days(2).isoformat()})
    assert ("contact", planned_visit.pk) in items(desk)  # another officer's visit
    mine = client.get("/calendar/", {"start": in_days(2).isoformat(), "whose": "mine"})
    assert ("contact", planned_visit.pk) not in items(mine)
    week = client.get("/calendar/", {"start": in_days(3).isoformat(), "whose": "mine"})
    titles = [i.title for i in week.context["calendar"].items]
    assert "Send the list of Korean nationals in quarantine" in titles
    assert "Arrange a visit to the quarantine hotel" not in titles  # the director's
    assert 'aria-current="true">Mine' in week.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2020-02-30"},
        {"start": "20200320"},
        {"start": "0001-01-01"},
        {"start": "9999-12-31"},
        {"start": "2020-03-20" * 100},
        {"span": "year"},
        {"whose": "everyone"},
    ],
)
def test_bad_input_is_a_400_with_a_message_and_nothing_read(query, korea_call, director_general):
    client = english(director_general)
    before = AuditEntry.objects.filter(action="read").count()
    response = client.get("/calendar/", query)
    assert response.status_code == 400
    assert 'data-testid="query-error"' in response.content.decode()
    assert AuditEntry.objects.filter(action="read").count() == before


def test_a_page_shown_is_one_read_in_the_audit_trail(korea_call, director_general):
    client = english(director_general)
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    client.get("/calendar/", {"start": "2020-03-20"})
    reads = AuditEntry.objects.filter(pk__gt=last, action="read")
    assert [(r.object_type, r.object_ids) for r in reads] == [
        ("agenda.calendar", [f"contacts.contact:{korea_call.pk}"])
    ]


def test_the_feed_address_is_shown_once_then_only_when_it_was_used(director_general):
    client = english(director_general)
    assert "You have no calendar feed." in client.get("/calendar/").content.decode()
    created = client.post("/calendar/feed/", {"whose": "desk"})
    assert created.status_code == 201
    url = created.context["url"]
    assert url.startswith("http://testserver/calendar/feed/cal_") and url.endswith(".ics")
    assert url in created.content.decode()
    token = FeedToken.objects.get(user=director_general)
    assert (token.language, token.mine) == ("en", False)
    page = client.get("/calendar/").content.decode()
    assert url not in page and "Not fetched yet." in page
    Client().get(url.removeprefix("http://testserver"))
    page = client.get("/calendar/").content.decode()
    assert "Last fetched on" in page
    # A new address stops the old one.
    newer = client.post("/calendar/feed/", {"whose": "mine"}).context["url"]
    assert Client().get(url.removeprefix("http://testserver")).status_code == 404
    assert Client().get(newer.removeprefix("http://testserver")).status_code == 200
    revoked = client.post("/calendar/feed/revoke/", follow=True)
    assert "The calendar feed is revoked" in revoked.content.decode()
    assert Client().get(newer.removeprefix("http://testserver")).status_code == 404
    # Nothing left to revoke: said on the calendar with a 409, not a server error.
    again = client.post("/calendar/feed/revoke/")
    assert again.status_code == 409
    assert "You have no calendar feed to revoke." in again.content.decode()
    assert 'data-testid="calendar-query"' in again.content.decode()
    assert not FeedToken.objects.active().exists()


def test_a_bad_feed_form_changes_nothing(director_general):
    client = english(director_general)
    response = client.post("/calendar/feed/", {"whose": "everyone"}, follow=True)
    assert "Choose what the feed carries." in response.content.decode()
    assert not FeedToken.objects.exists()
    assert client.get("/calendar/feed/").status_code == 405


@pytest.mark.parametrize("role", list(Role))
def test_the_calendar_is_for_the_liaison_exchanges_and_leadership_roles(role, city):
    user = make_user(f"cal-{role}", role)
    client = sign_in(Client(), user)
    allowed = role in {Role.LIAISON, Role.EXCHANGES, Role.LEADERSHIP}
    assert (client.get("/calendar/").status_code == 200) == allowed, role
    assert (client.post("/calendar/feed/", {"whose": "mine"}).status_code == 201) == allowed
    home = client.get("/").content.decode()
    assert ('href="/calendar/"' in home) == allowed, role


def test_signed_out_visitors_are_sent_to_sign_in(city):
    response = Client().get("/calendar/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
