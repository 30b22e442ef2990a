"""Decisions explain themselves in English and Simplified Chinese."""

from __future__ import annotations

import json
from datetime import date

from liaison.policy.engine import Stay, render_record

NAMES = {
    "IT": {"en": "Italy", "zh-hans": "意大利"},
    "KR": {"en": "South Korea", "zh-hans": "韩国"},
    "TH": {"en": "Thailand", "zh-hans": "泰国"},
}


def country_name(code: str, lang: str) -> str:
    return NAMES[code][lang]


def traveler_from_italy(make_facts):
    """Arrived 2020-03-25 from Italy (left 2020-03-18), normal temperature, no result yet."""
    return make_facts(
        temperatures=(36.4, 36.6),
        history=[
            Stay("TH", date(2020, 2, 1), date(2020, 2, 20)),
            Stay("IT", date(2020, 3, 1), date(2020, 3, 18)),
        ],
    )


def test_the_matched_rule_says_which_country_when_and_since_when(policy, make_facts):
    decision = policy.evaluate(traveler_from_italy(make_facts))
    matched = decision.reasons[-1]
    assert (matched.rule_id, matched.matched) == ("high_risk_history", True)

    english = decision.explain("en", country_name)
    assert (
        "visited Italy (high risk since 2020-03-10) on 2020-03-18, "
        "within 14 days before arrival" in english
    )
    assert english.splitlines()[0] == (
        "Decision: centralized quarantine, 14 days, site: quarantine hotel"
    )
    assert "high_risk_history (High-risk country within 14 days) [applies]" in english

    chinese = decision.explain("zh-hans", country_name)
    assert "2020-03-18 曾在意大利（自 2020-03-10 起列为高风险），在入境前 14 天内" in chinese
    assert chinese.splitlines()[0] == "处置：集中隔离，14 天，地点：集中隔离酒店"
    assert "[适用]" in chinese


def test_earlier_rules_say_why_they_did_not_match(policy, make_facts):
    decision = policy.evaluate(traveler_from_italy(make_facts))
    not_matched = {t.rule_id: t for t in decision.reasons[:-1]}
    assert list(not_matched) == [
        "fever_or_symptoms",
        "positive_test",
        "accredited_diplomat",
        "inconclusive_test",
        "close_contact",
        "onward_within_24h",
        "vulnerable",
    ]
    assert not any(t.matched for t in not_matched.values())

    english = decision.explain("en", country_name)
    assert (
        "- fever_or_symptoms (Fever or symptoms) [did not apply]: "
        "highest temperature 36.6 °C, below 37.3 °C; no symptoms declared" in english
    )
    assert "test result: no result yet" in english
    assert "traveler category: ordinary traveler; no accreditation number" in english
    assert "age 35, under 70; not pregnant" in english

    chinese = decision.explain("zh-hans", country_name)
    assert "最高体温 36.6℃，低于 37.3℃；未申报症状" in chinese
    assert "检测结果：尚无结果" in chinese
    assert "[不适用]" in chinese


def test_a_stay_before_the_listing_is_explained(policy, make_facts):
    facts = make_facts(
        arrival_date=date(2020, 3, 20), history=[Stay("IT", date(2020, 3, 1), date(2020, 3, 9))]
    )
    decision = policy.evaluate(facts)
    assert decision.rule_id == "everyone_else"
    english = decision.explain("en", country_name)
    assert (
        "no stay in a country listed as high risk within 14 days before arrival "
        "(declared: Italy)" in english
    )
    assert (
        "stayed in Italy 2020-03-01 to 2020-03-09, when it was not listed as high risk "
        "(listed 2020-03-10–)" in english
    )
    chinese = decision.explain("zh-hans", country_name)
    assert "2020-03-01 至 2020-03-09 在意大利，当时未列为高风险" in chinese


def test_a_stay_before_the_window_is_explained(policy, make_facts):
    facts = make_facts(history=[Stay("IT", date(2020, 3, 1), date(2020, 3, 10))])
    english = policy.evaluate(facts).explain("en", country_name)
    assert (
        "left Italy on 2020-03-10, more than 14 days before arrival (stays count from 2020-03-11)"
        in english
    )


def test_steps_and_versions_are_rendered(policy, make_facts):
    decision = policy.evaluate(make_facts(test_result="inconclusive"))
    english = decision.explain("en")
    assert (
        "Steps: take a new PCR sample (re-test); wait for the result at the designated site"
        in english
    )
    assert "rules version 2020-03-20.1, risk list 2020-03-20" in english
    assert "重新采样复检；在指定地点等待检测结果" in decision.explain("zh-hans")


def test_without_country_names_the_code_is_shown(policy, make_facts):
    english = policy.evaluate(traveler_from_italy(make_facts)).explain("en")
    assert "visited IT (high risk since 2020-03-10)" in english


def test_an_unknown_language_falls_back_to_english(policy, make_facts):
    decision = policy.evaluate(make_facts())
    assert decision.explain("fa") == decision.explain("en")


def test_a_stored_record_renders_like_the_decision(policy, make_facts):
    decision = policy.evaluate(traveler_from_italy(make_facts))
    record = json.loads(json.dumps(decision.as_dict()))  # what the database would keep
    assert record["rule_id"] == "high_risk_history"
    assert record["reasons"][-1]["reasons"][0]["params"]["day"] == "2020-03-18"
    rendered = render_record(record, "zh-hans", country_name)
    assert "2020-03-18 曾在意大利" in rendered
    assert rendered.splitlines()[0] == decision.explain("zh-hans", country_name).splitlines()[0]
