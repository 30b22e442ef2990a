"""Consular notifications decided many at a time: drafts reviewed (approved as written) or
cancelled, with one reason, all or nothing.

Each notification goes through the one-at-a-time service (``consular.review_notification``,
``consular.cancel_notification``), so it is locked, moved, audited and written on its case's
timeline exactly as it would be alone; this module only checks the whole set first, so that a
set that cannot be decided whole is refused naming every notification in the way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from liaison.assistance import consular, selectors
from liaison.assistance.models import ConsularNotification
from liaison.core.bulk import names, record_ids, required_reason
from liaison.core.models import User
from liaison.core.refusals import Conflict, Refused

Status = ConsularNotification.Status


class NotificationDecision(models.TextChoices):
    REVIEW = "review", gettext_lazy("Mark reviewed: the text may be sent as it is")
    CANCEL = "cancel", gettext_lazy("Cancel: the notification must not go")


@dataclass(frozen=True)
class Decided:
    notifications: list[ConsularNotification]
    # How many were decided now: 0 when this decision was already recorded (a double click, a
    # client retrying), which changes nothing.
    changed: int

    @property
    def repeated(self) -> bool:
        return self.changed == 0


def _locked(ids: list[int], by: User) -> list[ConsularNotification]:
    """The notifications ``by`` may see, locked in id order; any other id refuses the set as not
    found, naming only the ids asked for."""
    visible = selectors.notifications_visible_to(by).filter(pk__in=ids).values("pk")
    locked = list(
        ConsularNotification.objects.select_for_update().filter(pk__in=visible).order_by("pk")
    )
    missing = sorted(set(ids) - {notification.pk for notification in locked})
    if missing:
        raise Refused(
            ngettext(
                "%(count)d of these notifications was not found: %(ids)s. Nothing was decided.",
                "%(count)d of these notifications were not found: %(ids)s. Nothing was decided.",
                len(missing),
            )
            % {"count": len(missing), "ids": names([f"#{pk}" for pk in missing])},
            "ids",
            status=404,
        )
    return locked


# What each decision may start from, and what the refusal says of the others.
MAY_DECIDE = {
    NotificationDecision.REVIEW: {Status.DRAFT},
    NotificationDecision.CANCEL: {Status.DRAFT, Status.REVIEWED},
}


def _refuse_others(notifications: list[ConsularNotification], decision: str) -> None:
    others = [n for n in notifications if n.status not in MAY_DECIDE[decision]]
    if not others:
        return
    which = names([f"{n.reference} ({n.get_status_display()})" for n in others])
    if decision == NotificationDecision.REVIEW:
        message = ngettext(
            "%(count)d of these notifications is no longer a draft: %(which)s. Nothing was "
            "decided; select only drafts.",
            "%(count)d of these notifications are no longer drafts: %(which)s. Nothing was "
            "decided; select only drafts.",
            len(others),
        )
    else:
        message = ngettext(
            "%(count)d of these notifications can no longer be cancelled: %(which)s. Nothing "
            "was decided.",
            "%(count)d of these notifications can no longer be cancelled: %(which)s. Nothing "
            "was decided.",
            len(others),
        )
    raise Conflict(message % {"count": len(others), "which": which}, "ids")


def _decide(
    *,
    notifications: Iterable[ConsularNotification | int],
    reason: str,
    by: User,
    done: Callable[[ConsularNotification, str], bool],
    apply: Callable[[ConsularNotification, str], ConsularNotification],
    decision: str,
) -> Decided:
    reason = required_reason(reason)
    locked = _locked(record_ids(notifications), by)
    if all(done(notification, reason) for notification in locked):
        return Decided(locked, 0)
    if decision == NotificationDecision.REVIEW:
        mine = [n for n in locked if consular.is_own_draft(n, by)]
        if mine:
            raise Refused(
                ngettext(
                    "You drafted %(count)d of these notifications: %(which)s. Another officer "
                    "reviews them (four eyes); nothing was decided.",
                    "You drafted %(count)d of these notifications: %(which)s. Another officer "
                    "reviews them (four eyes); nothing was decided.",
                    len(mine),
                )
                % {"count": len(mine), "which": names([n.reference for n in mine])},
                "ids",
                status=403,
            )
    _refuse_others(locked, decision)
    return Decided([apply(notification, reason) for notification in locked], len(locked))


@transaction.atomic
def review_notifications(
    *, notifications: Iterable[ConsularNotification | int], reason: str, by: User
) -> Decided:
    """Mark drafts reviewed as they are written, with one note.

    1. The reason is required (up to 500 characters); 1 to 500 notifications, each once.
    2. Notifications this officer may not see count as not found (404): the set is refused.
    3. The same decision already recorded (every one reviewed by this officer with this reason)
       is a repeated submission: nothing changes.
    4. One the officer drafted refuses the set (four eyes, 403), naming it; so does one that is
       no longer a draft (409).
    """

    def done(notification: ConsularNotification, reason: str) -> bool:
        return (notification.status, notification.reviewed_by_id, notification.review_reason) == (
            Status.REVIEWED,
            by.pk,
            reason,
        )

    def apply(notification: ConsularNotification, reason: str) -> ConsularNotification:
        return consular.review_notification(
            notification=notification,
            subject=notification.subject,
            body=notification.body,
            by=by,
            reason=reason,
        )

    return _decide(
        notifications=notifications,
        reason=reason,
        by=by,
        done=done,
        apply=apply,
        decision=NotificationDecision.REVIEW,
    )


@transaction.atomic
def cancel_notifications(
    *, notifications: Iterable[ConsularNotification | int], reason: str, by: User
) -> Decided:
    """Cancel drafts (or reviewed notifications not yet sent) that must not go, with one reason;
    the same rules as ``review_notifications`` except four eyes (anyone on the desk may stop a
    notification, its drafter too)."""

    def done(notification: ConsularNotification, reason: str) -> bool:
        return (notification.status, notification.cancelled_by_id, notification.cancel_reason) == (
            Status.CANCELLED,
            by.pk,
            reason,
        )

    def apply(notification: ConsularNotification, reason: str) -> ConsularNotification:
        return consular.cancel_notification(notification=notification, by=by, reason=reason)

    return _decide(
        notifications=notifications,
        reason=reason,
        by=by,
        done=done,
        apply=apply,
        decision=NotificationDecision.CANCEL,
    )


def decide_notifications(
    *, notifications: Iterable[ConsularNotification | int], decision: str, reason: str, by: User
) -> Decided:
    """``review_notifications`` or ``cancel_notifications``, by the decision's name."""
    if decision == NotificationDecision.REVIEW:
        return review_notifications(notifications=notifications, reason=reason, by=by)
    if decision == NotificationDecision.CANCEL:
        return cancel_notifications(notifications=notifications, reason=reason, by=by)
    raise Refused(_("Choose to mark reviewed or to cancel."), "decision")
