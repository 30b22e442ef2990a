"""A period read from a query string (``since``/``until``, ISO dates, both included), shared by
the public transparency page and the office's reports. Anything else in the query, a malformed
date or an end before the start is refused (400): the page says what it expected."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from liaison.core.exports import FORMATS
from liaison.core.params import query_date
from liaison.core.refusals import Refused


@dataclass(frozen=True)
class Query:
    since: date | None = None
    until: date | None = None
    fmt: str = ""


def read_query(params, *, allowed=("since", "until", "format")) -> Query:
    unknown = [key for key in params if key not in allowed]
    problems = [(key, _("This is not a parameter of this page.")) for key in unknown]
    found = {}
    for key in ("since", "until"):
        raw = params.get(key, "")
        if raw:
            found[key] = query_date(raw)
            if found[key] is None:
                problems.append((key, _("Give a date as YYYY-MM-DD.")))
    fmt = params.get("format", "")
    if fmt and fmt not in FORMATS:
        problems.append(("format", _("Choose CSV or XLSX.")))
    since, until = found.get("since"), found.get("until")
    if since and until and until < since:
        problems.append(("until", _("The end of the period is before its start.")))
    if any(len(params.getlist(key)) > 1 for key in params):
        problems.append(("", _("Give each parameter once.")))
    if problems:
        raise Refused(problems=problems)
    return Query(since=since, until=until, fmt=fmt)
