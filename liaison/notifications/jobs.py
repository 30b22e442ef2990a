"""Sending a notification's deliveries: a background job per delivery, retried until sent.

Idempotent: a delivery already sent (or skipped) is not sent again when its run is taken a
second time. The outside world is at least once: a worker that dies between the gateway's
answer and the commit of ``sent_at`` sends that one message again.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from liaison.jobs.registry import background
from liaison.notifications import sms
from liaison.notifications.kinds import render_title
from liaison.notifications.models import Channel, Delivery, DeliveryState


@background("notifications.deliver")
def deliver(*, delivery_id: int) -> None:
    """Send one notification by e-mail or SMS."""
    delivery = Delivery.objects.select_related("notification__user").get(pk=delivery_id)
    if delivery.state != DeliveryState.PENDING:
        return
    if not delivery.address:
        Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.PENDING).update(
            state=DeliveryState.SKIPPED
        )
        return
    notification = delivery.notification
    with translation.override(settings.LANGUAGE_CODE):
        title = render_title(notification.kind, notification.data)
    text = f"{title}\n{notification.link}" if notification.link else title
    if delivery.channel == Channel.EMAIL:
        send_mail(title, text, None, [delivery.address])
    else:
        sms.backend().send(to=delivery.address, text=text)
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.PENDING).update(
            state=DeliveryState.SENT, sent_at=timezone.now()
        )
