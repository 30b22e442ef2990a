"""The decision for one arrival, and the way it explains itself."""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from .facts import Facts
from .reasons import RuleTrace
from .vocabulary import Disposition, SiteType, Step

if TYPE_CHECKING:
    from .compile import CompiledPolicy, CompiledRule

CountryName = Callable[[str, str], str]


class Decision(tuple):
    """What the policy decided for one arrival, and on which rule.

    Immutable. It is a tuple underneath ``(compiled rule, facts)`` only because creating a
    tuple is several times cheaper than creating a frozen dataclass, and the policy engine
    creates one per evaluation; use the named properties, not indices.

    The reasons are not computed when deciding: ``reasons`` and ``explain()`` re-run the
    policy's traced path on the same facts, which gives the same answer every time.
    """

    __slots__ = ()

    _rule: CompiledRule = property(itemgetter(0))  # type: ignore[assignment]
    facts: Facts = property(itemgetter(1))  # type: ignore[assignment]

    @property
    def disposition(self) -> Disposition:
        return self._rule.disposition

    @property
    def quarantine_days(self) -> int | None:
        return self._rule.quarantine_days

    @property
    def site_type(self) -> SiteType | None:
        return self._rule.site_type

    @property
    def rule_id(self) -> str:
        return self._rule.id

    @property
    def rules_version(self) -> str:
        return self._rule.policy.rules_version

    @property
    def risk_list_version(self) -> str:
        return self._rule.policy.risk_list_version

    @property
    def policy(self) -> CompiledPolicy:
        return self._rule.policy

    @property
    def steps(self) -> tuple[Step, ...]:
        """The steps still required, in the rule's order."""
        facts = self.facts
        return tuple(step for step, test in self._rule.steps if test is None or test(facts))

    @property
    def reasons(self) -> tuple[RuleTrace, ...]:
        """For every rule before the deciding one, why it did not match; then why the deciding
        one did."""
        traces = self._rule.policy.trace(self.facts)
        if traces[-1].rule_id != self.rule_id or not traces[-1].matched:
            # The closures and the traced path disagree: a bug, and a decision must never be
            # stored with an explanation that contradicts it.
            raise RuntimeError(
                f"explanation reached rule {traces[-1].rule_id!r}, decision was {self.rule_id!r}"
            )
        return traces

    def explain(self, lang: str = "en", country_name: CountryName | None = None) -> str:
        """The decision and its reasons as text in "en" or "zh-hans"."""
        from .explain import render_decision

        return render_decision(self, lang, country_name)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-compatible record of the decision and its structured reasons, for storage.
        ``explain.render_record`` renders it again later in any staff language."""
        return {
            "disposition": self.disposition.value,
            "quarantine_days": self.quarantine_days,
            "site_type": self.site_type.value if self.site_type else None,
            "steps": [step.value for step in self.steps],
            "rule_id": self.rule_id,
            "rules_version": self.rules_version,
            "risk_list_version": self.risk_list_version,
            "reasons": [trace.as_dict() for trace in self.reasons],
        }

    # Two decisions are equal when the same policy versions decided the same facts the same way.
    def _key(self) -> tuple[Any, ...]:
        return (self.rules_version, self.risk_list_version, self.rule_id, self.facts)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Decision):
            return NotImplemented
        return self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Decision(disposition={self.disposition.value!r}, rule_id={self.rule_id!r}, "
            f"quarantine_days={self.quarantine_days!r}, site_type={self.site_type!r}, "
            f"rules_version={self.rules_version!r})"
        )
