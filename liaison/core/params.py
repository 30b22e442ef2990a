"""One way to read what a URL carries: record ids in paths, dates and numbers in query strings.

Malformed input is not an error of the server: an id beyond what the database can store is no
record (404), a date no calendar has, or one out of the years the app deals in, is no date. The
readers here return ``None`` for those, and the page says what it expected or falls back on its
default; nothing past them meets a number or a year it cannot handle.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.urls import register_converter
from pydantic import AfterValidator, Field

# The largest primary key of a 64-bit signed integer column (PostgreSQL bigint, SQLite INTEGER).
MAX_ID = 2**63 - 1
# The years a date of the app may fall in: a traveler born in 1900, a plan made for 2199. Days a
# page steps back and forth from (a week of the board) stay far from the calendar's ends.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)


class IdConverter:
    """``<id:pk>``: a record id, 1 to 19 digits and at most ``MAX_ID`` (else the URL matches
    nothing: 404, never an overflow in the database)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("beyond a 64-bit id")
        return number

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")


def query_id(value: str | None) -> int | None:
    """A record id from a query parameter, or None when absent or not a possible id."""
    text = (value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def query_date(value: str | None) -> date | None:
    """An ISO date (YYYY-MM-DD) from a query parameter, or None when absent, not a date, or out
    of the years the app deals in."""
    text = (value or "").strip()
    if not text or len(text) > 10 or not text.isascii():
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if in_range(day) else None


def in_range(moment: date | datetime) -> bool:
    """Does a date or a time fall in the years the app deals in (safe to shift by days, to
    convert between time zones, to store)?"""
    day = moment.date() if isinstance(moment, datetime) else moment
    return EARLIEST <= day <= LATEST


def _within_years(moment):
    if moment is not None and not in_range(moment):
        raise ValueError(f"must fall between {EARLIEST.isoformat()} and {LATEST.isoformat()}")
    return moment


# Types for API parameters: an id the database can hold, a day or time in the app's years.
ApiId = Annotated[int, Field(ge=1, le=MAX_ID)]
ApiDate = Annotated[date, AfterValidator(_within_years)]
ApiDateTime = Annotated[datetime, AfterValidator(_within_years)]


def validate_years(value) -> None:
    """A form field's validator: a date or time in the years the app deals in."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if value is not None and not in_range(value):
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST.year, "latest": LATEST.year},
            code="out_of_range",
        )
