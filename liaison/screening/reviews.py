"""A confirmed policy review re-disposes the traveler under the version that flagged them.

Publishing a version never moves anyone (``policy.services.publish``): it flags every current
traveler whose disposition would change. When an officer confirms such a review, the policy app
sends ``review_confirmed`` inside its transaction; this receiver writes the new disposition in
the same transaction, so the review and the traveler's disposition change together or not at all.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from liaison.arrivals.models import Arrival
from liaison.core.models import User
from liaison.core.refusals import Conflict
from liaison.policy.models import PolicyReview
from liaison.policy.selectors import compiled
from liaison.screening.dispositions import OVERRIDABLE, decision_for, notify_consulate
from liaison.screening.models import Disposition


def redispose(*, review: PolicyReview, by: User) -> Disposition | None:
    """Make the review's new version decide the traveler's disposition again.

    1. A traveler with no disposition yet is decided later, by the policy then in force: nothing
       to write now.
    2. A traveler already handed over keeps the disposition the district received them under;
       the review is refused, so that the officer asks the district instead.
    3. Otherwise the new version's decision (``decision_for``, the path every disposition takes)
       becomes current, with its rule, versions and explanation shown on the timeline, unless it
       already is or the new version cannot decide yet; a foreign national's consulate gets a
       new draft notice.
    """
    arrival = Arrival.objects.select_for_update().get(pk=review.arrival_id)
    current = Disposition.objects.select_for_update().filter(arrival=arrival, is_current=True)
    current = current.first()
    if current is None:
        return None
    if arrival.state not in OVERRIDABLE:
        raise Conflict(
            _(
                "This traveler is already “%(state)s”: the disposition they were handed over "
                "under stays. Ask the receiving district."
            )
            % {"state": arrival.get_state_display()}
        )
    rules, risk = review.to_rules, review.to_risk_list
    decision = decision_for(arrival.facts, (rules, risk, compiled(rules, risk)))
    if decision is None or decision.stands(current):
        return current
    current.is_current = False
    current.save(update_fields=["is_current"])
    new = decision.disposition_of(arrival, by=by)
    new.save()
    notify_consulate(arrival=arrival, disposition=new.disposition, decided_by=by)
    return new


def on_review_confirmed(sender, *, review: PolicyReview, **kwargs) -> None:
    redispose(review=review, by=review.decided_by)


def connect() -> None:
    from liaison.policy.services import review_confirmed

    review_confirmed.connect(on_review_confirmed, dispatch_uid="screening-redispose")
