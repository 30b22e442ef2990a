"""Four eyes on consular notifications: the drafter never reviews their own draft; drafts are
reviewed or cancelled many at a time with one reason, all or nothing, once."""

import json
from itertools import count

import pytest
from django.utils import translation

from liaison.arrivals.models import Source
from liaison.arrivals.services import declare
from liaison.assistance import consular, consular_bulk
from liaison.assistance.events import describe
from liaison.assistance.models import ConsularNotification
from liaison.core import audit
from liaison.core.models import AuditEntry
from liaison.core.refusals import Conflict, Refused
from liaison.core.roles import Role
from tests.arrivals.conftest import valid_payload
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

REASON = "Checked against the disposition record"
DECIDE = "/assistance/notifications/decide/"
API = "/api/v1/notifications/decide"

_documents = count(1)


def korean_arrival():
    body = valid_payload(document_number=f"M{next(_documents):08d}")
    return declare(data=body, source=Source.API).arrival


@pytest.fixture
def desk_officer(city):
    """The airport desk officer whose decisions (overrides) call for automatic drafts."""
    return make_user("li-desk", Role.AIRPORT_DESK)


@pytest.fixture
def drafts(city, assistance_officer):
    """Twenty automatic drafts to the Korean consulate, called for by the assistance officer's
    decisions (the drafter, for the four eyes), oldest first."""
    made = [
        consular.draft_for_disposition(
            arrival=korean_arrival(), disposition="home_quarantine", decided_by=assistance_officer
        )
        for _ in range(20)
    ]
    assert all(draft is not None for draft in made)
    return made


def statuses() -> list[str]:
    return list(ConsularNotification.objects.order_by("pk").values_list("status", flat=True))


def writes() -> int:
    return AuditEntry.objects.exclude(action="read").count()


# --- who drafted, who reviews ---------------------------------------------------------------------


def test_an_automatic_draft_is_drafted_by_whoever_decided(city, desk_officer, assistance_officer):
    decided = consular.draft_for_disposition(
        arrival=korean_arrival(), disposition="hospital", decided_by=desk_officer
    )
    assert decided.drafted_by == desk_officer
    # The pipeline deciding on its own inside an officer's request: that officer.
    with audit.acting_as(assistance_officer):
        in_request = consular.draft_for_disposition(
            arrival=korean_arrival(), disposition="hospital"
        )
    assert in_request.drafted_by == assistance_officer
    # Nobody decided (a system process): no drafter, anyone on the desk reviews it.
    with audit.acting_as(username="pipeline"):
        nobody = consular.draft_for_disposition(arrival=korean_arrival(), disposition="hospital")
    assert nobody.drafted_by is None
    assert not consular.is_own_draft(nobody, assistance_officer)


def test_the_drafter_of_a_case_notification_may_not_review_it(
    korean_in_yubei, korea_consulate, assistance_officer, second_assistance_officer
):
    draft = consular.draft_notification(
        case=korean_in_yubei, mission=korea_consulate, by=assistance_officer
    )
    events = korean_in_yubei.events.count()
    with translation.override("en"), pytest.raises(Refused) as refused:
        consular.review_notification(
            notification=draft, subject=draft.subject, body=draft.body, by=assistance_officer
        )
    assert refused.value.status == 403
    assert refused.value.message == (
        f"You drafted {draft.reference}; another officer reviews it (four eyes)."
    )
    draft.refresh_from_db()
    assert (draft.status, draft.reviewed_by) == ("draft", None)
    assert korean_in_yubei.events.count() == events
    reviewed = consular.review_notification(
        notification=draft,
        subject=draft.subject,
        body=draft.body,
        by=second_assistance_officer,
        reason="Names checked against the passport",
    )
    assert (reviewed.status, reviewed.reviewed_by) == ("reviewed", second_assistance_officer)
    # Editing a reviewed text is a new review: still not the drafter's.
    with pytest.raises(Refused):
        consular.review_notification(
            notification=reviewed, subject="x", body="y", by=assistance_officer
        )
    with translation.override("en"):
        timeline = [describe(event) for event in korean_in_yubei.events.all()]
    assert any("reviewed: Names checked against the passport" in text for text in timeline)


# --- many at once ---------------------------------------------------------------------------------


def test_twenty_drafts_reviewed_by_a_colleague_with_one_reason(drafts, second_assistance_officer):
    before = writes()
    done = consular_bulk.review_notifications(
        notifications=drafts, reason=f" {REASON} ", by=second_assistance_officer
    )
    assert done.changed == 20
    assert set(
        ConsularNotification.objects.values_list("status", "reviewed_by", "review_reason")
    ) == {("reviewed", second_assistance_officer.pk, REASON)}
    assert writes() == before + 20  # one audit entry per notification


def test_a_set_holding_one_of_my_own_drafts_is_refused_naming_it(
    drafts, liaison_officer, second_assistance_officer
):
    mine = consular.draft_for_disposition(
        arrival=korean_arrival(), disposition="hospital", decided_by=second_assistance_officer
    )
    before = writes()
    with translation.override("en"), pytest.raises(Refused) as refused:
        consular_bulk.review_notifications(
            notifications=[*drafts, mine], reason=REASON, by=second_assistance_officer
        )
    assert refused.value.status == 403
    assert refused.value.message.startswith("You drafted 1 of these notifications")
    assert mine.reference in refused.value.message
    assert drafts[0].reference not in refused.value.message
    assert set(statuses()) == {"draft"} and writes() == before
    # A colleague may review the whole set.
    consular_bulk.review_notifications(
        notifications=[*drafts, mine], reason=REASON, by=liaison_officer
    )
    assert set(statuses()) == {"reviewed"}


def test_one_notification_no_longer_a_draft_refuses_the_set_of_twenty(
    drafts, assistance_officer, second_assistance_officer
):
    consular.cancel_notification(
        notification=drafts[4], reason="Dual national", by=assistance_officer
    )
    before = writes()
    with translation.override("en"), pytest.raises(Conflict) as refused:
        consular_bulk.review_notifications(
            notifications=drafts, reason=REASON, by=second_assistance_officer
        )
    assert refused.value.message.startswith("1 of these notifications is no longer a draft")
    assert f"{drafts[4].reference} (Cancelled)" in refused.value.message
    assert statuses() == ["draft"] * 4 + ["cancelled"] + ["draft"] * 15
    assert writes() == before


def test_the_same_decision_sent_again_changes_nothing(drafts, second_assistance_officer):
    consular_bulk.review_notifications(
        notifications=drafts, reason=REASON, by=second_assistance_officer
    )
    before = writes()
    again = consular_bulk.review_notifications(
        notifications=[d.pk for d in drafts], reason=REASON, by=second_assistance_officer
    )
    assert again.repeated and writes() == before
    with pytest.raises(Conflict):  # another reason is another decision: refused
        consular_bulk.review_notifications(
            notifications=drafts, reason="Other", by=second_assistance_officer
        )


def test_drafts_cancelled_together_keep_the_reason_and_the_drafter_may_cancel(
    drafts, assistance_officer
):
    done = consular_bulk.cancel_notifications(
        notifications=drafts[:5], reason="Chinese nationals after all", by=assistance_officer
    )
    assert done.changed == 5
    cancelled = ConsularNotification.objects.filter(status="cancelled")
    assert set(cancelled.values_list("cancelled_by", "cancel_reason")) == {
        (assistance_officer.pk, "Chinese nationals after all")
    }
    assert cancelled.count() == 5 and all(n.cancelled_at for n in cancelled)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"reason": "x" * 501}, "reason"),
        ({"notifications": []}, "ids"),
        ({"notifications": list(range(1, 10_001))}, "ids"),
        ({"notifications": "duplicate"}, "ids"),
        ({"decision": "send"}, "decision"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(drafts, second_assistance_officer, change, field):
    arguments = {"notifications": drafts, "decision": "review", "reason": REASON}
    arguments.update(change)
    if arguments["notifications"] == "duplicate":
        arguments["notifications"] = [drafts[0], drafts[0]]
    with pytest.raises(Refused) as refused:
        consular_bulk.decide_notifications(**arguments, by=second_assistance_officer)
    assert (refused.value.status, refused.value.field) == (400, field)
    assert set(statuses()) == {"draft"}


def test_unknown_ids_are_not_found(drafts, second_assistance_officer):
    with pytest.raises(Refused) as refused:
        consular_bulk.review_notifications(
            notifications=[drafts[0].pk, 999_999], reason=REASON, by=second_assistance_officer
        )
    assert refused.value.status == 404 and "#999999" in refused.value.message
    assert set(statuses()) == {"draft"}


# --- the pages ------------------------------------------------------------------------------------


def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_the_list_offers_a_checkbox_per_open_notification_and_marks_my_drafts(
    drafts, assistance_officer, second_assistance_officer, signed_in
):
    page = english(signed_in(assistance_officer)).get("/assistance/notifications/")
    text = page.content.decode()
    assert text.count('type="checkbox" name="ids"') == 20
    assert text.count("your draft: another officer reviews it") == 20
    text = english(signed_in(second_assistance_officer)).get("/assistance/notifications/")
    assert "your draft" not in text.content.decode()


def test_a_colleague_reviews_ticked_drafts_and_the_reason_shows_in_both_languages(
    drafts, second_assistance_officer, signed_in
):
    client = english(signed_in(second_assistance_officer))
    ticked = [d.pk for d in drafts[:3]]
    response = client.post(DECIDE, {"ids": ticked, "decision": "review", "reason": REASON})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "3 notifications marked reviewed." in page
    assert page.count(f"Reviewed: {REASON}") == 3
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    page = client.get("/assistance/notifications/").content.decode()
    assert page.count(f"已审核：{REASON}") == 3
    detail = client.get(f"/assistance/notifications/{drafts[0].pk}/").content.decode()
    assert REASON in detail
    assert statuses() == ["reviewed"] * 3 + ["draft"] * 17
    # The same form posted again (a double click): nothing changes.
    entries = writes()
    again = client.post(DECIDE, {"ids": ticked, "decision": "review", "reason": REASON})
    assert again.status_code == 302 and writes() == entries


def test_all_on_this_page_with_my_own_draft_is_refused_naming_it(
    drafts, assistance_officer, signed_in
):
    shown = [d.pk for d in drafts]
    response = english(signed_in(assistance_officer)).post(
        DECIDE, {"all_on_page": "1", "shown": shown, "decision": "review", "reason": REASON}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "You drafted 20 of these notifications" in page and drafts[0].reference in page
    assert set(statuses()) == {"draft"}


def test_the_drafter_is_not_offered_the_review_on_the_notification_page(
    drafts, assistance_officer, second_assistance_officer, signed_in
):
    url = f"/assistance/notifications/{drafts[0].pk}/"
    own = english(signed_in(assistance_officer))
    page = own.get(url).content.decode()
    assert 'data-testid="review-form"' not in page and 'data-testid="own-draft"' in page
    assert "decided by liu-assistance" in page
    review = {"op": "review", "review-subject": "s", "review-body": "b"}
    refused = own.post(url, review)
    assert refused.status_code == 403
    assert "another officer reviews it (four eyes)" in refused.content.decode()
    assert (
        'data-testid="review-form"'
        in signed_in(second_assistance_officer).get(url).content.decode()
    )
    assert set(statuses()) == {"draft"}


@pytest.mark.parametrize(
    "change",
    [
        {"reason": ""},
        {"ids": ["N-00001"]},
        {"ids": list(range(1, 10_001))},
        {"ids": "duplicate"},
        {"decision": "send"},
    ],
)
def test_bad_input_on_the_page_is_a_400_that_changes_nothing(
    drafts, second_assistance_officer, signed_in, change
):
    data = {"ids": [d.pk for d in drafts[:3]], "decision": "review", "reason": REASON}
    data.update(change)
    if data["ids"] == "duplicate":
        data["ids"] = [drafts[0].pk, drafts[0].pk]
    assert signed_in(second_assistance_officer).post(DECIDE, data).status_code == 400
    assert set(statuses()) == {"draft"}


def test_only_the_desks_with_the_directory_decide(drafts, desk_officer, signed_in):
    data = {"ids": [drafts[0].pk], "decision": "cancel", "reason": REASON}
    assert signed_in(desk_officer).post(DECIDE, data).status_code == 403
    assert set(statuses()) == {"draft"}


# --- the API --------------------------------------------------------------------------------------


def post_api(client, path=API, **body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_the_api_refuses_the_drafter_in_the_one_error_shape(
    drafts, assistance_officer, second_assistance_officer, signed_in
):
    path = f"/api/v1/notifications/{drafts[0].pk}/review"
    refused = post_api(signed_in(assistance_officer), path, reason=REASON)
    assert refused.status_code == 403
    [error] = refused.json()["errors"]
    assert error["field"] == "status" and drafts[0].reference in error["message"]
    ok = post_api(signed_in(second_assistance_officer), path, reason=REASON)
    assert ok.status_code == 200 and ok.json()["status"] == "reviewed"
    drafts[0].refresh_from_db()
    assert (drafts[0].subject, drafts[0].review_reason) == (drafts[1].subject, REASON)
    assert (
        post_api(signed_in(assistance_officer), "/api/v1/notifications/999999/review").status_code
        == 404
    )


def test_the_api_decides_a_set_once_with_the_same_rules(
    drafts, assistance_officer, second_assistance_officer, signed_in
):
    ids = [d.pk for d in drafts]
    colleague = signed_in(second_assistance_officer)
    own = post_api(signed_in(assistance_officer), ids=ids, decision="review", reason=REASON)
    assert own.status_code == 403 and own.json()["errors"][0]["field"] == "ids"
    assert set(statuses()) == {"draft"}
    done = post_api(colleague, ids=ids, decision="review", reason=REASON)
    assert done.status_code == 200 and done.json()["changed"] == 20
    again = post_api(colleague, ids=ids, decision="review", reason=REASON)
    assert (again.status_code, again.json()["changed"]) == (200, 0)
    cancel = post_api(colleague, ids=ids + [999_999], decision="cancel", reason=REASON)
    assert cancel.status_code == 404
    assert set(statuses()) == {"reviewed"}


@pytest.mark.parametrize(
    "change",
    [
        {"reason": "  "},
        {"ids": ["N-00001"]},
        {"ids": list(range(1, 10_001))},
        {"ids": "duplicate"},
        {"decision": "send"},
    ],
)
def test_bad_input_to_the_api_is_a_400(drafts, second_assistance_officer, signed_in, change):
    body = {"ids": [d.pk for d in drafts[:3]], "decision": "review", "reason": REASON}
    body.update(change)
    if body["ids"] == "duplicate":
        body["ids"] = [drafts[0].pk, drafts[0].pk]
    response = post_api(signed_in(second_assistance_officer), **body)
    assert response.status_code == 400 and response.json()["errors"][0]["message"]
    assert set(statuses()) == {"draft"}


def test_the_api_refuses_a_role_outside_the_desk(drafts, desk_officer, signed_in):
    body = {"ids": [drafts[0].pk], "decision": "cancel", "reason": REASON}
    assert post_api(signed_in(desk_officer), **body).status_code == 403
    assert set(statuses()) == {"draft"}
