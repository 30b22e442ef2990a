"""The screening policy engine: facts of an arrival + a policy → a decision with its reasons.

Pure Python on purpose (no Django): deterministic, testable and benchmarkable on its own.
Typical use::

    rules = load_rules(yaml_text)                 # raises PolicyError, naming rule/field/line
    risk = load_risk_list(other_yaml_text)
    policy = compile_policy(rules, risk)          # once per (rules, risk list) pair
    decision = policy.evaluate(facts)             # fast
    decision.disposition, decision.steps, decision.explain("zh-hans")
"""

from .compile import CompiledPolicy, compile_policy, evaluate
from .countries import ISO_3166_ALPHA2
from .decision import Decision
from .diff import diff
from .document import PolicyError, Problem, load_risk_list, load_rules, published_schema
from .explain import LANGUAGES, render_reason, render_record
from .facts import Facts, Stay, Transit, facts_from_record, facts_to_record
from .model import Outcome, Rule, RuleSet, StepSpec
from .reasons import Reason, RuleTrace
from .risk import RiskList, RiskPeriod
from .vocabulary import (
    STRICTNESS,
    Category,
    DestinationKind,
    Disposition,
    LabResult,
    RiskLevel,
    SiteType,
    Step,
)

__all__ = [
    "ISO_3166_ALPHA2",
    "LANGUAGES",
    "STRICTNESS",
    "Category",
    "CompiledPolicy",
    "Decision",
    "DestinationKind",
    "Disposition",
    "Facts",
    "LabResult",
    "Outcome",
    "PolicyError",
    "Problem",
    "Reason",
    "RiskLevel",
    "RiskList",
    "RiskPeriod",
    "Rule",
    "RuleSet",
    "RuleTrace",
    "SiteType",
    "Stay",
    "Step",
    "StepSpec",
    "Transit",
    "compile_policy",
    "facts_from_record",
    "facts_to_record",
    "diff",
    "evaluate",
    "load_risk_list",
    "load_rules",
    "published_schema",
    "render_reason",
    "render_record",
]
