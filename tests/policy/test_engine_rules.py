"""Every rule of the shipped default policy, at its boundaries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from liaison.policy.engine import Disposition, SiteType, Stay, Step, Transit

ARRIVAL = date(2020, 3, 25)  # as in the make_facts fixture

IT_LISTED = date(2020, 3, 10)  # Italy high risk from this day in the default risk list


def stay(country: str, first: date, last: date) -> Stay:
    return Stay(country=country, date_from=first, date_to=last)


# --- fever and symptoms --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("readings", "rule"),
    [
        ((37.2,), "everyone_else"),
        ((37.3,), "fever_or_symptoms"),
        ((36.5, 37.3), "fever_or_symptoms"),  # any reading counts, not the last one
        ((37.8, 36.9), "fever_or_symptoms"),
        ((), "everyone_else"),
    ],
)
def test_fever_threshold_is_37_3_on_any_reading(policy, make_facts, readings, rule):
    assert policy.evaluate(make_facts(temperatures=readings)).rule_id == rule


def test_symptoms_without_fever_go_to_hospital(policy, make_facts):
    decision = policy.evaluate(make_facts(symptoms=True))
    assert decision.disposition is Disposition.HOSPITAL
    assert decision.site_type is SiteType.DESIGNATED_HOSPITAL
    assert decision.quarantine_days is None
    assert decision.steps == (Step.TRANSFER_TO_DESIGNATED_HOSPITAL,)


# --- test results --------------------------------------------------------------------------


def test_positive_goes_to_hospital(policy, make_facts):
    decision = policy.evaluate(make_facts(test_result="positive"))
    assert (decision.rule_id, decision.disposition) == ("positive_test", Disposition.HOSPITAL)


def test_inconclusive_is_resampled_in_centralized_quarantine(policy, make_facts):
    decision = policy.evaluate(make_facts(test_result="inconclusive"))
    assert decision.rule_id == "inconclusive_test"
    assert decision.disposition is Disposition.CENTRALIZED_QUARANTINE
    assert decision.steps == (Step.RESAMPLE_PCR, Step.WAIT_FOR_RESULT_AT_DESIGNATED_SITE)


def test_negative_needs_no_more_pcr(policy, make_facts):
    decision = policy.evaluate(make_facts(test_result="negative"))
    assert decision.rule_id == "everyone_else"
    assert Step.PCR_AT_DESIGNATED_SITE not in decision.steps


def test_without_result_pcr_is_still_required(policy, make_facts):
    decision = policy.evaluate(make_facts(test_result=None))
    assert decision.disposition is Disposition.HOME_QUARANTINE
    assert decision.quarantine_days == 14
    assert decision.steps[0] is Step.PCR_AT_DESIGNATED_SITE


def test_contact_with_cases_means_centralized_quarantine(policy, make_facts):
    decision = policy.evaluate(make_facts(contact_with_cases=True))
    assert decision.rule_id == "close_contact"
    assert decision.disposition is Disposition.CENTRALIZED_QUARANTINE


# --- travel history ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_before_arrival", "rule"),
    [(0, "high_risk_history"), (14, "high_risk_history"), (15, "everyone_else")],
)
def test_history_window_is_the_arrival_day_and_14_days_before(
    policy, make_facts, days_before_arrival, rule
):
    last_day = ARRIVAL - timedelta(days=days_before_arrival)
    facts = make_facts(history=[stay("IT", last_day - timedelta(days=5), last_day)])
    assert policy.evaluate(facts).rule_id == rule


def test_high_risk_history_is_centralized_quarantine_for_14_days(policy, make_facts):
    facts = make_facts(history=[stay("IT", date(2020, 3, 12), date(2020, 3, 18))])
    decision = policy.evaluate(facts)
    assert decision.disposition is Disposition.CENTRALIZED_QUARANTINE
    assert decision.quarantine_days == 14
    assert decision.site_type is SiteType.QUARANTINE_HOTEL


@pytest.mark.parametrize(
    ("last_day", "rule"),
    [
        (IT_LISTED - timedelta(days=1), "everyone_else"),  # left the day before it was listed
        (IT_LISTED, "high_risk_history"),  # still there on the day it was listed
    ],
)
def test_a_stay_counts_only_while_the_country_is_listed(policy, make_facts, last_day, rule):
    facts = make_facts(
        arrival_date=date(2020, 3, 20), history=[stay("IT", date(2020, 3, 1), last_day)]
    )
    assert policy.evaluate(facts).rule_id == rule


def test_a_country_raised_from_medium_to_high_counts_from_the_day_it_is_high(policy, make_facts):
    # South Korea: medium until 2020-03-04, high from 2020-03-05.
    medium_only = make_facts(
        arrival_date=date(2020, 3, 10), history=[stay("KR", date(2020, 3, 1), date(2020, 3, 4))]
    )
    into_high = make_facts(
        arrival_date=date(2020, 3, 10), history=[stay("KR", date(2020, 3, 1), date(2020, 3, 5))]
    )
    assert policy.evaluate(medium_only).rule_id == "everyone_else"
    assert policy.evaluate(into_high).rule_id == "high_risk_history"


@pytest.mark.parametrize(
    ("country", "rule"),
    [
        ("SG", "everyone_else"),
        ("JP", "everyone_else"),
        ("TH", "everyone_else"),
        ("IT", "high_risk_history"),
    ],
)
def test_only_high_risk_countries_count(policy, make_facts, country, rule):
    facts = make_facts(history=[stay(country, date(2020, 3, 15), date(2020, 3, 20))])
    assert policy.evaluate(facts).rule_id == rule


def test_a_transit_through_a_high_risk_country_counts(policy, make_facts):
    facts = make_facts(
        history=[stay("TH", date(2020, 3, 1), date(2020, 3, 24))],
        transits=[Transit("DE", date(2020, 3, 24))],
    )
    assert policy.evaluate(facts).rule_id == "high_risk_history"


# --- onward journey ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "rule"),
    [
        (23, "onward_within_24h"),
        (24, "onward_within_24h"),
        (25, "everyone_else"),
        (None, "everyone_else"),
    ],
)
def test_onward_departure_within_24_hours(policy, make_facts, hours, rule):
    facts = make_facts(
        destination_kind="onward", destination_jurisdiction=None, onward_departure_hours=hours
    )
    assert policy.evaluate(facts).rule_id == rule


def test_onward_transfer_is_a_closed_loop(policy, make_facts):
    facts = make_facts(destination_kind="onward", onward_departure_hours=6, test_result="negative")
    decision = policy.evaluate(facts)
    assert decision.disposition is Disposition.ONWARD_TRANSFER
    assert decision.site_type is SiteType.TRANSFER_STATION
    assert decision.steps == (
        Step.CLOSED_LOOP_TRANSFER_TO_DEPARTURE,
        Step.NOTIFY_DESTINATION_PROVINCE,
    )


def test_staying_in_the_city_is_not_onward_whatever_the_hours(policy, make_facts):
    assert policy.evaluate(make_facts(onward_departure_hours=5)).rule_id == "everyone_else"


def test_onward_traveler_from_high_risk_country_is_still_transferred(policy, make_facts):
    facts = make_facts(
        destination_kind="onward",
        onward_departure_hours=10,
        history=[stay("IT", date(2020, 3, 15), date(2020, 3, 24))],
    )
    assert policy.evaluate(facts).disposition is Disposition.ONWARD_TRANSFER


# --- diplomats -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "number", "rule"),
    [
        ("diplomat", "D-2020-0042", "accredited_diplomat"),
        ("consular", "C-17", "accredited_diplomat"),
        ("diplomat", None, "everyone_else"),
        ("diplomat", "   ", "everyone_else"),  # a blank form field is no accreditation
        ("ordinary", "D-2020-0042", "everyone_else"),
    ],
)
def test_diplomatic_arrangement_needs_category_and_accreditation(
    policy, make_facts, category, number, rule
):
    facts = make_facts(category=category, accreditation_number=number)
    assert policy.evaluate(facts).rule_id == rule


def test_diplomat_with_fever_goes_to_hospital(policy, make_facts):
    facts = make_facts(category="diplomat", accreditation_number="D-1", temperatures=(38.1,))
    assert policy.evaluate(facts).disposition is Disposition.HOSPITAL


def test_diplomat_from_high_risk_country_quarantines_at_residence(policy, make_facts):
    facts = make_facts(
        category="diplomat",
        accreditation_number="D-1",
        history=[stay("IT", date(2020, 3, 15), date(2020, 3, 24))],
    )
    decision = policy.evaluate(facts)
    assert decision.disposition is Disposition.DIPLOMATIC_ARRANGEMENT
    assert decision.site_type is SiteType.RESIDENCE


def test_diplomat_with_inconclusive_result_is_resampled_at_residence(policy, make_facts):
    facts = make_facts(category="consular", accreditation_number="C-1", test_result="inconclusive")
    decision = policy.evaluate(facts)
    assert decision.disposition is Disposition.DIPLOMATIC_ARRANGEMENT
    assert Step.RESAMPLE_PCR in decision.steps


def test_unaccredited_diplomat_from_high_risk_country_is_treated_like_everyone(policy, make_facts):
    facts = make_facts(
        category="diplomat", history=[stay("IT", date(2020, 3, 15), date(2020, 3, 24))]
    )
    assert policy.evaluate(facts).disposition is Disposition.CENTRALIZED_QUARANTINE


# --- vulnerable travelers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"age": 69}, "everyone_else"),
        ({"age": 70}, "vulnerable"),
        ({"age": None}, "everyone_else"),
        ({"pregnant": True}, "vulnerable"),
        ({"unaccompanied_minor": True, "age": 12}, "vulnerable"),
        ({"severe_condition": True}, "vulnerable"),
    ],
)
def test_vulnerable_travelers(policy, make_facts, changes, rule):
    assert policy.evaluate(make_facts(**changes)).rule_id == rule


def test_vulnerable_traveler_from_high_risk_country_quarantines_at_home(policy, make_facts):
    facts = make_facts(pregnant=True, history=[stay("IT", date(2020, 3, 15), date(2020, 3, 24))])
    decision = policy.evaluate(facts)
    assert decision.rule_id == "vulnerable"
    assert decision.disposition is Disposition.HOME_QUARANTINE
    assert Step.HOME_QUARANTINE_UNDER_DISTRICT_SUPERVISION in decision.steps


def test_vulnerable_traveler_with_fever_goes_to_hospital(policy, make_facts):
    assert (
        policy.evaluate(make_facts(age=80, temperatures=(37.5,))).disposition
        is Disposition.HOSPITAL
    )


# --- the decision itself -------------------------------------------------------------------


def test_decision_names_its_rule_and_versions(policy, make_facts):
    decision = policy.evaluate(make_facts())
    assert decision.rule_id == "everyone_else"
    assert decision.rules_version == "2020-03-20.1"
    assert decision.risk_list_version == "2020-03-20"


def test_decision_is_immutable(policy, make_facts):
    decision = policy.evaluate(make_facts())
    with pytest.raises(AttributeError):
        decision.disposition = Disposition.HOSPITAL  # type: ignore[misc]
