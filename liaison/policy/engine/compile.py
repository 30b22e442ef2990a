"""Compile a rules version and a risk list into something fast to evaluate.

Compilation turns every condition into a closure once, so evaluating an arrival is a walk
down a tuple of (test, rule) pairs that stops at the first match. Nothing about the
explanation is computed there: ``Decision.reasons`` re-runs the traced path on demand.
"""

from __future__ import annotations

from operator import attrgetter

from .conditions import Always, Test
from .decision import Decision
from .facts import Facts
from .model import Rule, RuleSet
from .reasons import RuleTrace
from .risk import RiskIndex, RiskList
from .vocabulary import Disposition, SiteType

_new_decision = tuple.__new__
TRACES_KEPT = 5_000  # rule traces a compiled policy keeps: some 4 MB (870 bytes each, measured)


def _nothing(facts: Facts) -> tuple[()]:
    return ()


class CompiledRule:
    """One rule ready to decide: its outcome unpacked and its step conditions compiled."""

    __slots__ = (
        "disposition",
        "index",
        "outcome_key",
        "policy",
        "quarantine_days",
        "rule",
        "site_type",
        "steps",
        "test",
        "trace_key",
    )

    def __init__(self, rule: Rule, index: int, policy: CompiledPolicy) -> None:
        self.rule = rule
        self.index = index
        self.policy = policy
        self.disposition: Disposition = rule.then.disposition
        self.quarantine_days: int | None = rule.then.quarantine_days
        self.site_type: SiteType | None = rule.then.site_type
        # What "the decision changed" means for a what-if comparison.
        self.outcome_key = (self.disposition, self.quarantine_days, self.site_type)
        self.test: Test = rule.when.compile(policy.risk)
        self.steps: tuple[tuple[str, Test | None], ...] = tuple(
            (spec.step, spec.when.compile(policy.risk) if spec.when else None)
            for spec in rule.then.steps
        )
        # The facts the rule's trace reads, as one value: two arrivals alike in them get the
        # same trace (``CompiledPolicy.trace``).
        reads = sorted(rule.when.reads())
        self.trace_key = attrgetter(*reads) if reads else _nothing

    @property
    def id(self) -> str:
        return self.rule.id


class CompiledPolicy:
    """A rules version bound to a risk list, compiled. Build it once, evaluate many times."""

    __slots__ = ("_fallback", "_plan", "_traces", "risk", "risk_list", "rule_set", "rules")

    def __init__(self, rule_set: RuleSet, risk_list: RiskList) -> None:
        self.rule_set = rule_set
        self.risk_list = risk_list
        self.risk = RiskIndex(risk_list)
        self.rules = tuple(CompiledRule(rule, i, self) for i, rule in enumerate(rule_set.rules))
        # The document validator guarantees the last rule is the only catch-all, so the hot
        # loop can skip testing it.
        assert isinstance(rule_set.rules[-1].when, Always)
        self._plan: tuple[tuple[Test, CompiledRule], ...] = tuple(
            (rule.test, rule) for rule in self.rules[:-1]
        )
        self._fallback = self.rules[-1]
        # Each rule's trace by the facts it reads (``trace``).
        self._traces: dict[tuple, RuleTrace] = {}

    @property
    def rules_version(self) -> str:
        return self.rule_set.version

    @property
    def risk_list_version(self) -> str:
        return self.risk_list.version

    def evaluate(self, facts: Facts) -> Decision:
        for test, rule in self._plan:
            if test(facts):
                return _new_decision(Decision, (rule, facts))
        return _new_decision(Decision, (self._fallback, facts))

    def trace(self, facts: Facts) -> tuple[RuleTrace, ...]:
        """Why each rule up to the deciding one did or did not match (the slow, explained
        path of ``evaluate``).

        A rule's trace depends only on the facts it reads (``Condition.reads``) and on this
        policy, and is immutable: it is kept by those facts and shared by the arrivals alike in
        them — on one flight most rules read answers most travelers share (no symptoms, a
        negative test, an ordinary visa), and a results file explains 10,000 decisions at once
        (``bench/lab_results.py``). At most ``TRACES_KEPT`` are kept, then they start again.
        """
        traces = []
        kept = self._traces
        for rule in self.rules:
            key = (rule.index, rule.trace_key(facts))
            try:
                trace = kept.get(key)
            except TypeError:  # a fact that cannot be a key: traced, not kept
                key, trace = None, None
            if trace is None:
                matched, reasons = rule.rule.when.trace(facts, self.risk)
                trace = RuleTrace(rule.id, matched, reasons)
                if key is not None:
                    if len(kept) >= TRACES_KEPT:
                        kept.clear()
                    kept[key] = trace
            traces.append(trace)
            if trace.matched:
                break
        return tuple(traces)

    def __repr__(self) -> str:
        return f"<CompiledPolicy rules={self.rules_version!r} risk={self.risk_list_version!r}>"


def compile_policy(rule_set: RuleSet, risk_list: RiskList) -> CompiledPolicy:
    return CompiledPolicy(rule_set, risk_list)


def evaluate(
    facts: Facts, rules: RuleSet | CompiledPolicy, risk_list: RiskList | None = None
) -> Decision:
    """Decide one arrival. Pass a CompiledPolicy when deciding many: compiling costs far more
    than evaluating."""
    if isinstance(rules, CompiledPolicy):
        return rules.evaluate(facts)
    if risk_list is None:
        raise TypeError("a RuleSet needs its RiskList")
    return CompiledPolicy(rules, risk_list).evaluate(facts)
