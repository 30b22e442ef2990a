"""A rules version as the engine holds it after validation: plain immutable values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .conditions import Condition, fever_thresholds
from .vocabulary import Disposition, SiteType, Step


@dataclass(frozen=True, slots=True)
class StepSpec:
    """A step of an outcome, required only when its condition holds (e.g. "PCR at the
    designated site" only while no result is known)."""

    step: Step
    when: Condition | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    disposition: Disposition
    site_type: SiteType | None
    quarantine_days: int | None
    steps: tuple[StepSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    when: Condition  # Always() for the catch-all
    then: Outcome
    # Optional human titles by language code ("en", "zh-hans").
    title: Mapping[str, str] | None = None
    line: int | None = None  # where the rule starts in its YAML source, for messages


@dataclass(frozen=True, slots=True)
class RuleSet:
    version: str
    rules: tuple[Rule, ...]
    title: Mapping[str, str] | None = None

    @property
    def fever_threshold(self) -> float | None:
        """The lowest temperature (°C) any rule reads as a fever, None when no rule reads one."""
        found = [c for rule in self.rules for c in fever_thresholds(rule.when)]
        return min(found) if found else None
