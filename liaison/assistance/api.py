"""The assistance desk's API: consular notifications reviewed (four eyes) and decided in bulk."""

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from liaison.assistance import consular, consular_bulk, selectors
from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors
from liaison.core.params import ApiId

router = Router(tags=["assistance"])


class ReviewIn(Schema):
    # Omitted: the text as drafted.
    subject: str | None = None
    body: str | None = None
    reason: str = ""


class NotificationOut(Schema):
    id: int
    reference: str
    status: str


class NotificationsDecideIn(Schema):
    ids: list[int]
    decision: str  # "review" or "cancel"
    reason: str


class NotificationsDecidedOut(Schema):
    changed: int  # 0: this decision was already recorded (a retry), nothing changed
    notifications: list[NotificationOut]


def _out(notification) -> NotificationOut:
    return NotificationOut(
        id=notification.pk, reference=notification.reference, status=notification.status
    )


@router.post(
    "/notifications/{notification_id}/review",
    response={200: NotificationOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Review a consular notification (someone other than its drafter)",
)
@api_area(Area.MISSIONS)
def review_notification(request, notification_id: ApiId, body: ReviewIn):
    """The drafter of a notification is refused (403): another officer reviews it."""
    notification = get_object_or_404(
        selectors.notifications_visible_to(request.auth), pk=notification_id
    )
    reviewed = consular.review_notification(
        notification=notification,
        subject=notification.subject if body.subject is None else body.subject,
        body=notification.body if body.body is None else body.body,
        reason=body.reason,
        by=request.auth,
    )
    return _out(reviewed)


@router.post(
    "/notifications/decide",
    response={200: NotificationsDecidedOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Review or cancel consular notifications, with one reason, all or none",
)
@api_area(Area.MISSIONS)
def decide_notifications(request, body: NotificationsDecideIn):
    """A set holding one of the client's own drafts is refused for review (403, four eyes);
    unknown ids or ids this client may not see answer 404; a notification no longer open
    answers 409. Nothing changes then. The same decision sent again answers 200,
    ``changed: 0``."""
    done = consular_bulk.decide_notifications(
        notifications=body.ids, decision=body.decision, reason=body.reason, by=request.auth
    )
    return NotificationsDecidedOut(
        changed=done.changed, notifications=[_out(n) for n in done.notifications]
    )
