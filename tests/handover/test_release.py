"""Release from quarantine is checked: confirmed on or after the planned end, and before it only
with a written reason, which the event keeps as a code and parameters, rendered translated."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from liaison.arrivals.models import ArrivalEvent
from liaison.arrivals.states import ArrivalState
from liaison.core.models import AuditEntry
from liaison.core.refusals import Refused
from liaison.handover import services
from liaison.handover.models import Quarantine

pytestmark = pytest.mark.django_db
S = ArrivalState

REASON = "Negative retest; the district health office agreed"


def _quarantined(batch, officer, *, planned_end, started_days_ago: int = 0) -> Quarantine:
    member = batch.members.select_related("arrival").order_by("id").first()
    arrival = services.receive(
        batch=batch, arrival_code=member.arrival.code, officer=officer
    ).arrival
    return services.start_quarantine(
        arrival=arrival,
        officer=officer,
        planned_end=planned_end,
        started_at=timezone.now() - timedelta(days=started_days_ago),
    )


@pytest.fixture
def ends_in_a_week(departed_batch, yubei_receiving_officer):
    return _quarantined(
        departed_batch,
        yubei_receiving_officer,
        planned_end=timezone.localdate() + timedelta(days=7),
        started_days_ago=7,
    )


@pytest.fixture
def ended_yesterday(departed_batch, yubei_receiving_officer):
    return _quarantined(
        departed_batch,
        yubei_receiving_officer,
        planned_end=timezone.localdate() - timedelta(days=1),
        started_days_ago=15,
    )


def _unchanged(quarantine: Quarantine) -> None:
    quarantine.refresh_from_db()
    quarantine.arrival.refresh_from_db()
    assert quarantine.released_at is None
    assert quarantine.arrival.state == S.RECEIVED
    assert not ArrivalEvent.objects.filter(arrival=quarantine.arrival, to_state=S.RELEASED).exists()


def _release_event(quarantine: Quarantine) -> ArrivalEvent:
    return ArrivalEvent.objects.get(arrival=quarantine.arrival, to_state=S.RELEASED)


def test_a_release_after_the_planned_end_is_refused_unconfirmed(
    ended_yesterday, yubei_receiving_officer
):
    with pytest.raises(Refused, match="Confirm the release"):
        services.release(quarantine=ended_yesterday, officer=yubei_receiving_officer)
    _unchanged(ended_yesterday)
    services.release(quarantine=ended_yesterday, officer=yubei_receiving_officer, confirmed=True)
    event = _release_event(ended_yesterday)
    assert event.data == {
        "kind": "quarantine_complete",
        "planned_end": ended_yesterday.planned_end.isoformat(),
    }
    assert event.why == ""  # the sentence is rendered, not stored
    with translation.override("en"):
        assert "quarantine period complete" in event.reason
    with translation.override("zh-hans"):
        assert "隔离期满" in event.reason and "complete" not in event.reason


def test_on_the_planned_end_day_a_confirmed_release_is_not_early(
    departed_batch, yubei_receiving_officer
):
    quarantine = _quarantined(
        departed_batch, yubei_receiving_officer, planned_end=timezone.localdate()
    )
    services.release(quarantine=quarantine, officer=yubei_receiving_officer, confirmed=True)
    assert _release_event(quarantine).data["kind"] == "quarantine_complete"


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_an_early_release_without_a_reason_changes_nothing(
    ends_in_a_week, yubei_receiving_officer, reason
):
    audit_before = AuditEntry.objects.exclude(action="read").count()
    with pytest.raises(Refused, match="early release needs a written reason"):
        services.release(
            quarantine=ends_in_a_week,
            officer=yubei_receiving_officer,
            confirmed=True,
            reason=reason,
        )
    _unchanged(ends_in_a_week)
    assert AuditEntry.objects.exclude(action="read").count() == audit_before


def test_an_early_release_says_so_with_its_reason_in_the_readers_language(
    ends_in_a_week, yubei_receiving_officer
):
    services.release(
        quarantine=ends_in_a_week, officer=yubei_receiving_officer, confirmed=True, reason=REASON
    )
    ends_in_a_week.arrival.refresh_from_db()
    assert ends_in_a_week.arrival.state == S.RELEASED
    event = _release_event(ends_in_a_week)
    assert event.data == {
        "kind": "released_early",
        "planned_end": ends_in_a_week.planned_end.isoformat(),
        "reason": REASON,
    }
    with translation.override("en"):
        assert event.reason.startswith("Released early") and REASON in event.reason
        assert "complete" not in event.reason
    with translation.override("zh-hans"):
        assert "提前解除隔离" in event.reason and REASON in event.reason
        assert "隔离期满" not in event.reason


# --- the page ----------------------------------------------------------------------------------


def _page(quarantine) -> str:
    return f"/handover/receiving/arrivals/{quarantine.arrival_id}/"


def test_the_page_asks_for_a_reason_before_the_planned_end_and_nothing_is_preselected(
    ends_in_a_week, yubei_receiving_officer, signed_in
):
    client = signed_in(yubei_receiving_officer)
    html = client.get(_page(ends_in_a_week)).content.decode()
    form = html[html.index('data-testid="release-form"') :]
    form = form[: form.index("</form>")]
    assert 'name="reason"' in form and 'name="confirm"' in form
    assert "checked" not in form


def test_an_early_release_on_the_page_needs_the_reason_and_the_confirmation(
    ends_in_a_week, yubei_receiving_officer, signed_in
):
    client = signed_in(yubei_receiving_officer)
    release = f"{_page(ends_in_a_week)}release/"
    no_reason = client.post(release, {"confirm": "on", "reason": " "})
    assert no_reason.status_code == 400
    assert "提前解除隔离需要书面理由" in no_reason.content.decode()
    unconfirmed = client.post(release, {"reason": REASON})
    assert unconfirmed.status_code == 400
    assert REASON in unconfirmed.content.decode()  # what the officer wrote stays in the form
    _unchanged(ends_in_a_week)
    done = client.post(release, {"confirm": "on", "reason": REASON})
    assert done.status_code == 302
    assert _release_event(ends_in_a_week).data["kind"] == "released_early"


def test_the_timeline_shows_the_early_release_translated(
    ends_in_a_week, yubei_receiving_officer, airport_desk_officer, signed_in
):
    services.release(
        quarantine=ends_in_a_week, officer=yubei_receiving_officer, confirmed=True, reason=REASON
    )
    desk = signed_in(airport_desk_officer)
    url = f"/screening/arrivals/{ends_in_a_week.arrival_id}/timeline/"
    html = desk.get(url).content.decode()
    assert "提前解除隔离" in html and REASON in html and "隔离期满" not in html
    desk.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = desk.get(url).content.decode()
    assert "Released early" in html and "quarantine period complete" not in html


def test_after_the_planned_end_the_page_asks_only_for_the_confirmation(
    ended_yesterday, yubei_receiving_officer, signed_in
):
    client = signed_in(yubei_receiving_officer)
    html = client.get(_page(ended_yesterday)).content.decode()
    form = html[html.index('data-testid="release-form"') :]
    assert 'name="reason"' not in form[: form.index("</form>")]
    release = f"{_page(ended_yesterday)}release/"
    assert client.post(release, {}).status_code == 400
    _unchanged(ended_yesterday)
    assert client.post(release, {"confirm": "on"}).status_code == 302
    assert _release_event(ended_yesterday).data["kind"] == "quarantine_complete"


def test_a_release_without_a_quarantine_is_a_400_not_a_500(
    departed_batch, yubei_receiving_officer, signed_in
):
    member = departed_batch.members.select_related("arrival").first()
    services.receive(
        batch=departed_batch, arrival_code=member.arrival.code, officer=yubei_receiving_officer
    )
    client = signed_in(yubei_receiving_officer)
    url = f"/handover/receiving/arrivals/{member.arrival_id}/release/"
    assert client.post(url, {"confirm": "on", "reason": REASON}).status_code == 400
    member.arrival.refresh_from_db()
    assert member.arrival.state == S.RECEIVED
