"""A notification to one user, and its delivery on each channel.

What is stored is data: ``kind`` names a registered kind (liaison/notifications/kinds.py) whose
title is rendered with ``data`` in the reader's language when shown or sent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=60)
    # The record it is about, "<app>.<model>:<id>" (e.g. "contacts.commitment:12"), or "".
    subject_code = models.CharField(_("about"), max_length=100, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    # Keys the effect of a job that may run twice: one notification per user and key.
    once_key = models.CharField(_("once key"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "once_key"],
                condition=~Q(once_key=""),
                name="notifications_once_per_user_and_key",
            ),
        ]
        indexes = [
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notifications_unread"
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.user_id}"


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("waiting")
    SENT = "sent", pgettext_lazy("delivery state", "sent")
    SKIPPED = "skipped", _("not sent: no address")
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    notification = models.ForeignKey(
        Notification, models.CASCADE, related_name="deliveries", verbose_name=_("notification")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="notifications_one_delivery_per_channel"
            ),
        ]

    def __str__(self):
        return f"{self.notification_id} {self.channel}"
