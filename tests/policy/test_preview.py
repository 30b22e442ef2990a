"""The what-if and publishing against real arrivals: who would move, flagged, never moved."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from liaison.arrivals import services as arrivals
from liaison.arrivals.models import Arrival, Source
from liaison.arrivals.states import ArrivalState
from liaison.core.models import AuditEntry
from liaison.core.refusals import Conflict
from liaison.policy import reviews, selectors, services
from liaison.policy.engine import facts_from_record
from liaison.policy.models import PolicyReview, ReviewStatus
from tests.arrivals.conftest import valid_payload
from tests.policy.test_versions import RISK_WITH_THAILAND, draft_risk

pytestmark = pytest.mark.django_db


def arrive(document: str, country: str, **changes) -> Arrival:
    """A traveler landing today after 13 days in ``country``."""
    today = timezone.localdate()
    history = [
        {
            "country": country,
            "city": "",
            "date_from": (today - timedelta(days=13)).isoformat(),
            "date_to": today.isoformat(),
        }
    ]
    body = valid_payload(document_number=document, history=history, **changes)
    return arrivals.declare(data=body, source=Source.API).arrival


@pytest.fixture
def travelers(city):
    """Two travelers from Thailand (one already released), one from Italy, one from Japan."""
    from_thailand = arrive("T1000001", "TH", surname_latin="SOMCHAI", nationality="TH")
    released = arrive("T1000002", "TH", surname_latin="DONE", nationality="TH")
    Arrival.objects.filter(pk=released.pk).update(state=ArrivalState.RELEASED)
    from_italy = arrive("I1000001", "IT", surname_latin="ROSSI", nationality="IT")
    from_japan = arrive("J1000001", "JP", surname_latin="SATO", nationality="JP")
    return {"TH": from_thailand, "released": released, "IT": from_italy, "JP": from_japan}


def test_the_preview_lists_only_current_travelers_who_would_move(travelers, administrator):
    draft = draft_risk(administrator)
    result = services.preview(draft=draft)
    assert result.travelers == 3  # the released traveler is not current
    assert result.unreadable == []
    [move] = result.moves
    assert move.arrival_id == travelers["TH"].pk
    assert (move.before.disposition, move.after.disposition) == (
        "home_quarantine",
        "centralized_quarantine",
    )
    assert move.after.rule_id == "high_risk_history"
    assert (result.old_risk.version, result.new_risk.version) == ("2020-03-20", "2020-03-26")
    assert "曾在泰国（自 2020-03-20 起列为高风险）" in selectors.why(move.after)
    with translation.override("en"):
        assert "visited Thailand (high risk since 2020-03-20)" in selectors.why(move.after)
    # A preview writes nothing.
    assert not PolicyReview.objects.exists()


def test_the_preview_of_a_rules_draft_pairs_it_with_the_risk_list(travelers, administrator):
    rules = selectors.policy_in_force()[0].source
    stricter = rules.replace('version: "2020-03-20.1"', 'version: "2020-03-26.1"').replace(
        "risk_at_least: high", "risk_at_least: medium"
    )
    draft = services.create_draft(
        kind="rules",
        text=stricter,
        author=administrator,
        note="medium too",
        effective_from=timezone.now(),
    )
    result = services.preview(draft=draft)
    assert [m.arrival_id for m in result.moves] == [travelers["JP"].pk]  # Japan is medium risk
    assert result.new_rules == draft and result.new_risk == result.old_risk


def test_incomplete_facts_are_counted_not_guessed(travelers, administrator):
    Arrival.objects.filter(pk=travelers["IT"].pk).update(facts={})
    result = services.preview(draft=draft_risk(administrator))
    assert result.unreadable == [travelers["IT"].pk]
    assert result.travelers == 3


def test_publishing_flags_the_travelers_it_would_move_and_moves_nobody(travelers, administrator):
    old_rules, old_risk, _policy = selectors.policy_in_force()
    before = services.decide(facts=facts_from_record(travelers["TH"].facts)).as_record()
    states = dict(Arrival.objects.values_list("pk", "state"))

    published = services.publish(version=draft_risk(administrator), by=administrator)

    assert published.flagged == 1
    review = PolicyReview.objects.get()
    assert review.arrival == travelers["TH"]
    assert review.status == ReviewStatus.PENDING
    assert (review.old_disposition, review.new_disposition) == (
        "home_quarantine",
        "centralized_quarantine",
    )
    assert (review.from_rules, review.from_risk_list) == (old_rules, old_risk)
    assert (review.to_rules, review.to_risk_list) == (old_rules, published.version)
    assert review.new_decision["rule_id"] == "high_risk_history"
    assert review.new_decision["reasons"][-1]["reasons"][0]["params"]["country"] == "TH"
    assert review.old_decision["risk_list_version"] == "2020-03-20"
    # Nobody moved: every arrival keeps its state, and the decision taken before publishing
    # still names the version that made it.
    assert dict(Arrival.objects.values_list("pk", "state")) == states
    assert before["risk_list_version"] == "2020-03-20"
    assert before["risk_list_version_id"] == old_risk.pk
    assert AuditEntry.objects.filter(
        action="create", object_type="policy.policyreview", object_id=str(review.pk)
    ).exists()


def test_a_second_version_replaces_a_waiting_review(travelers, administrator):
    services.publish(version=draft_risk(administrator), by=administrator)
    first = PolicyReview.objects.get()
    # Thailand back to medium: the traveler would move again (back home).
    medium = RISK_WITH_THAILAND.replace("2020-03-26", "2020-03-27").replace(
        "{country: TH, level: high", "{country: TH, level: medium"
    )
    services.publish(version=draft_risk(administrator, medium), by=administrator)
    first.refresh_from_db()
    assert first.status == ReviewStatus.SUPERSEDED
    second = PolicyReview.objects.exclude(pk=first.pk).get()
    assert (second.old_disposition, second.new_disposition) == (
        "centralized_quarantine",
        "home_quarantine",
    )


def test_an_officer_confirms_or_dismisses_once(travelers, administrator, airport_desk_officer):
    received = []
    services.review_confirmed.connect(
        lambda sender, review, **kw: received.append(review.pk), weak=False, dispatch_uid="t"
    )
    try:
        services.publish(version=draft_risk(administrator), by=administrator)
        review = PolicyReview.objects.get()
        reviews.confirm_review(review=review, by=airport_desk_officer, reason="High risk now")
        review.refresh_from_db()
        assert (review.status, review.decided_by) == (ReviewStatus.CONFIRMED, airport_desk_officer)
        assert received == [review.pk]
        with pytest.raises(Conflict):
            reviews.dismiss_review(review=review, by=airport_desk_officer, reason="Not so")
    finally:
        services.review_confirmed.disconnect(dispatch_uid="t")


def test_publishing_a_version_that_moves_nobody_flags_nobody(travelers, administrator):
    nobody = RISK_WITH_THAILAND.replace("{country: TH, level: high", "{country: TH, level: low")
    published = services.publish(version=draft_risk(administrator, nobody), by=administrator)
    assert published.flagged == 0
    assert not PolicyReview.objects.exists()
