"""Risk lists: which country was at which risk level from when to when.

A risk list is versioned separately from the rules (it changed every few days in spring 2020
while the rules stayed put). Periods are inclusive on both ends; an open end means "until
further notice".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .vocabulary import RISK_RANK, RiskLevel


@dataclass(frozen=True, slots=True)
class RiskPeriod:
    country: str
    level: RiskLevel
    date_from: date
    date_to: date | None = None

    @property
    def last_day(self) -> date:
        return self.date_to if self.date_to is not None else date.max


@dataclass(frozen=True, slots=True)
class RiskList:
    version: str
    periods: tuple[RiskPeriod, ...]
    title: str = ""


class RiskIndex:
    """The risk list reorganized for the questions rules ask: for a minimum level, which
    periods does each country have at or above it."""

    __slots__ = ("_by_rank", "version")

    def __init__(self, risk_list: RiskList) -> None:
        self.version = risk_list.version
        self._by_rank: dict[int, dict[str, tuple[RiskPeriod, ...]]] = {}
        for rank in sorted(set(RISK_RANK.values())):
            table: dict[str, list[RiskPeriod]] = {}
            for period in sorted(risk_list.periods, key=lambda p: (p.country, p.date_from)):
                if RISK_RANK[period.level] >= rank:
                    table.setdefault(period.country, []).append(period)
            self._by_rank[rank] = {country: tuple(ps) for country, ps in table.items()}

    def at_least(self, level: RiskLevel) -> dict[str, tuple[RiskPeriod, ...]]:
        return self._by_rank[RISK_RANK[level]]
