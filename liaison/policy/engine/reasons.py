"""Structured reasons: what a condition saw in the facts, as a code plus parameters.

Reasons are kept as data (not text) so that a decision can be stored with its reasons and
rendered later in any staff language; ``explain.py`` owns the wording.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True, slots=True)
class Reason:
    # One of the codes that explain.TEMPLATES knows, e.g. "visited_at_risk".
    code: str
    # JSON-compatible values only (dates as ISO strings), so reasons can be stored as they are.
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}


@dataclass(frozen=True, slots=True)
class RuleTrace:
    """Why one rule did or did not match one arrival."""

    rule_id: str
    matched: bool
    reasons: tuple[Reason, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "matched": self.matched,
            # Reason.as_dict, inlined: a results file stores some 130,000 of them.
            "reasons": [{"code": r.code, "params": dict(r.params)} for r in self.reasons],
        }
