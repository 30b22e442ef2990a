"""The calendar's ranges: a week (Monday to Sunday) or a month of the office's calendar, and
the one cap every range obeys (a page, the API). Pure: dates in, dates out."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from liaison.core.params import EARLIEST, LATEST
from liaison.core.refusals import Refused

# A quarter and a day: long enough for any month and its neighbours, short enough that a range
# is one page of a few hundred items, never the whole log.
MAX_DAYS = 92
WEEK, MONTH = "week", "month"
SPANS = (WEEK, MONTH)


@dataclass(frozen=True)
class Range:
    first: date
    last: date  # included
    span: str = ""

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    @property
    def previous(self) -> date | None:
        """The start of the range before this one, or None at the years' edge."""
        if self.span == MONTH:
            day = (self.first - timedelta(days=1)).replace(day=1)
        else:
            day = self.first - timedelta(days=7)
        return day if day >= EARLIEST else None

    @property
    def next(self) -> date | None:
        day = self.last + timedelta(days=1)
        return day if day <= LATEST - timedelta(days=40) else None


def span_of(start: date, span: str) -> Range:
    """The week (from its Monday) or the month around ``start``."""
    if span == MONTH:
        first = start.replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        return Range(first, last, MONTH)
    first = start - timedelta(days=start.weekday())
    return Range(first, first + timedelta(days=6), WEEK)


def between(first: date, last: date) -> Range:
    """A range given by its two days (the API): in order, and at most ``MAX_DAYS`` long."""
    if last < first:
        raise Refused(_("The range ends before it starts."), "end")
    if (last - first).days + 1 > MAX_DAYS:
        raise Refused(_("A range is at most %(days)d days long.") % {"days": MAX_DAYS}, "end")
    return Range(first, last)
