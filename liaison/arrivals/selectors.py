"""Reads of the arrivals desk, each through the access layer: what may this user see?"""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from liaison.arrivals.models import Arrival, ConflictingDeclaration, Flight, ManifestEntry
from liaison.core import audit
from liaison.core.access import Area, can, jurisdiction_filter, scoped
from liaison.core.normalize import declaration_code
from liaison.core.selectors import get_visible

ARRIVAL_AREAS = (
    Area.ARRIVALS_DESK,
    Area.ARRIVALS_SAMPLING,
    Area.ARRIVALS_LAB,
    Area.ARRIVALS_DISPATCH,
    Area.ARRIVALS_RECEIVING,
    Area.ARRIVALS_BOARD,
)


def arrivals_visible_to(user, area: Area | None = None) -> QuerySet[Arrival]:
    """The arrivals this user may see: city-level roles all, a district officer only those bound
    for their jurisdiction, anyone outside the arrival desks none. ``area`` narrows it to one desk.
    """
    queryset = Arrival.objects.select_related("flight", "jurisdiction")
    if area is not None:
        return scoped(queryset, user, area, field="jurisdiction")
    if not any(can(user, a) for a in ARRIVAL_AREAS):
        return queryset.none()
    return queryset.filter(jurisdiction_filter(user, "jurisdiction"))


def open_arrival(user, pk: int, area: Area | None = None) -> Arrival:
    """One person's record for a page: a logged 404 if not visible, else the read logged."""
    arrival = get_visible(arrivals_visible_to(user, area), "arrivals.arrival", pk=pk)
    audit.record_reads(Arrival, [arrival])
    return arrival


def arrival_by_status_token(token: str) -> Arrival | None:
    """The traveler's own record behind their private link (no account: the token is the key)."""
    if not token or len(token) > 64:
        return None
    return (
        Arrival.objects.select_related("flight", "jurisdiction").filter(status_token=token).first()
    )


def declared_data(arrival: Arrival) -> dict:
    """The declaration on file: its latest version, as validated (the traveler's own page)."""
    return arrival.revisions.order_by("-number").values_list("data", flat=True).first() or {}


def events_of(arrival: Arrival):
    """The history of an arrival already opened through the access layer, with its actors."""
    return arrival.events.select_related("actor")


def revisions_of(arrival: Arrival):
    """The declared versions of an arrival already opened, with who entered each."""
    return arrival.revisions.select_related("entered_by")


def conflicts_of(arrival: Arrival) -> list[ConflictingDeclaration]:
    """The declarations that claimed this arrival without its proof, open ones first.

    For the desk, beside an arrival already opened through the access layer."""
    conflicts = arrival.conflicts.select_related("entered_by", "resolved_by", "revision")
    return sorted(conflicts, key=lambda c: (not c.is_open, c.submitted_at))


def _shown(value) -> str:
    if isinstance(value, list):
        return "; ".join(
            " ".join(str(v) for v in row.values() if v) if isinstance(row, dict) else str(row)
            for row in value
        )
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return "" if value is None else str(value)


def differences(on_file: dict, submitted: dict) -> list[dict[str, str]]:
    """What a conflicting declaration would change: each field's label, value on file, value
    submitted (for the desk, which sees both)."""
    from liaison.arrivals.forms import DeclarationForm
    from liaison.arrivals.reference_cache import active_jurisdictions

    fields = DeclarationForm.base_fields
    labels = {"history": _("Residence and travel history"), "transits": _("Transit points")}
    places = active_jurisdictions()

    def shown(name, value) -> str:
        if name == "jurisdiction" and value in places:
            return f"{places[value]} ({value})"
        return _shown(value)

    return [
        {
            "field": name,
            "label": str(labels.get(name) or (fields[name].label if name in fields else name)),
            "on_file": shown(name, on_file.get(name)),
            "submitted": shown(name, value),
        }
        for name, value in submitted.items()
        if on_file.get(name) != value
    ]


def open_conflict_count(arrival: Arrival) -> int:
    """How many conflicting declarations of this arrival wait for the desk (the pages' flag)."""
    return arrival.conflicts.filter(resolution=ConflictingDeclaration.Resolution.OPEN).count()


def timeline_entries(arrival: Arrival) -> list[dict]:
    """The declaration's own history for the timeline: later versions (the traveler's, or an
    officer's with the reason) and conflicting declarations, received and resolved."""
    entries = []
    for revision in arrival.revisions.filter(number__gt=1).select_related("entered_by"):
        why = _("Declaration version %(number)s (%(source)s)") % {
            "number": revision.number,
            "source": revision.get_source_display(),
        }
        if revision.reason:
            why = _("%(what)s. Reason: %(reason)s") % {"what": why, "reason": revision.reason}
        entries.append(
            {
                "at": revision.submitted_at,
                "kind": "amendment",
                "who": revision.entered_by,
                "why": why,
            }
        )
    for conflict in arrival.conflicts.select_related("entered_by", "resolved_by"):
        entries.append(
            {
                "at": conflict.submitted_at,
                "kind": "conflict",
                "who": conflict.entered_by,
                "where": conflict.client_address or "",
                "why": _("Conflicting declaration %(reference)s (%(source)s): it changed nothing")
                % {
                    "reference": conflict.display_reference,
                    "source": conflict.get_source_display(),
                },
                "after": conflict.get_resolution_display() if conflict.is_open else "",
            }
        )
        if conflict.resolved_by_id:
            entries.append(
                {
                    "at": conflict.resolved_at,
                    "kind": "conflict",
                    "who": conflict.resolved_by,
                    "why": _(
                        "Conflicting declaration %(reference)s: %(resolution)s. Reason: %(reason)s"
                    )
                    % {
                        "reference": conflict.display_reference,
                        "resolution": conflict.get_resolution_display(),
                        "reason": conflict.reason,
                    },
                }
            )
    return entries


def open_conflict(user, arrival_pk: int, pk: int, area: Area | None = None):
    """A conflicting declaration of an arrival this user may see (a logged 404 if not)."""
    arrival = open_arrival(user, arrival_pk, area)
    return get_visible(
        ConflictingDeclaration.objects.filter(arrival=arrival).select_related("arrival"),
        "arrivals.conflictingdeclaration",
        pk=pk,
    )


def conflict_by_reference(user, reference: str, area: Area | None = None):
    """The conflicting declaration with this reference, if this user may see its arrival."""
    reference = declaration_code(reference)[:16]
    return (
        ConflictingDeclaration.objects.filter(
            reference=reference, arrival__in=arrivals_visible_to(user, area)
        )
        .select_related("arrival")
        .first()
    )


def flights_visible_to(user) -> QuerySet[Flight]:
    if not can(user, Area.ARRIVALS_DESK) and not can(user, Area.ARRIVALS_BOARD):
        return Flight.objects.none()
    return Flight.objects.select_related("port").annotate(
        declared=Count("arrivals", distinct=True), expected=Count("manifest", distinct=True)
    )


def reconcile(flight: Flight) -> dict[str, list]:
    """Who the airline listed but has not declared, and who declared but is not listed."""
    manifest = list(ManifestEntry.objects.filter(flight=flight))
    arrivals = list(Arrival.objects.filter(flight=flight))
    declared = {a.document_number for a in arrivals}
    listed = {m.document_number for m in manifest}
    return {
        "not_declared": [m for m in manifest if m.document_number not in declared],
        "not_on_manifest": [a for a in arrivals if a.document_number not in listed],
        "matched": [a for a in arrivals if a.document_number in listed],
    }
