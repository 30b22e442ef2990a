"""The airport side's services: each move, each refusal, and that a refusal changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.arrivals.models import Arrival, ArrivalEvent
from liaison.arrivals.states import ArrivalState, InvalidMove
from liaison.core.models import AuditEntry
from liaison.core.refusals import Refused
from liaison.handover.services import transfer_to_hospital
from liaison.policy.models import RiskListVersion, RulesVersion
from liaison.screening import desk, dispositions, results, sampling
from liaison.screening.models import (
    Disposition,
    HistoryCheck,
    LabResult,
    Sample,
    TemperatureReading,
)
from tests.screening.conftest import declare, sampled, screened

pytestmark = pytest.mark.django_db

S = ArrivalState


def reload(arrival):
    return Arrival.objects.get(pk=arrival.pk)


def counts():
    return (
        TemperatureReading.objects.count(),
        HistoryCheck.objects.count(),
        Sample.objects.count(),
        LabResult.objects.count(),
        Disposition.objects.count(),
        ArrivalEvent.objects.count(),
    )


# --- the desk ---------------------------------------------------------------------------------


def test_temperatures_are_recorded_and_kept_in_the_policy_facts(arrival, airport_desk_officer):
    for celsius in ("36.4", 37.0):
        desk.record_temperature(
            arrival=arrival, celsius=celsius, device="IR-3", officer=airport_desk_officer
        )
    assert [str(r.celsius) for r in arrival.temperatures.all()] == ["36.4", "37.0"]
    assert reload(arrival).facts["temperatures"] == [36.4, 37.0]
    assert AuditEntry.objects.filter(object_type="screening.temperaturereading").count() == 2


@pytest.mark.parametrize(
    ("celsius", "field"), [("29.9", "celsius"), ("45.1", "celsius"), ("warm", "celsius")]
)
def test_an_impossible_temperature_is_refused(arrival, airport_desk_officer, celsius, field):
    before = counts()
    with pytest.raises(Refused) as refused:
        desk.record_temperature(
            arrival=arrival, celsius=celsius, device="IR-3", officer=airport_desk_officer
        )
    assert refused.value.field == field
    assert counts() == before and reload(arrival).facts["temperatures"] == []


def test_a_reading_from_the_future_is_refused(arrival, airport_desk_officer):
    with pytest.raises(Refused, match="future"):
        desk.record_temperature(
            arrival=arrival,
            celsius="36.6",
            device="IR-3",
            taken_at=timezone.now() + timedelta(hours=1),
            officer=airport_desk_officer,
        )
    assert not TemperatureReading.objects.exists()


def test_history_confirmed_as_declared(arrival, airport_desk_officer):
    check = desk.confirm_history(arrival=arrival, history=None, officer=airport_desk_officer)
    assert not check.corrected and check.after == arrival.history


def test_a_corrected_history_rebuilds_the_facts_and_keeps_both_versions(
    arrival, airport_desk_officer
):
    desk.record_temperature(
        arrival=arrival, celsius="36.5", device="IR-3", officer=airport_desk_officer
    )
    today = timezone.localdate()
    corrected = [
        {
            "country": "IT",
            "city": "Milano",
            "date_from": (today - timedelta(days=10)).isoformat(),
            "date_to": today.isoformat(),
        }
    ]
    with pytest.raises(Refused) as refused:
        desk.confirm_history(arrival=arrival, history=corrected, officer=airport_desk_officer)
    assert refused.value.field == "note"
    check = desk.confirm_history(
        arrival=arrival,
        history=corrected,
        officer=airport_desk_officer,
        note="Passport stamps show Italy",
    )
    fresh = reload(arrival)
    assert check.corrected and check.before[0]["country"] == "KR"
    assert fresh.history[0]["country"] == "IT"
    assert fresh.facts["history"][0][0] == "IT"
    assert fresh.facts["temperatures"] == [36.5]  # carried over, not forgotten


def test_a_history_with_an_unknown_country_is_refused(arrival, airport_desk_officer):
    with pytest.raises(Refused) as refused:
        desk.confirm_history(
            arrival=arrival,
            history=[{"country": "XX", "date_from": "2020-01-01", "date_to": "2020-01-02"}],
            officer=airport_desk_officer,
            note="typo",
        )
    assert refused.value.field == "history" and not HistoryCheck.objects.exists()


def test_screening_needs_a_temperature_and_the_history(arrival, airport_desk_officer):
    with pytest.raises(Refused) as refused:
        desk.screen(arrival=arrival, officer=airport_desk_officer)
    assert refused.value.field == "celsius"
    desk.record_temperature(
        arrival=arrival, celsius="36.6", device="IR-3", officer=airport_desk_officer
    )
    with pytest.raises(Refused) as refused:
        desk.screen(arrival=arrival, officer=airport_desk_officer)
    assert refused.value.field == "history"
    assert reload(arrival).state == S.DECLARED


def test_screened_writes_the_event_and_waits_for_the_test(arrival, airport_desk_officer):
    decided = screened(arrival, airport_desk_officer).state
    assert decided == S.SCREENED
    event = arrival.events.last()
    assert (event.from_state, event.to_state, event.actor) == (
        S.DECLARED,
        S.SCREENED,
        airport_desk_officer,
    )
    assert event.where == "CKG T3 desk 4" and event.data["max_celsius"] == "36.6"
    # A Korean tourist's disposition depends on the test (positive → hospital): not decided yet.
    assert not Disposition.objects.exists()
    with pytest.raises(Refused, match="test result"):
        dispositions.dispose(arrival=arrival)


def test_fever_decides_hospital_at_screening_whatever_the_test(
    arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site
):
    screened(arrival, airport_desk_officer, celsius="38.4")
    disposition = Disposition.objects.get(arrival=arrival, is_current=True)
    assert disposition.disposition == "hospital"
    assert disposition.rule_id == "fever_or_symptoms"
    # Decided before any test: the traveler moves on to "disposition decided", with its event.
    assert reload(arrival).state == S.DISPOSED
    moves = [(e.from_state, e.to_state) for e in reload(arrival).events.all()]
    assert moves[-2:] == [(S.DECLARED, S.SCREENED), (S.SCREENED, S.DISPOSED)]
    decided = arrival.events.last()
    assert (decided.why, decided.data["kind"], decided.data["rule_id"]) == (
        "",
        "decided",
        "fever_or_symptoms",
    )
    # No sample: the decision does not depend on one.
    before = counts()
    with pytest.raises(Refused, match="already decided"):
        sampling.register_sample(
            arrival=reload(arrival),
            barcode="T3-000009",
            site=t3_sampling_site,
            collector=sampler_at_t3,
        )
    assert counts() == before
    # The move to hospital is the officer's.
    event = transfer_to_hospital(arrival=arrival, officer=airport_desk_officer)
    assert event.to_state == S.IN_HOSPITAL


def test_travelers_decided_at_screening_under_the_old_table_move_on_by_migration(
    arrival, airport_desk_officer
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "liaison.screening.migrations.0002_decided_at_screening_move_on"
    )
    waiting = screened(declare(document_number="M99999999"), airport_desk_officer)
    screened(arrival, airport_desk_officer, celsius="38.4")
    # As the old table left a fever case: decided "hospital", still screened, no move.
    Arrival.objects.filter(pk=arrival.pk).update(state=S.SCREENED)
    ArrivalEvent.objects.filter(arrival=arrival, to_state=S.DISPOSED).delete()

    migration.forward(apps, None)
    assert reload(arrival).state == S.DISPOSED
    event = reload(arrival).events.last()
    assert (event.from_state, event.to_state, event.actor) == (
        S.SCREENED,
        S.DISPOSED,
        airport_desk_officer,
    )
    assert event.data == {"disposition": "hospital", "rule_id": "fever_or_symptoms"}
    assert AuditEntry.objects.filter(
        object_type="arrivals.arrival", object_id=str(arrival.pk), note="screened -> disposition"
    ).exists()
    # Nobody else moved, and a second run changes nothing.
    assert reload(waiting).state == S.SCREENED
    before = counts()
    migration.forward(apps, None)
    assert counts() == before


def test_screening_a_released_traveler_is_refused(arrival, airport_desk_officer):
    Arrival.objects.filter(pk=arrival.pk).update(state=S.RELEASED)
    arrival.refresh_from_db()
    before = counts()
    with pytest.raises(InvalidMove, match="cannot move"):
        desk.screen(arrival=arrival, officer=airport_desk_officer)
    with pytest.raises(Refused):
        desk.record_temperature(
            arrival=arrival, celsius="36.6", device="IR-3", officer=airport_desk_officer
        )
    assert counts() == before


# --- sampling ---------------------------------------------------------------------------------


def test_a_sample_moves_the_traveler_to_sampled(
    arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site
):
    sampled(arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site)
    sample = Sample.objects.get()
    assert (sample.barcode, sample.site, sample.collector) == (
        "T3-000001",
        t3_sampling_site,
        sampler_at_t3,
    )
    assert arrival.events.last().to_state == S.SAMPLED


def test_sampling_twice_is_refused(arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site):
    sampled(arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site)
    before = counts()
    with pytest.raises(Refused, match="already sampled"):
        sampling.register_sample(
            arrival=arrival, barcode="T3-000002", site=t3_sampling_site, collector=sampler_at_t3
        )
    assert counts() == before


def test_a_tube_barcode_is_used_once(
    arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site
):
    sampled(arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site)
    other = screened(declare(document_number="M99999999"), airport_desk_officer)
    before = counts()
    with pytest.raises(Refused) as refused:
        sampling.register_sample(
            arrival=other, barcode="T3-000001", site=t3_sampling_site, collector=sampler_at_t3
        )
    assert refused.value.field == "barcode" and "already used" in refused.value.message
    assert counts() == before and reload(other).state == S.SCREENED


def test_sampling_before_screening_is_refused(arrival, sampler_at_t3, t3_sampling_site):
    with pytest.raises(InvalidMove):
        sampling.register_sample(
            arrival=arrival, barcode="T3-1", site=t3_sampling_site, collector=sampler_at_t3
        )
    assert not Sample.objects.exists()


# --- results and the disposition --------------------------------------------------------------


def result(barcode="T3-000001", value="negative", by=None, minutes_ago=5):
    return results.record_result(
        barcode=barcode,
        result=value,
        lab="Jiangbei CDC",
        tested_at=timezone.now() - timedelta(minutes=minutes_ago),
        reported_by=by,
        source="ui",
    )


@pytest.fixture
def waiting(arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site):
    return sampled(arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site)


def test_a_negative_result_is_disposed_at_once_with_versions_and_explanation(waiting, lab_user):
    recorded = result(by=lab_user)
    assert recorded.created
    fresh = reload(waiting)
    assert fresh.state == S.DISPOSED and fresh.facts["test_result"] == "negative"
    disposition = recorded.disposition
    # Korea is on the example risk list as high risk since March 2020.
    assert disposition.disposition == "centralized_quarantine"
    assert disposition.rule_id == "high_risk_history"
    assert disposition.rules_version == RulesVersion.objects.get()
    assert disposition.risk_list_version == RiskListVersion.objects.get()
    assert disposition.decision["rules_version_id"] == disposition.rules_version_id
    assert disposition.decision["reasons"][-1]["rule_id"] == "high_risk_history"
    assert [e.to_state for e in fresh.events.all()][-2:] == [S.RESULT, S.DISPOSED]


def test_a_foreign_nationals_quarantine_drafts_a_notice_to_the_serving_consulate(waiting, lab_user):
    from liaison.assistance.models import ConsularNotification

    disposition = result(by=lab_user).disposition
    notice = ConsularNotification.objects.get(arrival=waiting)
    # Kim Minjun is Korean and bound for Yubei: the Korean consulate general covering Chongqing.
    assert notice.mission.country == "KR"
    assert notice.reason and notice.status == "draft"
    assert disposition.disposition == "centralized_quarantine"


def test_a_chinese_nationals_disposition_drafts_no_consular_notice(
    city, airport_desk_officer, sampler_at_t3, t3_sampling_site, lab_user
):
    from liaison.assistance.models import ConsularNotification

    citizen = declare(nationality="CN", document_number="E12345678")
    sampled(citizen, airport_desk_officer, sampler_at_t3, t3_sampling_site)
    assert result(by=lab_user).disposition is not None
    assert not ConsularNotification.objects.exists()


def test_a_positive_result_sends_the_traveler_to_hospital(waiting, lab_user):
    assert result(value="阳性", by=lab_user).disposition.disposition == "hospital"


def test_the_same_result_again_changes_nothing_a_different_one_is_refused(waiting, lab_user):
    first = result(by=lab_user)
    before = counts()
    again = result(by=lab_user)
    assert not again.created and again.result == first.result
    with pytest.raises(Refused, match="different result"):
        result(value="positive", by=lab_user)
    assert counts() == before


@pytest.mark.parametrize(
    ("barcode", "value", "minutes_ago", "field"),
    [
        ("NOPE-1", "negative", 5, "barcode"),
        ("T3-000001", "maybe", 5, "result"),
        ("T3-000001", "negative", -120, "tested_at"),  # in the future
        ("T3-000001", "negative", 60, "tested_at"),  # before the sample was taken
    ],
)
def test_a_bad_result_is_refused(waiting, lab_user, barcode, value, minutes_ago, field):
    before = counts()
    with pytest.raises(Refused) as refused:
        result(barcode=barcode, value=value, by=lab_user, minutes_ago=minutes_ago)
    assert refused.value.field == field
    assert counts() == before and reload(waiting).state == S.SAMPLED


def test_inconclusive_goes_back_to_sampling_and_a_new_tube_is_accepted(
    waiting, lab_user, sampler_at_t3, t3_sampling_site
):
    recorded = result(value="inconclusive", by=lab_user)
    assert recorded.disposition is None
    fresh = reload(waiting)
    assert fresh.state == S.RESULT and fresh.facts["test_result"] == "inconclusive"
    assert Sample.objects.get(barcode="T3-000001").superseded
    with pytest.raises(Refused, match="different result"):
        result(value="negative", by=lab_user)  # a late second answer for the old tube
    sampling.register_sample(
        arrival=fresh,
        barcode="T3-000002",
        site=t3_sampling_site,
        collector=sampler_at_t3,
        collected_at=timezone.now() - timedelta(minutes=20),
    )
    fresh = reload(waiting)
    assert fresh.state == S.SAMPLED and fresh.facts["test_result"] is None
    assert fresh.events.last().data["kind"] == "resampled"
    assert result(barcode="T3-000002", by=lab_user).disposition is not None
    assert reload(waiting).state == S.DISPOSED


def test_an_override_needs_a_written_reason_and_is_audited(waiting, lab_user, airport_desk_officer):
    decided = result(by=lab_user).disposition
    before = counts()
    for reason in ("", "   "):
        with pytest.raises(Refused) as refused:
            dispositions.override_disposition(
                arrival=waiting,
                disposition="home_quarantine",
                reason=reason,
                officer=airport_desk_officer,
            )
        assert refused.value.field == "reason"
    assert counts() == before
    override = dispositions.override_disposition(
        arrival=waiting,
        disposition="home_quarantine",
        reason="Resident with own flat; district agrees",
        officer=airport_desk_officer,
    )
    decided.refresh_from_db()
    assert not decided.is_current and override.is_current and override.is_override
    assert override.policy_disposition == "centralized_quarantine"
    assert AuditEntry.objects.filter(
        object_type="screening.disposition", object_id=str(override.pk), action="create"
    ).exists()


def test_an_override_before_any_decision_is_refused(waiting, airport_desk_officer):
    with pytest.raises(Refused, match="nothing to override"):
        dispositions.override_disposition(
            arrival=waiting, disposition="hospital", reason="why", officer=airport_desk_officer
        )
