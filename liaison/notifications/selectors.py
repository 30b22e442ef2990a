"""What a user may see of notifications: their own, nobody else's."""

from __future__ import annotations

from django.db.models import QuerySet

from liaison.notifications.models import Notification


def notifications_visible_to(user) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def unread_count(user) -> int:
    return notifications_visible_to(user).filter(read_at__isnull=True).count()


def notifications_of(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    shown = notifications_visible_to(user)
    if unread_only:
        shown = shown.filter(read_at__isnull=True)
    return shown.order_by("-created_at", "-id")


def rendered(notifications) -> list[tuple[Notification, str]]:
    """Each notification with its title in the active language."""
    from liaison.notifications.kinds import render_title

    return [(n, render_title(n.kind, n.data)) for n in notifications]
