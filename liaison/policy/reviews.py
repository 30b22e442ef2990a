"""Officers decide what a newly published version would do: confirm or dismiss its reviews.

One review or a whole page of them, always with the officer's reason, all or nothing: one review
that cannot be decided refuses the set and nothing changes. Publishing (``services.publish``)
writes the reviews; a confirmed one is sent as ``services.review_confirmed`` so the arrival
pipeline decides the traveler again inside the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from liaison.core.bulk import names, record_ids, required_reason
from liaison.core.models import User
from liaison.core.refusals import Conflict, Refused
from liaison.policy import selectors
from liaison.policy.models import PolicyReview, ReviewStatus
from liaison.policy.services import review_confirmed


class ReviewDecision(models.TextChoices):
    CONFIRM = "confirm", gettext_lazy("Confirm: move them to the new disposition")
    DISMISS = "dismiss", gettext_lazy("Dismiss: keep their current disposition")


STATUS_OF = {
    ReviewDecision.CONFIRM: ReviewStatus.CONFIRMED,
    ReviewDecision.DISMISS: ReviewStatus.DISMISSED,
}


@dataclass(frozen=True)
class Decided:
    reviews: list[PolicyReview]
    # How many were decided now: 0 when the same decision was already recorded (a double click,
    # a client retrying), which changes nothing.
    changed: int

    @property
    def repeated(self) -> bool:
        return self.changed == 0


@transaction.atomic
def decide_reviews(
    *, reviews: Iterable[PolicyReview | int], decision: str, reason: str, by: User
) -> Decided:
    """Confirm or dismiss a set of reviews with one reason.

    1. The reason is required (up to 500 characters) and the set holds 1 to 500 reviews, each
       once.
    2. The reviews are locked in id order (two officers deciding overlapping sets wait for each
       other, never deadlock). A review this officer may not see counts as not found: the set
       is refused naming only the ids asked for.
    3. A set already decided exactly so — same decision, same reason, same officer — is a
       repeated submission: nothing changes and it is not an error.
    4. Any review already decided (or replaced by a newer one) refuses the set, naming its
       travelers.
    5. Each review is decided (its audit entry written as it is saved); a confirmed one moves the
       traveler (``review_confirmed``). A traveler who cannot be moved any more (handed over)
       refuses the set, naming them; the transaction rolls everything back.
    """
    try:
        status = STATUS_OF[ReviewDecision(decision)]
    except ValueError:
        raise Refused(_("Choose to confirm or to dismiss."), "decision") from None
    reason = required_reason(reason)
    ids = record_ids(reviews)
    visible = selectors.reviews_visible_to(by).filter(pk__in=ids).values("pk")
    locked = list(
        PolicyReview.objects.select_for_update(of=("self",))
        .select_related("arrival")
        .filter(pk__in=visible)
        .order_by("pk")
    )
    missing = sorted(set(ids) - {review.pk for review in locked})
    if missing:
        raise Refused(
            ngettext(
                "%(count)d of these reviews was not found: %(ids)s. Nothing was decided.",
                "%(count)d of these reviews were not found: %(ids)s. Nothing was decided.",
                len(missing),
            )
            % {"count": len(missing), "ids": names([f"#{pk}" for pk in missing])},
            "ids",
            status=404,
        )
    if all(
        (review.status, review.decided_by_id, review.reason) == (status, by.pk, reason)
        for review in locked
    ):
        return Decided(locked, 0)
    decided = [review for review in locked if review.status != ReviewStatus.PENDING]
    if decided:
        raise Conflict(
            ngettext(
                "%(count)d of these travelers is already decided: %(which)s. Nothing was decided; "
                "select only the waiting ones.",
                "%(count)d of these travelers are already decided: %(which)s. Nothing was "
                "decided; select only the waiting ones.",
                len(decided),
            )
            % {
                "count": len(decided),
                "which": names([f"{r.arrival.code} ({r.get_status_display()})" for r in decided]),
            },
            "ids",
        )
    now = timezone.now()
    refused = []
    for review in locked:
        review.status, review.decided_by, review.decided_at = status, by, now
        review.reason = reason
        review.save()
        if status == ReviewStatus.CONFIRMED:
            try:
                review_confirmed.send(sender=PolicyReview, review=review)
            except Refused as error:
                # The receiver refuses before it writes: go on, to name every such traveler.
                refused.append(f"{review.arrival.code}: {error.message}")
    if refused:
        raise Conflict(
            ngettext(
                "%(count)d traveler cannot be moved; nothing was decided. %(which)s",
                "%(count)d travelers cannot be moved; nothing was decided. %(which)s",
                len(refused),
            )
            % {"count": len(refused), "which": names(refused)},
            "ids",
        )
    return Decided(locked, len(locked))


def confirm_review(*, review: PolicyReview, by: User, reason: str) -> PolicyReview:
    """The officer agrees the traveler moves to the new disposition."""
    return decide_reviews(
        reviews=[review], decision=ReviewDecision.CONFIRM, reason=reason, by=by
    ).reviews[0]


def dismiss_review(*, review: PolicyReview, by: User, reason: str) -> PolicyReview:
    """The officer keeps the traveler's current disposition."""
    return decide_reviews(
        reviews=[review], decision=ReviewDecision.DISMISS, reason=reason, by=by
    ).reviews[0]
