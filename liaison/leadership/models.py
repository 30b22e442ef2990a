"""The daily briefing (日报): a snapshot of every desk's figures at its cut-off.

The figures are stored as JSON when the briefing is drafted and never computed again: the page,
the PDF and the spreadsheet of a briefing all read this one snapshot, so what was approved is
what is printed, whatever the desks' data do afterwards.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BriefingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class Briefing(models.Model):
    # The day reported on; the data cut-off is the end of that day (24:00, office time).
    day = models.DateField(_("day"), unique=True)
    cutoff = models.DateTimeField(_("data cut-off"))
    status = models.CharField(
        _("status"), max_length=20, choices=BriefingStatus.choices, default=BriefingStatus.DRAFT
    )
    snapshot = models.JSONField(_("figures"), default=dict)
    highlights_zh = models.TextField(_("highlights (Chinese)"), blank=True)
    highlights_en = models.TextField(_("highlights (English)"), blank=True)
    drafted_at = models.DateTimeField(_("drafted"), default=timezone.now)
    # Nobody: the job runner drafted it at its set time.
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    highlights_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("highlights by"),
    )
    highlights_at = models.DateTimeField(_("highlights written"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("daily briefing")
        verbose_name_plural = _("daily briefings")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d}"

    @property
    def is_approved(self) -> bool:
        return self.status == BriefingStatus.APPROVED
