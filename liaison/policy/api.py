"""The policy's API: which versions are in force (for systems that show or check decisions), and
the review queue's decisions."""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors
from liaison.policy import reviews, selectors

router = Router(tags=["policy"])


class VersionOut(Schema):
    id: int
    version: str
    effective_from: datetime
    digest: str


class InForceOut(Schema):
    rules: VersionOut
    risk_list: VersionOut


def _out(version) -> VersionOut:
    return VersionOut(
        id=version.pk,
        version=version.version,
        effective_from=version.effective_from,
        digest=version.digest,
    )


@router.get(
    "/policy/in-force",
    response={200: InForceOut, 404: Errors, **REFUSALS},
    summary="The policy versions in force now",
)
@api_area(Area.POLICY)
def in_force(request):
    try:
        rules, risk, _policy = selectors.policy_in_force()
    except selectors.NoPolicyInForce as error:
        raise HttpError(404, _("No policy version is in force yet.")) from error
    return InForceOut(rules=_out(rules), risk_list=_out(risk))


# --- the review queue -------------------------------------------------------------------------


class ReviewsDecideIn(Schema):
    ids: list[int]
    decision: str  # "confirm" or "dismiss"
    reason: str


class ReviewOut(Schema):
    id: int
    status: str


class ReviewsDecidedOut(Schema):
    changed: int  # 0: this decision was already recorded (a retry), nothing changed
    reviews: list[ReviewOut]


@router.post(
    "/policy/reviews/decide",
    response={200: ReviewsDecidedOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Confirm or dismiss policy reviews, with one reason, all or none",
)
@api_area(Area.POLICY_REVIEW)
def decide_reviews(request, body: ReviewsDecideIn):
    """Ids this client may not see answer 404 as unknown ones do; a review already decided (or a
    traveler who can no longer move) answers 409 and nothing changes. Sending the same decision
    again changes nothing and answers 200 with ``changed: 0``."""
    done = reviews.decide_reviews(
        reviews=body.ids, decision=body.decision, reason=body.reason, by=request.auth
    )
    return ReviewsDecidedOut(
        changed=done.changed,
        reviews=[ReviewOut(id=review.pk, status=review.status) for review in done.reviews],
    )
