"""Staff writes on a traveler's declaration after the fact: resolving a conflicting declaration
and amending a declaration with a reason.

Once a traveler is past "declared" (and, for a declaration that claimed them without proof,
at any state) their data changes only here: an officer, a written reason, a new version of the
declaration that keeps both, and the audit trail.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from liaison.arrivals import services
from liaison.arrivals.declaration_data import IDENTITY_FIELDS, apply, identity_of
from liaison.arrivals.declaration_input import Declaration
from liaison.arrivals.models import Arrival, ConflictingDeclaration, DeclarationRevision, Source
from liaison.arrivals.states import ArrivalState, label
from liaison.core import audit
from liaison.core.models import User
from liaison.core.refusals import Conflict, Refused

Resolution = ConflictingDeclaration.Resolution
# Before the disposition: it is decided on the declared facts, and the handover follows it.
AMENDABLE_BY_STAFF = frozenset(
    {ArrivalState.DECLARED, ArrivalState.SCREENED, ArrivalState.SAMPLED, ArrivalState.RESULT}
)
OUTCOMES = (Resolution.DISMISSED, Resolution.APPLIED)
MAX_REASON = 500


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Refused(gettext("Write the reason: it is kept with the change."), "reason")
    if len(reason) > MAX_REASON:
        raise Refused(
            gettext("The reason is too long (at most %(n)d characters).") % {"n": MAX_REASON},
            "reason",
        )
    return reason


@transaction.atomic
def amend(
    *,
    arrival: Arrival,
    data: Mapping[str, Any] | Declaration,
    by: User,
    reason: str,
) -> DeclarationRevision:
    """An officer's new version of a traveler's declaration, with the reason.

    Allowed until the disposition (``AMENDABLE_BY_STAFF``); never the document, flight or day,
    which identify the arrival. Raises ``Refused`` or ``services.InvalidDeclaration``; nothing is
    changed then.
    """
    reason = _reason(reason)
    declaration = data if isinstance(data, Declaration) else services.validate(data)
    locked = Arrival.objects.select_for_update().select_related("flight").get(pk=arrival.pk)
    if locked.state not in AMENDABLE_BY_STAFF:
        raise Conflict(
            gettext(
                "The declaration can no longer be changed: the traveler is at the step "
                "“%(state)s”, past the disposition."
            )
            % {"state": label(locked.state)}
        )
    identity = identity_of(locked)
    changed = [name for name in IDENTITY_FIELDS if declaration.data[name] != identity[name]]
    if changed:
        raise Refused(
            gettext("The document, flight and day identify the arrival; they cannot be amended."),
            changed[0],
        )
    now = timezone.now()
    number = locked.revisions.count() + 1
    apply(locked, declaration.data, now=now)
    locked.save()  # audited (AuditedModel): the fields that changed
    revision = DeclarationRevision.objects.create(
        arrival=locked,
        number=number,
        data=declaration.data,
        source=Source.STAFF,
        entered_by=by,
        submitted_at=now,
        reason=reason,
    )
    audit.record("create", revision, note=f"staff amendment, version {number}")
    arrival.refresh_from_db()
    return revision


@transaction.atomic
def resolve_conflict(
    *, conflict: ConflictingDeclaration, by: User, reason: str, outcome: str
) -> ConflictingDeclaration:
    """Close a conflicting declaration with the officer's written reason.

    ``dismissed``: the declaration on file stays as it is. ``applied``: the conflicting data
    becomes the traveler's new version (``amend``, with the same reason), only while the state
    allows it. Raises ``Refused`` (nothing changed) for a missing reason, an unknown outcome, a
    conflict resolved meanwhile or a state that no longer allows the change.
    """
    reason = _reason(reason)
    if outcome not in OUTCOMES:
        raise Refused(gettext("Choose whether to dismiss or apply it."), "outcome")
    locked = ConflictingDeclaration.objects.select_for_update().get(pk=conflict.pk)
    if not locked.is_open:
        raise Conflict(gettext("This conflicting declaration was already resolved."))
    if outcome == Resolution.APPLIED:
        locked.revision = amend(
            arrival=locked.arrival, data=Declaration(locked.data), by=by, reason=reason
        )
    locked.resolution = outcome
    locked.reason = reason
    locked.resolved_by = by
    locked.resolved_at = timezone.now()
    locked.save()  # audited (AuditedModel): resolution, reason, by, when
    conflict.refresh_from_db()
    return locked
