"""Shared fixtures of the policy engine tests: the shipped default policy and a facts builder."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from liaison.policy.engine import (
    CompiledPolicy,
    Facts,
    RiskList,
    RuleSet,
    compile_policy,
    load_risk_list,
    load_rules,
)

REFERENCE = Path(__file__).resolve().parents[2] / "reference" / "chongqing" / "policy"
ARRIVAL = date(2020, 3, 25)

NAMES = {
    "IT": {"en": "Italy", "zh-hans": "意大利"},
    "KR": {"en": "South Korea", "zh-hans": "韩国"},
    "JP": {"en": "Japan", "zh-hans": "日本"},
    "DE": {"en": "Germany", "zh-hans": "德国"},
    "TH": {"en": "Thailand", "zh-hans": "泰国"},
}


def country_name(code: str, lang: str) -> str:
    return NAMES.get(code, {}).get(lang, code)


@pytest.fixture(scope="session")
def default_rules() -> RuleSet:
    return load_rules((REFERENCE / "default-rules.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def default_risk() -> RiskList:
    return load_risk_list((REFERENCE / "default-risk-list.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def policy(default_rules: RuleSet, default_risk: RiskList) -> CompiledPolicy:
    return compile_policy(default_rules, default_risk)


@pytest.fixture
def make_facts() -> Callable[..., Facts]:
    """An ordinary healthy traveler arriving on 2020-03-25 to stay in the city, with no travel
    history and no result yet; keyword arguments change what the test is about."""

    def make(**changes: Any) -> Facts:
        values: dict[str, Any] = {
            "arrival_date": ARRIVAL,
            "temperatures": (36.6,),
            "age": 35,
            "destination_jurisdiction": "yubei",
        }
        values.update(changes)
        return Facts(**values)

    return make
