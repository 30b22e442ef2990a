"""A confirmed policy review moves the traveler to the new version's disposition."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.arrivals.models import Arrival
from liaison.arrivals.states import ArrivalState
from liaison.core.refusals import Conflict
from liaison.policy import reviews
from liaison.policy import services as policy
from liaison.policy.models import PolicyReview, ReviewStatus
from liaison.screening import results, selectors
from liaison.screening.models import Disposition
from tests.conftest import make_user
from tests.policy.test_versions import draft_risk
from tests.screening.conftest import declare, sampled

pytestmark = pytest.mark.django_db


def from_thailand(document: str = "T2000001"):
    today = timezone.localdate()
    history = [
        {
            "country": "TH",
            "city": "",
            "date_from": (today - timedelta(days=13)).isoformat(),
            "date_to": today.isoformat(),
        }
    ]
    return declare(document_number=document, history=history, nationality="TH")


@pytest.fixture
def sampler(city):
    from liaison.core.roles import Role

    return make_user("zhao-sampler", Role.SAMPLING)


@pytest.fixture
def disposed(city, airport_desk_officer, sampler, t3_sampling_site, lab_user):
    """A Thai traveler tested negative, decided home quarantine under the reference policy."""
    traveler = sampled(from_thailand(), airport_desk_officer, sampler, t3_sampling_site)
    results.record_result(
        barcode="T3-000001",
        result="negative",
        lab="Jiangbei CDC",
        tested_at=timezone.now(),
        reported_by=lab_user,
    )
    traveler.refresh_from_db()
    assert traveler.state == ArrivalState.DISPOSED
    assert current(traveler).disposition == "home_quarantine"
    return traveler


def current(arrival: Arrival) -> Disposition:
    return Disposition.objects.get(arrival=arrival, is_current=True)


def flag_thailand(administrator) -> PolicyReview:
    published = policy.publish(version=draft_risk(administrator), by=administrator)
    assert published.flagged == 1
    return PolicyReview.objects.get(status=ReviewStatus.PENDING)


def test_confirming_moves_the_traveler_to_the_new_versions_disposition(
    disposed, administrator, airport_desk_officer
):
    review = flag_thailand(administrator)
    before = current(disposed)
    reviews.confirm_review(review=review, by=airport_desk_officer, reason="Thailand is high risk")
    now = current(disposed)
    assert now.pk != before.pk
    assert now.disposition == "centralized_quarantine"
    assert (now.rules_version_id, now.risk_list_version_id) == (
        review.to_rules_id,
        review.to_risk_list_id,
    )
    assert now.risk_list_version.version == "2020-03-26"
    assert now.rule_id == "high_risk_history"
    assert now.decided_by == airport_desk_officer
    # The explanation is the engine's, kept with the versions, and the timeline shows it.
    assert now.decision["rule_id"] == "high_risk_history"
    entries = [e["why"] for e in selectors.timeline(disposed) if e["kind"] == "decision"]
    assert entries[-1] == "Policy decided: Centralized quarantine (rule high_risk_history)"


def test_dismissing_keeps_the_disposition(disposed, administrator, airport_desk_officer):
    review = flag_thailand(administrator)
    before = current(disposed)
    reviews.dismiss_review(review=review, by=airport_desk_officer, reason="Left before")
    assert current(disposed).pk == before.pk


def test_a_traveler_handed_over_is_refused_and_nothing_changes(
    disposed, administrator, airport_desk_officer
):
    review = flag_thailand(administrator)
    before = current(disposed)
    Arrival.objects.filter(pk=disposed.pk).update(state=ArrivalState.IN_HANDOVER)
    with pytest.raises(Conflict):
        reviews.confirm_review(
            review=review, by=airport_desk_officer, reason="Thailand is high risk"
        )
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING
    assert current(disposed).pk == before.pk


def test_a_traveler_not_yet_decided_is_left_to_the_policy_in_force(
    city, administrator, airport_desk_officer, sampler, t3_sampling_site
):
    waiting = sampled(from_thailand("T2000002"), airport_desk_officer, sampler, t3_sampling_site)
    review = flag_thailand(administrator)
    reviews.confirm_review(review=review, by=airport_desk_officer, reason="Thailand is high risk")
    assert not Disposition.objects.filter(arrival=waiting).exists()
    review.refresh_from_db()
    assert review.status == ReviewStatus.CONFIRMED


def test_the_reviews_page_confirm_button_moves_the_traveler(
    disposed, administrator, airport_desk_officer, signed_in
):
    review = flag_thailand(administrator)
    client = signed_in(airport_desk_officer)
    response = client.post(
        "/policy/reviews/decide/",
        {"ids": review.pk, "decision": "confirm", "reason": "泰国已列为高风险"},
        follow=True,
    )
    assert response.status_code == 200
    assert current(disposed).disposition == "centralized_quarantine"


def test_the_reviews_page_says_why_a_handed_over_traveler_is_refused(
    disposed, administrator, airport_desk_officer, signed_in
):
    review = flag_thailand(administrator)
    Arrival.objects.filter(pk=disposed.pk).update(state=ArrivalState.IN_HANDOVER)
    client = signed_in(airport_desk_officer)
    response = client.post(
        "/policy/reviews/decide/",
        {"ids": review.pk, "decision": "confirm", "reason": "泰国已列为高风险"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    # The refusal, in the office language the staff pages speak.
    assert "仍按交接时的处置方式执行" in page
    assert current(disposed).disposition == "home_quarantine"
