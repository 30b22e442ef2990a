"""The retention rules: for each kind of record, how many days after which reference date it is
anonymized, and which statistical fields it keeps.

The defaults below are safe (PIPL art. 19 and 47: the shortest time necessary); a city changes
them in ``reference/<city>/retention.csv`` (columns ``rule,days,keep``; ``keep`` is a
space-separated list taken from the rule's ``may_keep``). A rule the file does not name keeps its
default. Identifying fields (names, document numbers, phones, e-mail, address, seat, free text)
and files are never in ``may_keep``: they always go.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from liaison.retention.models import Kind

FILE = "retention.csv"
MAX_DAYS = 36500


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str
    days: int
    keep: frozenset[str]
    may_keep: frozenset[str]
    reference: object  # a lazy translated phrase: "after release from quarantine"

    def due_on(self, reference_date: date | None) -> date | None:
        """The day a record whose reference date is ``reference_date`` is anonymized."""
        if reference_date is None:
            return None
        return reference_date + timedelta(days=self.days)

    def cutoff(self, today: date) -> date:
        """Records whose reference date is on or before this day are due ``today``."""
        return today - timedelta(days=self.days)


ARRIVAL_STATS = frozenset(
    {"sex", "year_of_birth", "nationality", "language", "category", "symptoms", "conditions"}
)

DEFAULTS: tuple[Rule, ...] = (
    # Taiwan deleted travelers' location data 28 days after quarantine (2020).
    Rule(
        "arrival.released",
        Kind.ARRIVAL,
        28,
        frozenset({"sex", "year_of_birth", "nationality", "category", "symptoms"}),
        ARRIVAL_STATS,
        _("days after release from quarantine"),
    ),
    # Never quarantined: hospital, onward transfer, or a declaration nobody followed.
    Rule(
        "arrival.not_quarantined",
        Kind.ARRIVAL,
        28,
        frozenset({"sex", "year_of_birth", "nationality", "category", "symptoms"}),
        ARRIVAL_STATS,
        _("days after arrival (travelers never quarantined)"),
    ),
    Rule(
        "case.closed",
        Kind.CASE,
        365,
        frozenset({"nationality"}),
        frozenset({"nationality", "location_city"}),
        _("days after the case was closed"),
    ),
    Rule(
        "notification.closed",
        Kind.NOTIFICATION,
        365,
        frozenset({"nationality"}),
        frozenset({"nationality"}),
        _("days after the consulate acknowledged it or it was cancelled"),
    ),
    Rule(
        "manifest.flight",
        Kind.MANIFEST_ENTRY,
        28,
        frozenset(),
        frozenset(),
        _("days after the flight"),
    ),
    Rule(
        "results_file.uploaded",
        Kind.RESULTS_FILE,
        28,
        frozenset(),
        frozenset(),
        _("days after the file was uploaded"),
    ),
    Rule(
        "person.left_post",
        Kind.PERSON,
        730,
        frozenset({"title"}),
        frozenset({"title", "languages"}),
        _("days after the person left their post"),
    ),
    # The officer's note is free text, which may name travelers without linking to them (so
    # their own anonymization cannot reach it). Who handed over to whom, when, the
    # countersignature and the incidents shown stay: the duty record.
    Rule(
        "handover.written",
        Kind.HANDOVER,
        90,
        frozenset(),
        frozenset(),
        _("days after the shift was handed over"),
    ),
    # The same holds for the duty log and the incidents: an entry or an incident about a
    # traveler or a case goes with that record (``kinds._erase_words_about``); these rules reach
    # the free text that names nobody by a link. When, who, type, severity, status and the
    # links stay: the office's record of its duty.
    Rule(
        "duty_log.written",
        Kind.DUTY_LOG_ENTRY,
        365,
        frozenset(),
        frozenset(),
        _("days after the entry was written"),
    ),
    Rule(
        "incident.closed",
        Kind.INCIDENT,
        365,
        frozenset(),
        frozenset(),
        _("days after the incident was closed"),
    ),
)


def _rules_dir() -> Path:
    return Path(settings.LIAISON_REFERENCE_DIR) / settings.LIAISON_CITY


def read_rules(path: Path) -> tuple[Rule, ...]:
    """The defaults with the file's changes; a bad file is refused whole, naming the line."""
    by_code = {rule.code: rule for rule in DEFAULTS}
    if not path.exists():
        return DEFAULTS
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if not reader.fieldnames or {"rule", "days"} - set(reader.fieldnames):
            raise ImproperlyConfigured(f"{path}: the columns are rule,days,keep")
        for line, row in enumerate(reader, start=2):
            code = (row.get("rule") or "").strip()
            if code not in by_code:
                raise ImproperlyConfigured(f"{path}:{line}: there is no rule {code!r}")
            try:
                days = int((row.get("days") or "").strip())
            except ValueError:
                raise ImproperlyConfigured(f"{path}:{line}: days must be a whole number") from None
            if not 1 <= days <= MAX_DAYS:
                raise ImproperlyConfigured(f"{path}:{line}: days must be from 1 to {MAX_DAYS}")
            keep = frozenset((row.get("keep") or "").split())
            extra = keep - by_code[code].may_keep
            if extra:
                raise ImproperlyConfigured(
                    f"{path}:{line}: {code} may not keep {', '.join(sorted(extra))}"
                )
            by_code[code] = replace(by_code[code], days=days, keep=keep)
    return tuple(by_code[rule.code] for rule in DEFAULTS)


@lru_cache(maxsize=4)
def _rules_for(path: str, mtime: float) -> tuple[Rule, ...]:
    return read_rules(Path(path))


def rules() -> tuple[Rule, ...]:
    """The rules in force (re-read when the city's file changes)."""
    path = _rules_dir() / FILE
    mtime = path.stat().st_mtime if path.exists() else 0.0
    return _rules_for(str(path), mtime)


def rule(code: str) -> Rule:
    for candidate in rules():
        if candidate.code == code:
            return candidate
    raise LookupError(code)


def rules_of(kind: str) -> list[Rule]:
    return [r for r in rules() if r.kind == kind]
