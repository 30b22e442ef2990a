"""What-if: which arrivals would a new policy version move."""

from __future__ import annotations

from datetime import date

from liaison.policy.engine import Disposition, RiskList, RiskPeriod, Stay, compile_policy, diff
from liaison.policy.engine.vocabulary import RiskLevel


def test_diff_yields_only_the_arrivals_whose_outcome_changes(
    default_rules, default_risk, policy, make_facts
):
    japan_high = RiskList(
        version="2020-03-22",
        periods=(
            *(p for p in default_risk.periods if p.country != "JP"),
            RiskPeriod("JP", RiskLevel.HIGH, date(2020, 3, 1)),
        ),
    )
    new = compile_policy(default_rules, japan_high)
    from_japan = make_facts(history=[Stay("JP", date(2020, 3, 15), date(2020, 3, 24))])
    arrivals = [
        ("a-1", make_facts()),  # no history: unchanged
        ("a-2", from_japan),  # home → centralized quarantine
        ("a-3", make_facts(history=[Stay("IT", date(2020, 3, 15), date(2020, 3, 24))])),
        ("a-4", make_facts(pregnant=True, history=from_japan.history)),  # still home
    ]
    changes = list(diff(arrivals, policy, new))
    assert [(key, old.disposition, new.disposition) for key, old, new in changes] == [
        ("a-2", Disposition.HOME_QUARANTINE, Disposition.CENTRALIZED_QUARANTINE)
    ]
    _, old_decision, new_decision = changes[0]
    assert (old_decision.risk_list_version, new_decision.risk_list_version) == (
        "2020-03-20",
        "2020-03-22",
    )


def test_diff_of_a_policy_with_itself_is_empty(policy, make_facts):
    arrivals = [(n, make_facts(age=n)) for n in range(0, 100, 7)]
    assert list(diff(arrivals, policy, policy)) == []


def test_diff_is_lazy(policy):
    def endless():
        raise AssertionError("consumed before asked")
        yield  # pragma: no cover

    diff(endless(), policy, policy)  # creating the generator reads nothing


def test_facts_survive_a_round_trip_through_their_json_record():
    import json
    from datetime import date

    from liaison.policy.engine import Facts, Stay, Transit, facts_from_record, facts_to_record

    facts = Facts(
        arrival_date=date(2020, 3, 20),
        history=(Stay("IT", date(2020, 3, 1), date(2020, 3, 18), "Milano"),),
        transits=(Transit("DE", date(2020, 3, 19), "Frankfurt"),),
        temperatures=(36.5, 37.4),
        symptoms=True,
        age=71,
        category="diplomat",
        accreditation_number="D-123",
        destination_kind="onward",
        onward_departure_hours=20.5,
    )
    record = json.loads(json.dumps(facts_to_record(facts)))
    assert facts_from_record(record) == facts
