"""The shift handover: the outgoing officer writes a note, the incoming officer countersigns it
after being shown every open incident with its deadline. Until it is countersigned the outgoing
officer stays on duty (``still_on_duty``, which the roster's ``on_duty`` adds to its answer).

The countersignature names how many open incidents the incoming officer was shown: if one was
opened or closed meanwhile the count no longer matches and they are shown the list again.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from liaison.core.access import Area, can
from liaison.core.refusals import Conflict, Refused
from liaison.incidents.models import Handover, Incident


def open_incidents():
    """What the incoming officer must be shown: every incident not closed, exercises marked."""
    return Incident.objects.live().select_related("owner").order_by("ack_due_at", "pk")


@transaction.atomic
def write(*, outgoing, incoming, note: str, at: datetime) -> Handover:
    if not can(outgoing, Area.DUTY):
        raise Refused(_("Only a duty officer hands a shift over."), status=403)
    if incoming is None or not can(incoming, Area.DUTY):
        raise Refused(_("Hand over to a duty officer."), "incoming")
    if incoming.pk == outgoing.pk:
        raise Refused(_("Hand over to someone else."), "incoming")
    if not note.strip():
        raise Refused(_("Write the handover note."), "note")
    if Handover.objects.filter(outgoing=outgoing, countersigned_at__isnull=True).exists():
        raise Conflict(_("Your previous handover is not countersigned yet."), "incoming")
    return Handover.objects.create(
        outgoing=outgoing, incoming=incoming, note=note.strip(), written_at=at
    )


@transaction.atomic
def countersign(*, handover: Handover, by, confirmed_count: int, at: datetime) -> Handover:
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if by.pk == handover.outgoing_id:
        raise Refused(_("The outgoing officer cannot countersign their own handover."), status=403)
    if by.pk != handover.incoming_id:
        raise Refused(_("Only the incoming officer countersigns."), status=403)
    if handover.countersigned_at is not None:
        raise Conflict(_("This handover is countersigned already."))
    shown = list(open_incidents().values_list("pk", flat=True))
    if confirmed_count != len(shown):
        raise Refused(
            _("There are %(n)s open incidents; read them all and confirm their number.")
            % {"n": len(shown)},
            "confirmed_count",
        )
    handover.countersigned_at = at
    handover.incidents_shown = shown
    handover.save(update_fields=["countersigned_at", "incidents_shown"])
    return handover


def still_on_duty(user, at: datetime) -> bool:
    """Has ``user`` handed over a shift that was not countersigned by ``at``?"""
    return Handover.objects.filter(
        Q(countersigned_at__isnull=True) | Q(countersigned_at__gt=at),
        outgoing=user,
        written_at__lte=at,
    ).exists()
