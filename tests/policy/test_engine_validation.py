"""Policy documents that must be refused, and how the refusal reads."""

from __future__ import annotations

import json
from textwrap import dedent

import pytest

from liaison.policy.engine import PolicyError, load_risk_list, load_rules, published_schema
from liaison.policy.engine.conditions import COMBINATOR_KEYS, LEAF_KEYS

GOOD_RULES = """\
version: "test.1"
rules:
  - id: fever
    when:
      any:
        - temperature_at_least: 37.3
        - symptoms: true
    then:
      disposition: hospital
      site_type: designated_hospital
  - id: high_risk
    when:
      visited: {risk_at_least: high, within_days: 14, countries: [IT, IR]}
    then: {disposition: centralized_quarantine, quarantine_days: 14}
  - id: rest
    then: {disposition: home_quarantine, quarantine_days: 14}
"""

GOOD_RISK = """\
version: "risk.1"
entries:
  - {country: IT, level: high, from: 2020-03-10}
  - {country: KR, level: medium, from: 2020-02-24, to: 2020-03-04}
  - {country: KR, level: high, from: 2020-03-05}
"""


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line containing needle."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def refused(load, text: str, **kwargs) -> PolicyError:
    with pytest.raises(PolicyError) as caught:
        load(text, **kwargs)
    return caught.value


def only_problem(error: PolicyError):
    assert len(error.problems) == 1, error.problems
    return error.problems[0]


def test_the_good_documents_load():
    assert [r.id for r in load_rules(GOOD_RULES).rules] == ["fever", "high_risk", "rest"]
    assert len(load_risk_list(GOOD_RISK).periods) == 3


def test_a_document_that_does_not_parse_is_refused_with_its_line():
    text = GOOD_RULES.replace("        - symptoms: true", "        - symptoms: [true")
    problem = only_problem(refused(load_rules, text))
    assert problem.reason.startswith("not valid YAML")
    assert problem.line is not None and problem.line >= line_of(text, "symptoms: [true")


def test_an_unknown_field_is_named_with_rule_and_line():
    text = GOOD_RULES.replace("  - id: high_risk\n", "  - id: high_risk\n    colour: red\n")
    problem = only_problem(refused(load_rules, text))
    assert (problem.rule_id, problem.field) == ("high_risk", "colour")
    assert problem.reason == "unknown field 'colour'"
    assert problem.line == line_of(text, "colour: red")


def test_an_unknown_condition_is_an_unknown_field():
    text = GOOD_RULES.replace("temperature_at_least: 37.3", "temprature_at_least: 37.3")
    problem = only_problem(refused(load_rules, text))
    assert (problem.rule_id, problem.field) == ("fever", "when.any[0].temprature_at_least")
    assert "unknown field" in problem.reason
    assert problem.line == line_of(text, "temprature_at_least")


def test_an_unknown_disposition_is_refused():
    text = GOOD_RULES.replace("disposition: hospital", "disposition: jail")
    problem = only_problem(refused(load_rules, text))
    assert (problem.rule_id, problem.field) == ("fever", "then.disposition")
    assert problem.reason.startswith("unknown disposition 'jail'; expected one of: hospital")
    assert problem.line == line_of(text, "disposition: jail")


def test_an_unknown_country_in_a_rule_is_refused():
    text = GOOD_RULES.replace("countries: [IT, IR]", "countries: [IT, XX]")
    problem = only_problem(refused(load_rules, text))
    assert (problem.rule_id, problem.field) == ("high_risk", "when.visited.countries[1]")
    assert problem.reason == "unknown country code 'XX' (not ISO 3166-1 alpha-2)"
    assert problem.line == line_of(text, "XX")


def test_an_unknown_country_in_a_risk_list_is_refused():
    text = GOOD_RISK.replace("country: IT", "country: UK")  # the ISO code is GB
    problem = only_problem(refused(load_risk_list, text))
    assert (problem.rule_id, problem.field) == (None, "entries[0].country")
    assert "unknown country code 'UK'" in problem.reason
    assert problem.line == line_of(text, "UK")


def test_known_countries_can_be_given_by_the_caller():
    text = GOOD_RISK.replace("country: IT", "country: XK")
    assert load_risk_list(text, known_countries={"XK", "KR"}).periods[0].country == "XK"
    assert refused(load_risk_list, GOOD_RISK, known_countries={"KR"}).problems[0].field == (
        "entries[0].country"
    )


def test_norway_stays_norway():
    # YAML 1.1 reads a bare NO as false; policy documents must not.
    text = GOOD_RISK + "  - {country: NO, level: medium, from: 2020-03-18}\n"
    assert load_risk_list(text).periods[-1].country == "NO"


def test_overlapping_periods_of_one_country_are_refused():
    text = GOOD_RISK + "  - {country: KR, level: high, from: 2020-03-04}\n"
    error = refused(load_risk_list, text)
    # The new entry overlaps both earlier KR periods: each collision is reported on it.
    assert [(p.field, p.line) for p in error.problems] == [("entries[3].from", 6)] * 2
    reasons = sorted(p.reason for p in error.problems)
    assert reasons == [
        "period of KR overlaps its high period 2020-03-05 – open-ended (line 5)",
        "period of KR overlaps its medium period 2020-02-24 – 2020-03-04 (line 4)",
    ]


def test_an_open_ended_period_overlaps_everything_after_it():
    text = GOOD_RISK + "  - {country: IT, level: medium, from: 2020-06-01}\n"
    problem = only_problem(refused(load_risk_list, text))
    assert problem.field == "entries[3].from"
    assert "overlaps its high period 2020-03-10 – open-ended (line 3)" in problem.reason


def test_a_period_ending_before_it_starts_is_refused():
    text = GOOD_RISK.replace("to: 2020-03-04", "to: 2020-02-01")
    problem = only_problem(refused(load_risk_list, text))
    assert problem.field == "entries[1].to"


def test_a_malformed_date_is_refused():
    text = GOOD_RISK.replace("from: 2020-03-10", "from: 2020-13-10")
    problem = only_problem(refused(load_risk_list, text))
    assert problem.field == "entries[0].from"
    assert "date" in problem.reason


def test_rules_without_a_final_catch_all_are_refused():
    text = GOOD_RULES.replace(
        "  - id: rest\n", "  - id: rest\n    when: {contact_with_cases: true}\n"
    )
    problem = only_problem(refused(load_rules, text))
    assert (problem.rule_id, problem.field) == ("rest", "when")
    assert "catch-all" in problem.reason
    assert problem.line == line_of(text, "when: {contact_with_cases")


def test_a_catch_all_before_the_end_is_refused():
    text = GOOD_RULES.replace(
        "    when:\n      visited: {risk_at_least: high, within_days: 14, countries: [IT, IR]}\n",
        "    when: always\n",
    )
    problem = only_problem(refused(load_rules, text))
    assert (problem.rule_id, problem.field) == ("high_risk", "when")
    assert "unreachable (rest)" in problem.reason


def test_duplicate_rule_ids_are_refused():
    text = GOOD_RULES.replace("id: high_risk", "id: fever")
    problem = only_problem(refused(load_rules, text))
    assert (problem.rule_id, problem.field) == ("fever", "id")
    assert problem.reason == f"duplicate rule id (first used on line {line_of(text, 'id: fever')})"
    second = [n for n, line in enumerate(text.splitlines(), 1) if "id: fever" in line][1]
    assert problem.line == second


def test_a_key_written_twice_is_refused():
    text = GOOD_RULES.replace(
        "      site_type: designated_hospital\n",
        "      site_type: designated_hospital\n      site_type: residence\n",
    )
    problem = only_problem(refused(load_rules, text))
    assert problem.reason == "field 'site_type' appears twice"
    assert problem.line == line_of(text, "site_type: residence")


def test_a_condition_with_two_keys_is_refused():
    text = GOOD_RULES.replace(
        "        - symptoms: true", "        - symptoms: true\n          pregnant: true"
    )
    problem = only_problem(refused(load_rules, text))
    assert (problem.rule_id, problem.field) == ("fever", "when.any[1]")
    assert "exactly one key" in problem.reason


def test_a_wrongly_typed_value_is_refused():
    text = GOOD_RULES.replace("temperature_at_least: 37.3", "temperature_at_least: hot")
    problem = only_problem(refused(load_rules, text))
    assert problem.field == "when.any[0].temperature_at_least"
    assert "number" in problem.reason


def test_an_unknown_when_is_refused_with_a_useful_reason():
    text = GOOD_RULES.replace(
        "      visited: {risk_at_least: high, within_days: 14, countries: [IT, IR]}",
        "      visited: {risk_at_least: extreme, within_days: 14}",
    )
    problem = only_problem(refused(load_rules, text))
    assert problem.field == "when.visited.risk_at_least"
    assert problem.reason.startswith("unknown risk level 'extreme'")


def test_every_problem_is_reported_at_once():
    text = GOOD_RULES.replace("disposition: hospital", "disposition: jail").replace(
        "  - id: high_risk\n", "  - id: high_risk\n    colour: red\n"
    )
    error = refused(load_rules, text)
    assert [(p.rule_id, p.field) for p in error.problems] == [
        ("fever", "then.disposition"),
        ("high_risk", "colour"),
    ]
    assert "rule 'fever'" in str(error) and f"line {line_of(text, 'colour')}" in str(error)


def test_json_text_gets_line_numbers_too():
    document = {
        "version": "j.1",
        "rules": [{"id": "rest", "then": {"disposition": "limbo"}}],
    }
    text = json.dumps(document, indent=2)
    problem = only_problem(refused(load_rules, text))
    assert problem.line == line_of(text, '"limbo"')


def test_parsed_data_is_validated_without_lines():
    document = {"version": "d.1", "rules": [{"id": "rest", "then": {"disposition": "limbo"}}]}
    problem = only_problem(refused(load_rules, document))
    assert (problem.rule_id, problem.field, problem.line) == ("rest", "then.disposition", None)


def test_the_schema_and_the_engine_know_the_same_conditions():
    condition = published_schema()["$defs"]["condition"]["properties"]
    assert set(condition) == set(LEAF_KEYS) | set(COMBINATOR_KEYS)


def test_every_condition_of_the_schema_loads():
    text = dedent(
        """\
        version: all.1
        rules:
          - id: everything
            when:
              all:
                - not: {temperature_at_least: 38}
                - any: [{symptoms: false}, {contact_with_cases: false}, {pregnant: false}]
                - severe_condition: false
                - unaccompanied_minor: false
                - test_result: [pending, negative]
                - age_at_least: 18
                - age_below: 60
                - category: ordinary
                - has_accreditation: false
                - destination: city
                - destination_jurisdiction: [yubei, jiangbei]
                - not: {departs_within_hours: 12}
                - not: {visited: {countries: [IT], within_days: 14, include_transit: true}}
            then: {disposition: home_quarantine, quarantine_days: 7}
          - id: rest
            when: always
            then: {disposition: centralized_quarantine}
        """
    )
    assert load_rules(text).rules[0].id == "everything"
