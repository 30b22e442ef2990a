"""Consular notifications: what the office tells a mission about one of its nationals."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from liaison.core.tracking import AuditedModel
from liaison.policy.models import DispositionChoice


class ConsularNotification(AuditedModel):
    """Drafted (by an officer or automatically), reviewed, marked sent by an officer, acknowledged.

    The system never sends anything itself: "sent" records what an officer did, how and when.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEWED = "reviewed", _("Reviewed")
        SENT = "sent", _("Sent")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        CANCELLED = "cancelled", _("Cancelled")

    class Reason(models.TextChoices):
        # A notification tells the mission what was done: the disposition's word, said as news.
        HOSPITAL = DispositionChoice.HOSPITAL.value, _("Sent to a designated hospital")
        CENTRALIZED_QUARANTINE = (
            DispositionChoice.CENTRALIZED_QUARANTINE.value,
            _("Sent to centralized quarantine"),
        )
        HOME_QUARANTINE = DispositionChoice.HOME_QUARANTINE.value, _("Placed in home quarantine")
        DIPLOMATIC_ARRANGEMENT = (
            DispositionChoice.DIPLOMATIC_ARRANGEMENT.value,
            _("Quarantine at residence by diplomatic arrangement"),
        )
        ASSISTANCE_CASE = "assistance_case", _("Assistance case")

    class Channel(models.TextChoices):
        EMAIL = "email", pgettext_lazy("channel", "Email")
        FAX = "fax", _("Fax")
        PHONE = "phone", _("Phone")
        NOTE_VERBALE = "note_verbale", _("Diplomatic note")
        IN_PERSON = "in_person", _("In person")

    mission = models.ForeignKey(
        "directory.Organization",
        models.PROTECT,
        related_name="notifications",
        verbose_name=_("mission"),
    )
    case = models.ForeignKey(
        "assistance.AssistanceCase",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("case"),
    )
    arrival = models.ForeignKey(
        "arrivals.Arrival",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="consular_notifications",
        verbose_name=_("arrival"),
    )
    # What the notification was drafted from, so an automatic draft is made once:
    # "arrival:<id>:<disposition>" or "case:<id>:<mission id>:<n>".
    source_key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=30, choices=Reason.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )

    # About whom (copied, so that the notification reads the same after the case changes).
    person_name = models.CharField(_("name (as written)"), max_length=200)
    person_name_latin = models.CharField(_("name in Latin letters"), max_length=200, blank=True)
    nationality = CountryField(_("nationality"))
    document_number = models.CharField(_("travel document number"), max_length=40, blank=True)

    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))

    drafted_at = models.DateTimeField(_("drafted"), default=timezone.now)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
        # Four eyes: whoever drafted a notification does not review it. An automatic draft is
        # drafted by whoever made the decision that called for it (``consular._drafter``).
        help_text=_(
            "For an automatic draft, the officer whose decision called for it; empty when no "
            "officer decided."
        ),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    # The reviewer's reason when they approved it without editing (several at once, say).
    review_reason = models.CharField(_("review note"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_via = models.CharField(_("sent via"), max_length=20, choices=Channel.choices, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledgement = models.TextField(_("acknowledgement"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledgement recorded by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancel_reason = models.CharField(_("why cancelled"), max_length=500, blank=True)

    class Meta:
        ordering = ["-drafted_at", "-id"]
        verbose_name = _("consular notification")
        verbose_name_plural = _("consular notifications")

    def __str__(self) -> str:
        return f"N-{self.pk:05d}" if self.pk else "N-new"

    @property
    def reference(self) -> str:
        return str(self)
