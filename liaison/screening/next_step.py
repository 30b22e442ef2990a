"""What happens next to one traveler, from the state machine and the policy in force: the
desk page's "next step" and the board's traveler page.

A read only: the policy's decision is previewed with the traveler's stored facts
(``decision_for``, the one decision path), never written.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from liaison.arrivals import states
from liaison.arrivals.models import Arrival
from liaison.core.access import Area, can
from liaison.handover.models import BATCHED_DISPOSITIONS, BatchMember
from liaison.policy.models import DispositionChoice
from liaison.policy.selectors import NoPolicyInForce, policy_in_force
from liaison.screening.dispositions import decision_for
from liaison.screening.models import HistoryCheck, TemperatureReading
from liaison.screening.selectors import current_disposition

S = states.ArrivalState

LABELS: dict[str, Promise] = {
    "take_temperature": _("Take the temperature"),
    "check_history": _("Confirm or correct the travel history"),
    "mark_screened": _("Mark screened"),
    "screen_for_hospital": _("Mark screened: the policy sends this traveler to hospital"),
    "send_to_sampling": _("Send to sampling"),
    "wait_for_result": _("Wait for the laboratory's result"),
    "resample": _("Send for a re-sample: the result was inconclusive"),
    "hospital_transfer": _("Transfer to a designated hospital"),
    "onward_transfer": _("Closed-loop transfer to the onward departure"),
    "ready_for_dispatch": _("Ready for dispatch in a batch"),
    "decide": _("Decide the disposition"),
    "wait_for_receipt": _("On the way: the district confirms receipt"),
    "in_quarantine": _("In the district's care until release"),
    "done": _("Nothing more to do here"),
}
# Steps that cannot wait.
URGENT = frozenset({"screen_for_hospital", "hospital_transfer"})


@dataclass(frozen=True)
class NextStep:
    code: str
    # Where this user acts on it: a form of the desk page ("#…") or another page; "" if
    # someone else does.
    url: str = ""

    @property
    def label(self) -> str:
        return str(LABELS[self.code])

    @property
    def urgent(self) -> bool:
        return self.code in URGENT


def _page(user, area: Area, url_name: str, *args) -> str:
    return reverse(url_name, args=args) if can(user, area) else ""


def _at_the_desk(user, anchor: str) -> str:
    return f"#{anchor}" if can(user, Area.ARRIVALS_DESK) else ""


def _declared(user, arrival: Arrival) -> NextStep:
    if not TemperatureReading.objects.filter(arrival=arrival).exists():
        return NextStep("take_temperature", _at_the_desk(user, "temperature-form"))
    if not HistoryCheck.objects.filter(arrival=arrival).exists():
        return NextStep("check_history", _at_the_desk(user, "travel-history"))
    try:
        decision = decision_for(arrival.facts, policy_in_force())
    except (NoPolicyInForce, KeyError, TypeError, ValueError):  # no policy, unreadable facts
        decision = None
    if decision is not None and decision.disposition == DispositionChoice.HOSPITAL:
        return NextStep("screen_for_hospital", _at_the_desk(user, "screen"))
    return NextStep("mark_screened", _at_the_desk(user, "screen"))


def _disposed(user, arrival: Arrival) -> NextStep:
    current = current_disposition(arrival)
    if current is None:
        return NextStep("decide", _page(user, Area.ARRIVALS_DESK, "screening:timeline", arrival.pk))
    if current.disposition == DispositionChoice.HOSPITAL:
        if can(user, Area.ARRIVALS_DESK):
            return NextStep("hospital_transfer", "#hospital")
        return NextStep(
            "hospital_transfer", _page(user, Area.ARRIVALS_DISPATCH, "handover:dispatch")
        )
    if current.disposition == DispositionChoice.ONWARD_TRANSFER:
        return NextStep("onward_transfer", _page(user, Area.ARRIVALS_DISPATCH, "handover:dispatch"))
    if current.disposition in BATCHED_DISPOSITIONS and arrival.jurisdiction_id:
        url = _page(
            user,
            Area.ARRIVALS_DISPATCH,
            "handover:ready_group",
            arrival.jurisdiction_id,
            current.disposition,
        )
        return NextStep("ready_for_dispatch", url)
    return NextStep("ready_for_dispatch", _page(user, Area.ARRIVALS_DISPATCH, "handover:dispatch"))


def next_step(user, arrival: Arrival) -> NextStep:
    """The one next step of ``arrival`` (already opened through the access layer), with where
    ``user`` acts on it."""
    state = S(arrival.state)
    if state == S.DECLARED:
        return _declared(user, arrival)
    if state == S.SCREENED:
        return NextStep(
            "send_to_sampling", _page(user, Area.ARRIVALS_SAMPLING, "screening:sampling")
        )
    if state == S.SAMPLED:
        return NextStep("wait_for_result", _page(user, Area.ARRIVALS_LAB, "screening:lab"))
    if state == S.RESULT:
        return NextStep("resample", _page(user, Area.ARRIVALS_SAMPLING, "screening:sampling"))
    if state == S.DISPOSED:
        return _disposed(user, arrival)
    if state == S.IN_HANDOVER:
        member = BatchMember.objects.filter(arrival=arrival, open=True).first()
        url = ""
        if member is not None:
            url = _page(user, Area.ARRIVALS_DISPATCH, "handover:batch", member.batch_id)
        return NextStep("wait_for_receipt", url)
    if state == S.RECEIVED:
        url = _page(user, Area.ARRIVALS_RECEIVING, "handover:quarantine", arrival.pk)
        return NextStep("in_quarantine", url)
    return NextStep("done")
