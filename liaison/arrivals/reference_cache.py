"""The city's reference data as the declaration reads it, kept in memory for a minute.

Reference data changes a few times a year; a declaration should not pay a query for it.
``load_reference`` (``arrivals.services``) forgets it when it changes.
"""

from __future__ import annotations

import time

from liaison.core.models import Jurisdiction

_REFERENCE_TTL = 60.0
_reference: dict = {"at": -_REFERENCE_TTL, "jurisdictions": {}}


def active_jurisdictions() -> dict[str, Jurisdiction]:
    """The city's active jurisdictions by code, read at most once a minute per process.

    Reference data changes a few times a year; a declaration should not pay a query for it.
    """
    now = time.monotonic()
    if now - _reference["at"] > _REFERENCE_TTL:
        _reference["jurisdictions"] = {
            j.code: j
            for j in Jurisdiction.objects.filter(active=True).order_by("sort_order", "code")
        }
        _reference["at"] = now
    return _reference["jurisdictions"]


def forget_reference() -> None:
    _reference["at"] = -_REFERENCE_TTL
