"""Properties of the engine under the default policy, over generated arrivals.

Strictness order (liaison.policy.engine.STRICTNESS): hospital > centralized quarantine >
onward transfer (closed loop, escorted) > home quarantine = diplomatic arrangement (both
quarantine at the person's own residence).
"""

from __future__ import annotations

import dataclasses
import importlib.util
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liaison.policy.engine import (
    STRICTNESS,
    Disposition,
    Facts,
    RiskList,
    RiskPeriod,
    Stay,
    Transit,
    compile_policy,
    load_rules,
)
from liaison.policy.engine.vocabulary import RiskLevel

COUNTRIES = ["IT", "IR", "KR", "DE", "US", "JP", "NL", "SG", "TH", "AU", "RU"]
FIRST_DAY = date(2020, 2, 1)


def days(low: int, high: int):
    return st.integers(low, high).map(lambda n: FIRST_DAY + timedelta(days=n))


@st.composite
def stays(draw, countries=COUNTRIES):
    first = draw(days(0, 70))
    length = draw(st.integers(0, 30))
    return Stay(draw(st.sampled_from(countries)), first, first + timedelta(days=length))


@st.composite
def arrivals(draw):
    arrival = draw(days(20, 80))
    category = draw(st.sampled_from(["ordinary", "ordinary", "diplomat", "consular", "crew"]))
    onward = draw(st.booleans())
    return Facts(
        arrival_date=arrival,
        history=tuple(draw(st.lists(stays(), max_size=3))),
        transits=tuple(
            Transit(draw(st.sampled_from(COUNTRIES)), arrival - timedelta(days=d))
            for d in draw(st.lists(st.integers(0, 20), max_size=2))
        ),
        temperatures=tuple(draw(st.lists(st.integers(355, 395).map(lambda t: t / 10), max_size=3))),
        symptoms=draw(st.booleans()),
        contact_with_cases=draw(st.booleans()),
        test_result=draw(st.sampled_from([None, "negative", "positive", "inconclusive"])),
        age=draw(st.none() | st.integers(0, 100)),
        pregnant=draw(st.booleans()),
        severe_condition=draw(st.booleans()),
        unaccompanied_minor=draw(st.booleans()),
        category=category,
        accreditation_number=draw(st.none() | st.just("D-0001")),
        destination_kind="onward" if onward else "city",
        destination_jurisdiction=None if onward else "yubei",
        onward_departure_hours=draw(st.none() | st.floats(0, 96)) if onward else None,
    )


@given(arrivals())
def test_every_arrival_gets_exactly_one_disposition(policy, facts):
    decision = policy.evaluate(facts)
    assert isinstance(decision.disposition, Disposition)
    assert decision.rule_id in {rule.id for rule in policy.rule_set.rules}


@given(arrivals())
def test_the_explanation_agrees_with_the_decision(policy, facts):
    decision = policy.evaluate(facts)
    traces = decision.reasons  # raises if the traced path reached another rule
    assert [t.matched for t in traces] == [False] * (len(traces) - 1) + [True]
    assert all(t.reasons for t in traces)


@given(arrivals())
def test_same_facts_and_versions_give_the_same_decision(policy, default_rules, default_risk, facts):
    again = compile_policy(default_rules, default_risk)
    first, second = policy.evaluate(facts), again.evaluate(facts)
    copy = dataclasses.replace(facts)
    assert first == second == policy.evaluate(copy)
    assert (first.disposition, first.steps) == (second.disposition, second.steps)
    assert first.explain("en") == second.explain("en")
    assert first.explain("zh-hans") == second.explain("zh-hans")


HIGH_RISK = ["IT", "IR", "KR", "DE", "US"]


@given(arrivals(), stays(countries=HIGH_RISK))
def test_a_stay_in_a_high_risk_country_never_loosens_the_disposition(policy, facts, extra):
    riskier = dataclasses.replace(facts, history=(*facts.history, extra))
    before = STRICTNESS[policy.evaluate(facts).disposition]
    assert STRICTNESS[policy.evaluate(riskier).disposition] >= before


@given(arrivals(), st.sampled_from(COUNTRIES), days(0, 60))
@settings(max_examples=50)
def test_listing_a_country_as_high_risk_never_loosens_the_disposition(
    policy, default_rules, default_risk, facts, country, since
):
    # High from ``since`` or from the country's first listing, whichever is earlier: replacing
    # its periods with a later start would unlist it for some days, which is not raising it.
    listed = [p.date_from for p in default_risk.periods if p.country == country]
    raised = RiskList(
        version="raised",
        periods=(
            *(p for p in default_risk.periods if p.country != country),
            RiskPeriod(country, RiskLevel.HIGH, min([since, *listed])),
        ),
    )
    stricter = compile_policy(default_rules, raised)
    before = STRICTNESS[policy.evaluate(facts).disposition]
    assert STRICTNESS[stricter.evaluate(facts).disposition] >= before


def _load_bench():
    """bench/policy_engine.py is a script, not a package module: load it by path."""
    path = Path(__file__).resolve().parents[2] / "bench" / "policy_engine.py"
    spec = importlib.util.spec_from_file_location("policy_engine_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


floor_decide = _load_bench().floor_decide


@given(arrivals())
def test_the_engine_agrees_with_the_hand_written_floor(policy, facts):
    # The benchmark's floor is the default policy written by hand; agreeing with it on any
    # arrival checks the compiled rules and keeps the benchmark an honest comparison.
    assert policy.evaluate(facts).rule_id == floor_decide(facts)


EVERY_CONDITION = """\
version: every.1
rules:
  - id: listed_countries
    when: {visited: {countries: [JP, TH], within_days: 10}}
    then: {disposition: centralized_quarantine}
  - id: medium_or_worse_with_transit
    when: {visited: {risk_at_least: medium, within_days: 7, include_transit: true}}
    then: {disposition: centralized_quarantine}
  - id: high_in_korea
    when: {visited: {risk_at_least: high, countries: [KR], within_days: 21}}
    then: {disposition: centralized_quarantine}
  - id: young_not_onward
    when:
      all:
        - age_below: 12
        - not: {destination: onward}
        - destination_jurisdiction: [yubei]
    then: {disposition: home_quarantine}
  - id: crew_or_official_soon
    when:
      all:
        - category: [crew, official]
        - any: [{departs_within_hours: 6}, {has_accreditation: false}]
    then: {disposition: onward_transfer}
  - id: mixed
    when:
      any:
        - all: [{symptoms: false}, {contact_with_cases: true}, {test_result: [negative]}]
        - all: [{pregnant: false}, {severe_condition: false}, {unaccompanied_minor: false}]
        - temperature_at_least: 36.9
    then: {disposition: hospital}
  - id: rest
    then: {disposition: home_quarantine}
"""
EVERY_CONDITION_RULES = load_rules(EVERY_CONDITION)


@given(arrivals())
def test_compiled_and_traced_conditions_agree_for_every_condition_type(default_risk, facts):
    # The fast closures and the explained path are written separately per condition type;
    # here every type (and every combinator) must give the same answer both ways.
    every = compile_policy(EVERY_CONDITION_RULES, default_risk)
    for rule in every.rules:
        traced, _ = rule.rule.when.trace(facts, every.risk)
        assert rule.test(facts) == traced, rule.id


class _Reading:
    """Facts that note every fact a condition reads."""

    def __init__(self, facts: Facts) -> None:
        self._facts = facts
        self.read: set[str] = set()

    def __getattr__(self, name: str):
        self.read.add(name)
        return getattr(self._facts, name)


@given(arrivals())
def test_every_condition_traces_only_the_facts_it_says_it_reads(default_risk, facts):
    # A compiled policy keeps each rule's trace by the facts its condition reads: a fact read
    # and not named would give one traveler another's explanation.
    every = compile_policy(EVERY_CONDITION_RULES, default_risk)
    for rule in every.rules:
        reading = _Reading(facts)
        rule.rule.when.trace(reading, every.risk)
        assert reading.read <= rule.rule.when.reads(), rule.id


@settings(max_examples=50)
@given(st.lists(arrivals(), min_size=2, max_size=30))
def test_a_kept_trace_is_the_trace_of_the_arrival_asking(default_rules, default_risk, many):
    for rules in (default_rules, EVERY_CONDITION_RULES):
        keeping = compile_policy(rules, default_risk)
        for facts in many:
            keeping.trace(facts)  # every rule's trace of these arrivals is now kept
        for facts in many:
            fresh = compile_policy(rules, default_risk).trace(facts)
            kept = keeping.trace(facts)
            assert kept == fresh
            assert [t.as_dict() for t in kept] == [t.as_dict() for t in fresh]


def test_a_reason_cannot_be_changed(policy):
    trace = policy.trace(Facts(arrival_date=date(2020, 3, 25), temperatures=(38.0,)))[0]
    reason = trace.reasons[0]
    assert (reason.code, dict(reason.params)) == (
        "temperature_at_least",
        {"highest": 38.0, "threshold": 37.3},
    )
    with pytest.raises(TypeError):
        reason.params["highest"] = 36.0  # type: ignore[index]
    record = trace.as_dict()
    record["reasons"][0]["params"]["highest"] = 36.0  # a record is the caller's own
    assert reason.params["highest"] == 38.0
