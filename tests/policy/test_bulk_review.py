"""Policy reviews decided many at a time, with one reason: all or nothing, once.

A risk list that puts Thailand at high risk flags every traveler back from Thailand; the airport
desk confirms or dismisses them a page at a time, through the service, the page and the API.
"""

import json

import pytest
from django.utils import translation

from liaison.arrivals.models import Arrival
from liaison.arrivals.states import ArrivalState
from liaison.core.models import AuditEntry
from liaison.core.refusals import Conflict, Refused
from liaison.core.roles import Role
from liaison.policy import reviews, services
from liaison.policy.models import PolicyReview
from liaison.screening import selectors as screening
from tests.conftest import make_user
from tests.policy.test_preview import arrive
from tests.policy.test_versions import draft_risk
from tests.screening.conftest import lab_user, t3_sampling_site  # noqa: F401  (fixtures)
from tests.screening.test_policy_reviews import current, disposed, sampler  # noqa: F401

pytestmark = pytest.mark.django_db

REASON = "Notice 12: Thailand is high risk from 2020-03-26"
DECIDE = "/policy/reviews/decide/"
API = "/api/v1/policy/reviews/decide"


@pytest.fixture
def flagged(city, administrator):
    """Twenty travelers back from Thailand, flagged by the new risk list (oldest first)."""
    for n in range(20):
        arrive(
            f"T{2000000 + n}",
            "TH",
            surname_latin="THAI" + "ABCDEFGHIJKLMNOPQRST"[n],
            nationality="TH",
        )
    assert services.publish(version=draft_risk(administrator), by=administrator).flagged == 20
    return list(PolicyReview.objects.order_by("pk"))


@pytest.fixture
def leader(city):
    return make_user("liu-leadership", Role.LEADERSHIP)


@pytest.fixture
def jiangbei_desk_officer(jiangbei):
    """An airport desk officer bound to Jiangbei: the flagged travelers all stay in Yubei."""
    return make_user("qian-desk-jiangbei", Role.AIRPORT_DESK, jurisdiction=jiangbei)


def statuses(queryset=None) -> list[str]:
    return list((queryset or PolicyReview.objects).order_by("pk").values_list("status", flat=True))


def review_updates() -> int:
    return AuditEntry.objects.filter(object_type="policy.policyreview", action="update").count()


# --- the service ------------------------------------------------------------------------------


def test_twenty_flags_decided_with_one_reason_each_with_its_audit_entry(
    flagged, airport_desk_officer
):
    before = review_updates()
    done = reviews.decide_reviews(
        reviews=flagged, decision="dismiss", reason=f"  {REASON} ", by=airport_desk_officer
    )
    assert done.changed == 20 and not done.repeated
    decided = PolicyReview.objects.all()
    assert {(r.status, r.reason, r.decided_by_id) for r in decided} == {
        ("dismissed", REASON, airport_desk_officer.pk)
    }
    assert review_updates() == before + 20


def test_one_already_decided_flag_in_a_set_of_twenty_refuses_the_set(flagged, airport_desk_officer):
    first = flagged[7]
    reviews.dismiss_review(review=first, reason="Left the city", by=airport_desk_officer)
    before = review_updates()
    with translation.override("en"), pytest.raises(Conflict) as refused:
        reviews.decide_reviews(
            reviews=flagged, decision="confirm", reason=REASON, by=airport_desk_officer
        )
    message = refused.value.message
    assert message.startswith("1 of these travelers is already decided")
    assert first.arrival.code in message
    assert statuses() == ["pending"] * 7 + ["dismissed"] + ["pending"] * 12
    assert review_updates() == before


def test_the_same_set_submitted_again_changes_nothing(flagged, airport_desk_officer):
    reviews.decide_reviews(
        reviews=flagged, decision="confirm", reason=REASON, by=airport_desk_officer
    )
    before = (review_updates(), list(PolicyReview.objects.values_list("decided_at", flat=True)))
    again = reviews.decide_reviews(
        reviews=[r.pk for r in reversed(flagged)],
        decision="confirm",
        reason=REASON,
        by=airport_desk_officer,
    )
    assert again.repeated and len(again.reviews) == 20
    after = (review_updates(), list(PolicyReview.objects.values_list("decided_at", flat=True)))
    assert after == before
    # Another decision on the same set is not a repetition: refused.
    with pytest.raises(Conflict):
        reviews.decide_reviews(
            reviews=flagged, decision="dismiss", reason=REASON, by=airport_desk_officer
        )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"reason": "x" * 501}, "reason"),
        ({"decision": "approve"}, "decision"),
        ({"reviews": []}, "ids"),
        ({"reviews": list(range(1, 10_001))}, "ids"),
        ({"reviews": "duplicate"}, "ids"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(flagged, airport_desk_officer, change, field):
    arguments = {"reviews": flagged, "decision": "confirm", "reason": REASON}
    arguments.update(change)
    if arguments["reviews"] == "duplicate":
        arguments["reviews"] = [flagged[0], flagged[1], flagged[0]]
    with pytest.raises(Refused) as refused:
        reviews.decide_reviews(**arguments, by=airport_desk_officer)
    assert (refused.value.status, refused.value.field) == (400, field)
    assert set(statuses()) == {"pending"}


def test_reviews_out_of_sight_are_not_found_and_their_travelers_not_named(
    flagged, jiangbei_desk_officer
):
    with pytest.raises(Refused) as refused:
        reviews.decide_reviews(
            reviews=flagged[:3], decision="confirm", reason=REASON, by=jiangbei_desk_officer
        )
    assert refused.value.status == 404
    message = str(refused.value.message)
    assert f"#{flagged[0].pk}" in message
    assert not any(review.arrival.code in message for review in flagged[:3])
    assert set(statuses()) == {"pending"}


def test_confirming_moves_each_traveler_and_the_timeline_shows_the_reason(
    disposed,  # noqa: F811
    administrator,
    airport_desk_officer,
):
    services.publish(version=draft_risk(administrator), by=administrator)
    review = PolicyReview.objects.get()
    reviews.decide_reviews(
        reviews=[review], decision="confirm", reason=REASON, by=airport_desk_officer
    )
    assert current(disposed).disposition == "centralized_quarantine"
    with translation.override("en"):
        lines = [e["why"] for e in screening.timeline(disposed) if e["kind"] == "review"]
    assert lines == [
        f"Policy review confirmed (Home quarantine → Centralized quarantine). Reason: {REASON}"
    ]
    with translation.override("zh-hans"):
        [line] = [e["why"] for e in screening.timeline(disposed) if e["kind"] == "review"]
    assert line == f"政策核对已确认（居家隔离 → 集中隔离）。理由：{REASON}"


def test_a_traveler_handed_over_meanwhile_refuses_the_whole_set(
    disposed,  # noqa: F811
    administrator,
    airport_desk_officer,
):
    other = arrive("T2999999", "TH", surname_latin="OTHER", nationality="TH")
    services.publish(version=draft_risk(administrator), by=administrator)
    assert PolicyReview.objects.count() == 2
    Arrival.objects.filter(pk=disposed.pk).update(state=ArrivalState.IN_HANDOVER)
    with pytest.raises(Conflict) as refused:
        reviews.decide_reviews(
            reviews=PolicyReview.objects.all(),
            decision="confirm",
            reason=REASON,
            by=airport_desk_officer,
        )
    assert disposed.code in refused.value.message and other.code not in refused.value.message
    assert statuses() == ["pending", "pending"]
    assert current(disposed).disposition == "home_quarantine"


# --- the page ---------------------------------------------------------------------------------


def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_the_queue_offers_a_checkbox_per_waiting_flag_and_filters_by_version_and_move(
    flagged, airport_desk_officer, signed_in
):
    client = signed_in(airport_desk_officer)
    reads = AuditEntry.objects.filter(action="read").count()
    page = client.get("/policy/reviews/").content.decode()
    assert page.count('type="checkbox" name="ids"') == 20
    assert 'name="all_on_page"' in page
    assert AuditEntry.objects.filter(action="read").count() == reads + 1
    version = flagged[0].to_risk_list
    moving = {"version": f"risk_list:{version.pk}", "old": "home_quarantine"}
    page = client.get("/policy/reviews/", moving).content.decode()
    assert page.count('name="ids"') == 20
    page = client.get("/policy/reviews/", {**moving, "new": "hospital"}).content.decode()
    assert 'name="ids"' not in page
    # The rules in force flagged nobody: no such filter on this page.
    rules = flagged[0].to_rules
    assert client.get("/policy/reviews/", {"version": f"rules:{rules.pk}"}).status_code == 400
    assert client.get("/policy/reviews/", {"old": "nowhere"}).status_code == 400


def test_ticked_flags_are_decided_with_one_reason_shown_in_both_languages(
    flagged, airport_desk_officer, signed_in
):
    client = english(signed_in(airport_desk_officer))
    ticked = [r.pk for r in flagged[:5]]
    response = client.post(DECIDE, {"ids": ticked, "decision": "dismiss", "reason": REASON})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "5 reviews dismissed" in page
    assert statuses() == ["dismissed"] * 5 + ["pending"] * 15
    decided = client.get("/policy/reviews/", {"show": "all"}).content.decode()
    assert decided.count(f"Reason: {REASON}") == 5
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    decided = client.get("/policy/reviews/", {"show": "all"}).content.decode()
    assert decided.count(f"理由：{REASON}") == 5


def test_all_on_this_page_decides_every_waiting_flag_the_page_showed(
    flagged, airport_desk_officer, signed_in
):
    client = signed_in(airport_desk_officer)
    shown = [r.pk for r in flagged[:12]]
    response = client.post(
        DECIDE,
        {
            "all_on_page": "1",
            "shown": shown,
            "ids": shown[:1],
            "decision": "confirm",
            "reason": REASON,
        },
    )
    assert response.status_code == 302
    assert statuses() == ["confirmed"] * 12 + ["pending"] * 8


def test_a_double_click_is_harmless(flagged, airport_desk_officer, signed_in):
    client = english(signed_in(airport_desk_officer))
    data = {"ids": [r.pk for r in flagged], "decision": "confirm", "reason": REASON}
    assert client.post(DECIDE, data).status_code == 302
    writes = AuditEntry.objects.exclude(action="read").count()
    second = client.post(DECIDE, data, follow=True)
    assert second.status_code == 200
    assert "already decided so; nothing changed" in second.content.decode()
    assert AuditEntry.objects.exclude(action="read").count() == writes
    assert set(statuses()) == {"confirmed"}


def test_one_already_decided_flag_refuses_the_page_naming_it(
    flagged, airport_desk_officer, signed_in
):
    reviews.dismiss_review(review=flagged[3], reason="Left", by=airport_desk_officer)
    client = english(signed_in(airport_desk_officer))
    data = {"ids": [r.pk for r in flagged], "decision": "confirm", "reason": REASON}
    response = client.post(DECIDE, data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "1 of these travelers is already decided" in page and flagged[3].arrival.code in page
    assert statuses().count("pending") == 19
    # What the officer ticked stays ticked, to untick the one in the way.
    assert page.count("checked") >= 19


@pytest.mark.parametrize(
    "change",
    [
        {"reason": ""},
        {"reason": "x" * 501},
        {"ids": ["12a"]},
        {"ids": ["-1"]},
        {"ids": list(range(1, 10_001))},
        {"ids": "duplicate"},
        {"ids": []},
        {"decision": "approve"},
    ],
)
def test_bad_input_on_the_page_is_a_400_that_changes_nothing(
    flagged, airport_desk_officer, signed_in, change
):
    data = {"ids": [r.pk for r in flagged[:3]], "decision": "confirm", "reason": REASON}
    data.update(change)
    if data["ids"] == "duplicate":
        data["ids"] = [flagged[0].pk, flagged[0].pk]
    response = signed_in(airport_desk_officer).post(DECIDE, data)
    assert response.status_code == 400
    assert set(statuses()) == {"pending"}


def test_only_the_reviewing_roles_decide(flagged, leader, jiangbei_desk_officer, signed_in):
    data = {"ids": [r.pk for r in flagged[:3]], "decision": "confirm", "reason": REASON}
    assert signed_in(leader).post(DECIDE, data).status_code == 403
    response = signed_in(jiangbei_desk_officer).post(DECIDE, data)
    assert response.status_code == 404
    assert flagged[0].arrival.code not in response.content.decode()
    assert set(statuses()) == {"pending"}


# --- the API ----------------------------------------------------------------------------------


def post_api(client, **body):
    return client.post(API, json.dumps(body), content_type="application/json")


def test_the_api_decides_a_set_once_with_the_same_rules(flagged, airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    ids = [r.pk for r in flagged]
    response = post_api(client, ids=ids, decision="confirm", reason=REASON)
    assert response.status_code == 200
    body = response.json()
    assert body["changed"] == 20
    assert {r["status"] for r in body["reviews"]} == {"confirmed"}
    again = post_api(client, ids=ids, decision="confirm", reason=REASON)
    assert (again.status_code, again.json()["changed"]) == (200, 0)
    refused = post_api(client, ids=ids, decision="dismiss", reason=REASON)
    assert refused.status_code == 409
    [error] = refused.json()["errors"]
    assert error["field"] == "ids" and "20" in error["message"]
    assert set(statuses()) == {"confirmed"}


@pytest.mark.parametrize(
    "change",
    [
        {"reason": ""},
        {"ids": ["twelve"]},
        {"ids": [1.5]},
        {"ids": list(range(1, 10_001))},
        {"ids": "duplicate"},
        {"decision": "approve"},
    ],
)
def test_bad_input_to_the_api_is_a_400_in_the_one_error_shape(
    flagged, airport_desk_officer, signed_in, change
):
    body = {"ids": [r.pk for r in flagged[:3]], "decision": "confirm", "reason": REASON}
    body.update(change)
    if body["ids"] == "duplicate":
        body["ids"] = [flagged[0].pk, flagged[0].pk]
    response = post_api(signed_in(airport_desk_officer), **body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]
    assert set(statuses()) == {"pending"}


def test_the_api_refuses_outsiders_and_hides_what_they_may_not_see(
    flagged, leader, jiangbei_desk_officer, signed_in
):
    body = {"ids": [r.pk for r in flagged[:3]], "decision": "confirm", "reason": REASON}
    assert post_api(signed_in(leader), **body).status_code == 403
    hidden = post_api(signed_in(jiangbei_desk_officer), **body)
    assert hidden.status_code == 404
    assert flagged[0].arrival.code not in hidden.content.decode()
    assert set(statuses()) == {"pending"}
