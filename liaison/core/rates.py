"""A rate of requests, as the settings write it ("60/min"): no Django, so that the settings
can refuse a malformed one at start (``LIAISON_DECLARATION_RATE``) with the same grammar the
rate limit reads (``liaison.core.rate_limit``)."""

from __future__ import annotations

from dataclasses import dataclass

_PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


@dataclass(frozen=True)
class Rate:
    """``limit`` requests per ``period`` seconds."""

    limit: int
    period: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """ "60/min", "10/s", "1000/day", "5/10m"; ``ValueError`` for anything else."""
        count, _slash, unit = text.strip().partition("/")
        digits = unit.rstrip("abcdefghijklmnopqrstuvwxyz")
        name = unit[len(digits) :]
        if not _digits(count) or name not in _PERIODS or (digits and not _digits(digits)):
            raise ValueError(f"not a rate: {text!r} (e.g. 60/min)")
        period = int(digits or 1) * _PERIODS[name]
        if period <= 0:
            raise ValueError(f"not a rate: {text!r} (e.g. 60/min)")
        return cls(int(count), period)


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()  # not "²" or "٣", which str.isdigit takes
