"""The airport desks open on their queues: who waits for screening, for sampling, for a result.

One day at the airport: four travelers on KE 147 (one waiting at the desk, one screened, one
sampled, one decided), one on CA 934 waiting at the desk, and one declared for tomorrow's KE 147.
The expected queues are read off that story, not off the selectors.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.core.models import AuditEntry
from liaison.core.params import MAX_ID
from tests.handover.conftest import declare, sampled, screened, to_disposition

pytestmark = pytest.mark.django_db


@pytest.fixture
def day_at_the_airport(city):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    waiting = declare()
    on_ca = declare(
        flight_number="CA 934",
        nationality="JP",
        surname_latin="SATO",
        jurisdiction="500105",
        surname_native="佐藤",
        given_names_native="",
    )
    was_screened = screened(declare())
    was_sampled = sampled(screened(declare()))
    decided = to_disposition(declare(), "home_quarantine")
    tomorrows = declare(arrival_date=tomorrow)
    return {
        "waiting": waiting,
        "on_ca": on_ca,
        "screened": was_screened,
        "sampled": was_sampled,
        "decided": decided,
        "tomorrow": tomorrows,
    }


def _codes(response) -> list[str]:
    return [a.code for a in response.context["listing"].shown]


def _last_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_the_desk_opens_on_todays_declared_travelers_oldest_first_with_counts_per_flight(
    day_at_the_airport, airport_desk_officer, signed_in
):
    day = day_at_the_airport
    response = signed_in(airport_desk_officer).get("/screening/desk/")
    assert response.status_code == 200
    assert _codes(response) == [day["waiting"].code, day["on_ca"].code]
    counts = {
        row.flight.number: (row.declared, row.waiting)
        for row in response.context["listing"].flights
    }
    # KE 147 today: four declared, one still waits; CA 934: one declared, one waits.
    assert counts == {"KE147": (4, 1), "CA934": (1, 1)}
    # At the top of the page, in the staff's language (zh-hans unless chosen otherwise).
    zh = signed_in(airport_desk_officer).get("/screening/desk/").content.decode()
    assert "已申报 4 人 / 在此等候 1 人" in zh
    assert zh.index("KE147") < zh.index('data-testid="find"')  # the queue first, search second


def test_the_desk_queue_of_another_day_is_that_days_flights(
    day_at_the_airport, airport_desk_officer, signed_in
):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = signed_in(airport_desk_officer).get("/screening/desk/", {"day": tomorrow})
    assert _codes(response) == [day_at_the_airport["tomorrow"].code]


def test_sampling_and_the_laboratory_see_who_waits_for_them(
    day_at_the_airport, sampler_at_t3, lab_user, signed_in
):
    day = day_at_the_airport
    assert _codes(signed_in(sampler_at_t3).get("/screening/sampling/")) == [day["screened"].code]
    assert _codes(signed_in(lab_user).get("/screening/lab/")) == [day["sampled"].code]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"nationality": "JP"}, ["on_ca"]),
        ({"jurisdiction": "500105"}, ["on_ca"]),
        ({"jurisdiction": "500112"}, ["waiting"]),
        ({"state": "declared"}, ["waiting", "on_ca"]),
        ({"state": "screened"}, []),
    ],
)
def test_each_filter_narrows_the_queue(
    day_at_the_airport, airport_desk_officer, signed_in, query, expected
):
    response = signed_in(airport_desk_officer).get("/screening/desk/", query)
    assert response.status_code == 200
    assert _codes(response) == [day_at_the_airport[name].code for name in expected]


def test_the_flight_filter_keeps_that_flights_travelers(
    day_at_the_airport, airport_desk_officer, signed_in
):
    flight = day_at_the_airport["on_ca"].flight_id
    response = signed_in(airport_desk_officer).get("/screening/desk/", {"flight": flight})
    assert _codes(response) == [day_at_the_airport["on_ca"].code]


@pytest.mark.parametrize(
    "query",
    [
        {"day": "2026-02-30"},
        {"day": "1066-10-14"},
        {"state": "flying"},
        {"flight": "abc"},
        {"flight": str(MAX_ID + 1)},
        {"flight": "0"},
        {"nationality": "XX"},
        {"jurisdiction": "999999"},
        {"disposition": "exile"},
        {"format": "pdf"},
    ],
)
def test_a_bad_filter_is_a_400_with_its_message_and_reads_nothing(
    day_at_the_airport, airport_desk_officer, signed_in, query
):
    client = signed_in(airport_desk_officer)
    before = _last_id()
    response = client.get("/screening/desk/", query)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert response.context["listing"].shown == []
    assert not AuditEntry.objects.filter(id__gt=before, action__in=["read", "export"]).exists()
    api = client.get("/api/v1/screening/queues/desk", query)
    assert api.status_code == 400, api.content
    assert api.json()["errors"][0]["message"]
    assert not AuditEntry.objects.filter(id__gt=before, action__in=["read", "export"]).exists()


def test_the_page_reads_its_rows_once_and_the_api_answers_the_same_ids(
    day_at_the_airport, airport_desk_officer, sampler_at_t3, lab_user, signed_in
):
    for user, page, api in [
        (airport_desk_officer, "/screening/desk/", "/api/v1/screening/queues/desk"),
        (sampler_at_t3, "/screening/sampling/", "/api/v1/screening/queues/sampling"),
        (lab_user, "/screening/lab/", "/api/v1/screening/queues/lab"),
    ]:
        client = signed_in(user)
        before = _last_id()
        shown = [a.pk for a in client.get(page).context["listing"].shown]
        reads = AuditEntry.objects.filter(
            id__gt=before, action="read", object_type="arrivals.arrival"
        )
        assert [sorted(map(int, e.object_ids)) for e in reads] == [sorted(shown)]
        before = _last_id()
        answer = client.get(api)
        assert answer.status_code == 200
        assert [r["id"] for r in answer.json()["results"]] == shown
        (entry,) = AuditEntry.objects.filter(id__gt=before, action="read")
        assert sorted(map(int, entry.object_ids)) == sorted(shown)


def test_each_queue_is_for_its_desk_only(day_at_the_airport, sampler_at_t3, signed_in):
    client = signed_in(sampler_at_t3)
    assert client.get("/api/v1/screening/queues/desk").status_code == 403
    assert client.get("/api/v1/screening/queues/lab").status_code == 403
    assert client.get("/api/v1/screening/queues/sampling").status_code == 200


def test_the_queue_pages_fifty_at_a_time(city, lab_user, signed_in):
    travelers = [sampled(screened(declare())) for _ in range(51)]
    client = signed_in(lab_user)
    first = client.get("/screening/lab/")
    assert len(first.context["listing"].shown) == 50 and first.context["listing"].total == 51
    second = client.get("/screening/lab/", {"page": 2})
    assert [a.code for a in second.context["listing"].shown] == [travelers[-1].code]
    answer = client.get("/api/v1/screening/queues/lab", {"page": 2}).json()
    assert (answer["count"], answer["pages"]) == (51, 2)
    assert [r["code"] for r in answer["results"]] == [travelers[-1].code]
