"""SMS backends: ``LIAISON_SMS_BACKEND`` names a class with ``send(*, to: str, text: str)``.

A real gateway is a class of the same shape (its credentials from the environment); it raises on
failure, and the delivery job is retried with backoff.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class LogBackend:
    """The default: writes the message to the log, sends nothing."""

    def send(self, *, to: str, text: str) -> None:
        log.info("SMS to %s: %s", to, text)


class NoneBackend:
    """Sends nothing, says nothing."""

    def send(self, *, to: str, text: str) -> None:
        return None


class RecordingBackend:
    """For tests: keeps every message in ``RecordingBackend.outbox``, like Django's mail.outbox."""

    outbox: list[tuple[str, str]] = []

    def send(self, *, to: str, text: str) -> None:
        RecordingBackend.outbox.append((to, text))


def backend():
    return import_string(settings.LIAISON_SMS_BACKEND)()
