"""Acknowledgement letters (issue 15, point 5).

A ``Letter`` is drafted from a donation — thanks for an inbound one, a note accompanying an
outbound one — in Chinese and in the counterpart's language (kept as a language code; the text
is rendered from the donation when it is shown or printed, never stored as a sentence). It moves
drafted → reviewed (by another officer than who drafted it) → sent → replied, through
``letters.py``; every move writes a ``LetterEvent``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.core.tracking import AuditedModel


class LetterKind(models.TextChoices):
    THANKS = "thanks", _("Letter of thanks")
    ACCOMPANYING = "accompanying", _("Accompanying note")


class LetterStatus(models.TextChoices):
    DRAFTED = "drafted", pgettext_lazy("aid letter", "Drafted")
    REVIEWED = "reviewed", pgettext_lazy("aid letter", "Reviewed")
    SENT = "sent", pgettext_lazy("aid letter", "Sent")
    REPLIED = "replied", pgettext_lazy("aid letter", "Reply recorded")


class Letter(AuditedModel):
    Kind = LetterKind
    Status = LetterStatus

    donation = models.ForeignKey("aid.Donation", models.PROTECT, related_name="letters")
    kind = models.CharField(_("kind"), max_length=20, choices=LetterKind.choices)
    # The counterpart's language (a traveler language of the project, else English).
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=LetterStatus.choices, default=LetterStatus.DRAFTED
    )
    letter_date = models.DateField(_("date of the letter"))
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    channel = models.CharField(_("sent by way of"), max_length=200, blank=True)
    reply_on = models.DateField(_("reply received on"), null=True, blank=True)
    reply_summary = models.TextField(_("what the reply says"), blank=True)

    class Meta:
        ordering = ["donation", "-drafted_at", "-id"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        constraints = [
            # Four eyes: who reviews is not who drafted.
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=F("drafted_by")),
                name="aid_letter_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(reply_on__isnull=True)
                | (Q(sent_on__isnull=False) & Q(reply_on__gte=F("sent_on"))),
                name="aid_letter_reply_after_sending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.donation_id} · {self.get_kind_display()} ({self.language})"


class LetterEvent(models.Model):
    letter = models.ForeignKey(Letter, models.PROTECT, related_name="events")
    from_status = models.CharField(max_length=10, choices=LetterStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=LetterStatus.choices)
    data = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["letter", "at", "id"]

    def __str__(self) -> str:
        return f"{self.letter_id}: {self.from_status} → {self.to_status}"
