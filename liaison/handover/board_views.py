"""The closed-loop board leads somewhere: one traveler's page for every board reader, and where
each name and batch on the board links to for this reader."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from liaison.arrivals import selectors as arrival_selectors
from liaison.core.access import Area, can, requires
from liaison.handover import selectors
from liaison.screening.next_step import next_step


def links_for(user) -> dict[str, str]:
    """URL names a board page links names and batches to: the desk's traveler page for the
    airport desk, else the board's own; the dispatch batch page for dispatch (else no link)."""
    return {
        "traveler_page": (
            "screening:desk_arrival" if can(user, Area.ARRIVALS_DESK) else "handover:board_traveler"
        ),
        "batch_page": "handover:batch" if can(user, Area.ARRIVALS_DISPATCH) else "",
    }


@requires(Area.ARRIVALS_BOARD)
def board_traveler(request: HttpRequest, pk: int) -> HttpResponse:
    """Where one traveler is and what comes next: their state, flight, destination, batches
    and next step (the same selector as the desk's), read once in the audit trail."""
    arrival = arrival_selectors.open_arrival(request.user, pk, Area.ARRIVALS_BOARD)
    memberships = selectors.memberships_of(arrival)
    return render(
        request,
        "handover/board_traveler.html",
        {
            **links_for(request.user),
            "arrival": arrival,
            "memberships": memberships,
            "next_step": next_step(request.user, arrival),
        },
    )
