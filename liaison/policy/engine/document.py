"""Parse and validate policy documents: a rules version and a risk list.

Validation happens in two passes:

1. the published JSON schema (``schema.json``, ``risk_list.schema.json``) checks shape, field
   names and the fixed vocabularies;
2. checks a schema cannot express: ISO country codes, duplicate rule ids, the final catch-all,
   overlapping risk periods.

Every problem names the rule (by id), the field, the reason and, for YAML (or JSON) text, the
line. A document with any problem is refused as a whole: nothing is returned.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from .conditions import (
    FLAG_FIELDS,
    AgeAtLeast,
    AgeBelow,
    AllOf,
    Always,
    AnyOf,
    CategoryIn,
    Condition,
    DepartsWithinHours,
    DestinationIs,
    FlagIs,
    HasAccreditation,
    JurisdictionIn,
    LabResultIn,
    NotOf,
    TemperatureAtLeast,
    Visited,
)
from .countries import ISO_3166_ALPHA2
from .model import Outcome, Rule, RuleSet, StepSpec
from .risk import RiskList, RiskPeriod
from .vocabulary import Disposition, RiskLevel, SiteType, Step
from .yaml_source import Path, YamlProblem, line_of, parse_yaml

Source = str | bytes | Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Problem:
    rule_id: str | None  # None for problems outside any rule (and in risk lists)
    field: str  # dotted path inside the rule, or inside the document
    reason: str
    line: int | None = None  # 1-based, when the document came as text

    def __str__(self) -> str:
        where = [f"line {self.line}"] if self.line is not None else []
        if self.rule_id is not None:
            where.append(f"rule {self.rule_id!r}")
        if self.field:
            where.append(self.field)
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


class PolicyError(ValueError):
    """A policy document was refused. ``problems`` lists every reason found."""

    def __init__(self, problems: Collection[Problem]) -> None:
        ordered = sorted(problems, key=lambda p: (p.line or 0, p.rule_id or "", p.field))
        self.problems: tuple[Problem, ...] = tuple(ordered)
        super().__init__("\n".join(str(p) for p in self.problems))


# --- public entry points -------------------------------------------------------------------


def load_rules(source: Source, *, known_countries: Collection[str] | None = None) -> RuleSet:
    """Validate a rules version given as YAML/JSON text or as already parsed data."""
    data, lines = _read(source)
    problems = _Problems(lines, data)
    problems.extend_from_schema(_validator("schema.json"), data)
    problems.raise_if_any()
    rule_set = _build_rules(data, problems, _countries(known_countries))
    problems.raise_if_any()
    return rule_set


def load_risk_list(source: Source, *, known_countries: Collection[str] | None = None) -> RiskList:
    """Validate a risk list given as YAML/JSON text or as already parsed data."""
    data, lines = _read(source)
    problems = _Problems(lines, data)
    problems.extend_from_schema(_validator("risk_list.schema.json"), data)
    problems.raise_if_any()
    risk_list = _build_risk_list(data, problems, _countries(known_countries))
    problems.raise_if_any()
    return risk_list


@cache
def published_schema(name: str = "schema.json") -> dict[str, Any]:
    """The JSON schema shipped with the engine ("schema.json" or "risk_list.schema.json")."""
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


# --- reading -------------------------------------------------------------------------------


def _read(source: Source) -> tuple[Any, dict[Path, int] | None]:
    if isinstance(source, Mapping):
        return source, None
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8")
        except UnicodeDecodeError as error:
            raise PolicyError([Problem(None, "", f"not UTF-8 text: {error}")]) from None
    # JSON is (for our purposes) YAML, and reading it as YAML gives line numbers too.
    try:
        return parse_yaml(source)
    except YamlProblem as problem:
        field = _dotted(problem.path)
        raise PolicyError([Problem(None, field, problem.reason, problem.line)]) from None


def _countries(known: Collection[str] | None) -> frozenset[str]:
    return ISO_3166_ALPHA2 if known is None else frozenset(known)


@cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = published_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


# --- collecting problems -------------------------------------------------------------------


class _Problems:
    """Problems found so far, each located by its path in the document."""

    def __init__(self, lines: dict[Path, int] | None, data: Any) -> None:
        self.lines = lines
        self._data = data
        self._found: list[Problem] = []

    def add(self, path: Path, reason: str) -> None:
        rule_id, field = self._locate(path)
        self._found.append(Problem(rule_id, field, reason, line_of(self.lines, path)))

    def extend_from_schema(self, validator: jsonschema.protocols.Validator, data: Any) -> None:
        for error in validator.iter_errors(data):
            for path, reason in _describe(error):
                self.add(path, reason)

    def raise_if_any(self) -> None:
        if self._found:
            raise PolicyError(self._found)

    def _locate(self, path: Path) -> tuple[str | None, str]:
        """Split a document path into the rule it is in and the field inside that rule."""
        if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
            rules = self._data.get("rules") if isinstance(self._data, Mapping) else None
            rule = rules[path[1]] if isinstance(rules, list) and path[1] < len(rules) else None
            rule_id = rule.get("id") if isinstance(rule, Mapping) else None
            if isinstance(rule_id, str):
                return rule_id, _dotted(path[2:])
        return None, _dotted(path)


def _dotted(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


# Field names as they read in a sentence: "unknown risk level 'extreme'".
_NOUNS = {
    "steps": "step",
    "step": "step",
    "risk_at_least": "risk level",
    "level": "risk level",
    "countries": "country code",
    "test_result": "test result",
    "category": "traveler category",
    "site_type": "site type",
}


def _describe(error: jsonschema.ValidationError) -> Iterator[tuple[Path, str]]:
    """Turn one schema error into (path, reason) pairs an administrator can act on."""
    path: Path = tuple(error.absolute_path)
    kind = error.validator
    if kind in ("anyOf", "oneOf") and error.context:
        branch = _closest_branch(error)
        if branch is not None:
            yield from _describe(branch)
        else:
            options = " or ".join(sorted({e.message for e in error.context}))
            yield path, f"{error.instance!r} is not allowed here: {options}"
    elif kind == "additionalProperties":
        allowed = error.schema.get("properties", {})
        for key in error.instance:
            if key not in allowed:
                yield (*path, key), f"unknown field {key!r}"
    elif kind == "required":
        for key in error.validator_value:
            if key not in error.instance:
                yield path, f"missing field {key!r}"
    elif kind == "enum":
        name = next((p for p in reversed(path) if isinstance(p, str)), "value")
        expected = ", ".join(str(v) for v in error.validator_value if v is not None)
        noun = _NOUNS.get(name, name.replace("_", " "))
        yield path, f"unknown {noun} {error.instance!r}; expected one of: {expected}"
    elif kind == "maxProperties":
        keys = ", ".join(error.instance)
        yield path, f"a condition has exactly one key, found {keys}; combine them with all/any"
    elif kind == "minProperties":
        yield path, "an empty condition; write a test such as 'symptoms: true'"
    else:
        yield path, error.message


def _closest_branch(error: jsonschema.ValidationError) -> jsonschema.ValidationError | None:
    """Of the alternatives of an anyOf, the error of the one the author evidently meant:
    the one that got past the type check and went deepest into the value."""
    depth = len(error.absolute_path)
    meant = [
        e
        for e in error.context
        if not (e.validator in ("type", "const") and len(e.absolute_path) == depth)
    ]
    if not meant:
        return None
    return max(meant, key=lambda e: len(e.absolute_path))


# --- building the rules --------------------------------------------------------------------


def _as_set(value: str | list[str]) -> frozenset[str]:
    return frozenset([value] if isinstance(value, str) else value)


class _ConditionBuilder:
    def __init__(self, problems: _Problems, countries: frozenset[str]) -> None:
        self._problems = problems
        self._countries = countries
        self._leaves: dict[str, Callable[[Any, Path], Condition]] = {
            "temperature_at_least": lambda v, p: TemperatureAtLeast(float(v)),
            "test_result": lambda v, p: LabResultIn(_as_set(v)),
            "age_at_least": lambda v, p: AgeAtLeast(v),
            "age_below": lambda v, p: AgeBelow(v),
            "category": lambda v, p: CategoryIn(_as_set(v)),
            "has_accreditation": lambda v, p: HasAccreditation(v),
            "destination": lambda v, p: DestinationIs(v),
            "destination_jurisdiction": lambda v, p: JurisdictionIn(_as_set(v)),
            "departs_within_hours": lambda v, p: DepartsWithinHours(float(v)),
            "visited": self._visited,
        }
        for flag in FLAG_FIELDS:
            self._leaves[flag] = lambda v, p, flag=flag: FlagIs(flag, v)

    def build(self, raw: Mapping[str, Any], path: Path) -> Condition:
        ((key, value),) = raw.items()  # the schema guarantees exactly one key
        here = (*path, key)
        if key in ("all", "any"):
            items = tuple(self.build(item, (*here, i)) for i, item in enumerate(value))
            return AllOf(items) if key == "all" else AnyOf(items)
        if key == "not":
            return NotOf(self.build(value, here))
        return self._leaves[key](value, here)

    def _visited(self, value: Mapping[str, Any], path: Path) -> Visited:
        countries = value.get("countries")
        for index, code in enumerate(countries or ()):
            if code not in self._countries:
                self._problems.add(
                    (*path, "countries", index),
                    f"unknown country code {code!r} (not ISO 3166-1 alpha-2)",
                )
        level = value.get("risk_at_least")
        return Visited(
            within_days=value["within_days"],
            risk_at_least=RiskLevel(level) if level is not None else None,
            countries=frozenset(countries) if countries is not None else None,
            include_transit=value.get("include_transit", False),
        )


def _build_rules(
    data: Mapping[str, Any], problems: _Problems, countries: frozenset[str]
) -> RuleSet:
    conditions = _ConditionBuilder(problems, countries)
    lines = problems.lines
    rules: list[Rule] = []
    first_line_of_id: dict[str, int | None] = {}
    for index, raw in enumerate(data["rules"]):
        path: Path = ("rules", index)
        when = raw.get("when", "always")
        condition = Always() if when == "always" else conditions.build(when, (*path, "when"))
        then = raw["then"]
        steps = tuple(
            _step(step, (*path, "then", "steps", i), conditions)
            for i, step in enumerate(then.get("steps", ()))
        )
        site = then.get("site_type")
        outcome = Outcome(
            disposition=Disposition(then["disposition"]),
            site_type=SiteType(site) if site is not None else None,
            quarantine_days=then.get("quarantine_days"),
            steps=steps,
        )
        rule = Rule(raw["id"], condition, outcome, raw.get("title"), line_of(lines, path))
        if rule.id in first_line_of_id:
            first = first_line_of_id[rule.id]
            seen = f" (first used on line {first})" if first is not None else ""
            problems.add((*path, "id"), f"duplicate rule id{seen}")
        else:
            first_line_of_id[rule.id] = rule.line
        rules.append(rule)

    # Exactly one catch-all, at the end: every arrival gets a disposition, and no rule is dead.
    for index, rule in enumerate(rules[:-1]):
        if isinstance(rule.when, Always):
            later = ", ".join(r.id for r in rules[index + 1 :])
            problems.add(
                ("rules", index, "when"),
                f"a catch-all before the last rule makes the rules after it unreachable ({later})",
            )
    if not isinstance(rules[-1].when, Always):
        problems.add(
            ("rules", len(rules) - 1, "when"),
            "the last rule must be a catch-all (no 'when', or 'when: always') "
            "so that every arrival gets a disposition",
        )
    return RuleSet(version=data["version"], rules=tuple(rules), title=data.get("title"))


def _step(raw: str | Mapping[str, Any], path: Path, conditions: _ConditionBuilder) -> StepSpec:
    if isinstance(raw, str):
        return StepSpec(Step(raw))
    return StepSpec(Step(raw["step"]), conditions.build(raw["when"], (*path, "when")))


# --- building the risk list ----------------------------------------------------------------


def _build_risk_list(
    data: Mapping[str, Any], problems: _Problems, countries: frozenset[str]
) -> RiskList:
    periods: list[tuple[int, RiskPeriod]] = []
    for index, raw in enumerate(data["entries"]):
        path: Path = ("entries", index)
        if raw["country"] not in countries:
            problems.add(
                (*path, "country"),
                f"unknown country code {raw['country']!r} (not ISO 3166-1 alpha-2)",
            )
        period = RiskPeriod(
            country=raw["country"],
            level=RiskLevel(raw["level"]),
            date_from=date.fromisoformat(raw["from"]),
            date_to=date.fromisoformat(raw["to"]) if raw.get("to") is not None else None,
        )
        if period.date_to is not None and period.date_to < period.date_from:
            problems.add((*path, "to"), f"ends ({period.date_to}) before it starts")
        periods.append((index, period))

    # One level per country per day: two periods of one country may not share a day. Sorted by
    # start, any overlap shows between neighbours; it is reported on the entry written later
    # in the document (usually the one just added), pointing at the other.
    ordered = sorted(periods, key=lambda ip: (ip[1].country, ip[1].date_from))
    for (i, a), (j, b) in zip(ordered, ordered[1:], strict=False):
        if a.country != b.country or b.date_from > a.last_day:
            continue
        (earlier_index, earlier), later_index = ((i, a), j) if i < j else ((j, b), i)
        at = line_of(problems.lines, ("entries", earlier_index))
        where = f"line {at}" if at is not None else f"entries[{earlier_index}]"
        until = earlier.date_to.isoformat() if earlier.date_to else "open-ended"
        problems.add(
            ("entries", later_index, "from"),
            f"period of {earlier.country} overlaps its {earlier.level.value} period "
            f"{earlier.date_from.isoformat()} – {until} ({where})",
        )
    return RiskList(
        version=data["version"],
        periods=tuple(p for _, p in periods),
        title=data.get("title", ""),
    )
