"""Structured reasons: what a condition saw in the facts, as a code plus parameters.

Reasons are kept as data (not text) so that a decision can be stored with its reasons and
rendered later in any staff language; ``explain.py`` owns the wording.

Both classes are tuples underneath, as ``Decision`` is: a results file of 10,000 rows explains
every decision it stores, some 130,000 reasons and 75,000 rule traces, and creating a tuple is
several times cheaper than creating a frozen dataclass (``bench/lab_results.py``). Use the
named properties, not indices.
"""

from __future__ import annotations

from collections.abc import Mapping
from operator import itemgetter
from types import MappingProxyType
from typing import Any

_NO_PARAMS: Mapping[str, Any] = MappingProxyType({})


class Reason(tuple):
    """``Reason(code, params)``. ``code`` is one of the codes that explain.TEMPLATES knows, e.g.
    "visited_at_risk"; ``params`` holds JSON-compatible values only (dates as ISO strings), so
    that reasons can be stored as they are. Immutable: ``params`` is a read-only view of the
    mapping given, which the caller gives up (the conditions pass a new dict each time)."""

    __slots__ = ()

    code: str = property(itemgetter(0))  # type: ignore[assignment]
    params: Mapping[str, Any] = property(itemgetter(1))  # type: ignore[assignment]

    def __new__(cls, code: str, params: Mapping[str, Any] | None = None) -> Reason:
        return tuple.__new__(cls, (code, MappingProxyType(params) if params else _NO_PARAMS))

    def as_dict(self) -> dict[str, Any]:
        return {"code": self[0], "params": self[1].copy()}

    def __repr__(self) -> str:
        return f"Reason({self[0]!r}, {dict(self[1])!r})"


class RuleTrace(tuple):
    """``RuleTrace(rule_id, matched, reasons)``: why one rule did or did not match one
    arrival."""

    __slots__ = ()

    rule_id: str = property(itemgetter(0))  # type: ignore[assignment]
    matched: bool = property(itemgetter(1))  # type: ignore[assignment]
    reasons: tuple[Reason, ...] = property(itemgetter(2))  # type: ignore[assignment]

    def __new__(cls, rule_id: str, matched: bool, reasons: tuple[Reason, ...]) -> RuleTrace:
        return tuple.__new__(cls, (rule_id, matched, reasons))

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self[0],
            "matched": self[1],
            # Reason.as_dict, inlined.
            "reasons": [{"code": r[0], "params": r[1].copy()} for r in self[2]],
        }

    def __repr__(self) -> str:
        return f"RuleTrace({self[0]!r}, {self[1]!r}, {self[2]!r})"
