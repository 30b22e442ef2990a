"""The leadership API: the same figures, briefings and rules as the pages, the one error shape."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from liaison.core.models import AuditEntry
from liaison.leadership import figures
from liaison.leadership.models import Briefing, BriefingStatus
from tests.handover.conftest import declare, ready

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def travelers(city):
    return [ready(), declare()]


def _errors(response) -> list[dict]:
    body = response.json()
    assert set(body) == {"errors"} and body["errors"], body
    return body["errors"]


def test_the_dashboard_gives_every_figure_with_its_link_for_this_client(
    travelers, leader, duty_chief, signed_in
):
    for user, board_link in ((leader, True), (duty_chief, False)):
        body = signed_in(user).get(f"{API}/leadership/dashboard").json()
        shown = {f["key"]: f for f in body["figures"]}
        assert shown["pipeline.total.arrived"]["value"] == 2
        assert shown["pipeline.total.at_airport"]["value"] == 2
        assert bool(shown["pipeline.total.at_airport"]["url"]) is board_link
        assert shown["pipeline.total.at_airport"]["row"] == ["group", "at_airport"]
    response = signed_in(leader).get(f"{API}/leadership/dashboard?day=2026-02-30")
    assert response.status_code == 400 and _errors(response)


def test_a_briefing_is_drafted_written_and_approved_through_the_api(
    travelers, leader, duty_chief, signed_in
):
    day = timezone.localdate()
    with time_machine.travel(figures.cutoff_of(day) + timedelta(minutes=1), tick=False):
        officer, boss = signed_in(duty_chief), signed_in(leader)
        response = officer.post(
            f"{API}/briefings", {"day": day.isoformat()}, content_type="application/json"
        )
        assert response.status_code == 201, response.content
        made = response.json()
        assert made["status"] == "draft" and made["drafted_by"] == duty_chief.username
        again = officer.post(
            f"{API}/briefings", {"day": day.isoformat()}, content_type="application/json"
        )
        assert again.status_code == 409 and _errors(again)
        url = f"{API}/briefings/{made['id']}"
        body = {"highlights_zh": "平稳。", "highlights_en": "Steady."}
        written = officer.put(f"{url}/highlights", body, content_type="application/json")
        assert written.status_code == 200, written.content
        refused = officer.post(f"{url}/approve")
        assert refused.status_code == 403 and _errors(refused)
        approved = boss.post(f"{url}/approve")
        assert approved.status_code == 200 and approved.json()["approved_by"] == leader.username
        twice = boss.post(f"{url}/approve")
        assert twice.status_code == 409 and _errors(twice)
        late = officer.put(f"{url}/highlights", body, content_type="application/json")
        assert late.status_code == 409
        detail = boss.get(url).json()
        listed = boss.get(f"{API}/briefings").json()
    assert detail["status"] == BriefingStatus.APPROVED and detail["highlights_en"] == "Steady."
    assert {f["key"]: f["value"] for f in detail["figures"]}["pipeline.new.arrived"] == 2
    assert [b["id"] for b in listed] == [made["id"]]
    assert AuditEntry.objects.filter(note="approved", actor_id=leader.pk).count() == 1


@pytest.mark.parametrize(
    "body", [{"day": "2026-02-30"}, {"day": "1066-10-14"}, {"day": 3}, {}, {"day": "today"}]
)
def test_an_impossible_day_is_a_400_and_drafts_nothing(travelers, leader, signed_in, body):
    response = signed_in(leader).post(f"{API}/briefings", body, content_type="application/json")
    assert response.status_code == 400 and _errors(response)
    assert not Briefing.objects.exists()


def test_wrong_ids_are_404_and_outsiders_403(travelers, leader, aid_officer, signed_in):
    client = signed_in(leader)
    for response in (
        client.get(f"{API}/briefings/424242"),
        client.post(f"{API}/briefings/424242/approve"),
        client.get(f"{API}/briefings/compare?a=424242&b=424243"),
    ):
        assert response.status_code == 404 and _errors(response)
    outsider = signed_in(aid_officer)
    for response in (outsider.get(f"{API}/briefings"), outsider.post(f"{API}/briefings/1/approve")):
        assert response.status_code == 403 and _errors(response)
    from django.test import Client

    assert Client().get(f"{API}/briefings").status_code == 401
