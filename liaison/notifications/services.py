"""Notifications: ``notify`` (the one way to tell a user something) and marking them read.

Every desk calls ``notify``; it writes the notifications and, per channel, a delivery that a
background job sends (retried with backoff, liaison/notifications/jobs.py): e-mail for users
with an address, SMS as well when ``urgent`` and a phone is known (``register_phone_source``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from liaison.core.models import User
from liaison.jobs.registry import enqueue
from liaison.notifications.kinds import KINDS
from liaison.notifications.models import Channel, Delivery, Notification
from liaison.notifications.selectors import notifications_visible_to

# Functions user → phone number in E.164 or "" (the duty roster knows who carries which phone).
_PHONE_SOURCES: list[Callable[[User], str]] = []


def register_phone_source(source: Callable[[User], str]) -> None:
    """Let another app say which phone a user's urgent SMS goes to (the first non-empty wins)."""
    if source not in _PHONE_SOURCES:
        _PHONE_SOURCES.append(source)


def phone_of(user: User) -> str:
    for source in _PHONE_SOURCES:
        phone = source(user)
        if phone:
            return phone
    return ""


def notify(
    *,
    users: Iterable[User],
    kind: str,
    subject_code: str = "",
    data: dict | None = None,
    link: str = "",
    urgent: bool = False,
    once_key: str = "",
) -> list[Notification]:
    """Tell each user something, in-app and by e-mail (and SMS when ``urgent``).

    ``kind`` is a registered kind (kinds.py) whose title ``data`` fills; ``subject_code`` names
    the record it is about ("contacts.commitment:12"); ``link`` is a path on this site. With
    ``once_key`` a user gets at most one notification for that key, however often a job runs:
    the notifications already there are left alone and not returned. Inactive users are skipped.
    Deliveries are sent by a job once this transaction commits.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if link and not link.startswith("/"):
        raise ValueError("a notification's link is a path on this site")
    created = []
    for user in {u.pk: u for u in users if u.is_active}.values():
        try:
            # The notification and its deliveries' runs together: a job that dies between them
            # and runs again finds either all of it or none.
            with transaction.atomic():
                notification = Notification.objects.create(
                    user=user,
                    kind=kind,
                    subject_code=subject_code,
                    data=data or {},
                    link=link,
                    urgent=urgent,
                    once_key=once_key,
                )
                _plan_deliveries(notification, user)
        except IntegrityError:
            if not once_key:
                raise
            continue  # already notified for this key
        created.append(notification)
    return created


def _plan_deliveries(notification: Notification, user: User) -> None:
    channels = []
    if user.email:
        channels.append((Channel.EMAIL, user.email))
    if notification.urgent:
        channels.append((Channel.SMS, phone_of(user)))
    for channel, address in channels:
        delivery = Delivery.objects.create(
            notification=notification, channel=channel, address=address
        )
        enqueue("notifications.deliver", key=f"delivery-{delivery.pk}", delivery_id=delivery.pk)


@transaction.atomic
def mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all of them when ``ids`` is None); how many."""
    unread = notifications_visible_to(user).filter(read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
