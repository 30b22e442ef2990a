"""The duty desk: the 24-hour roster (templates, shifts, swaps), the languages officers speak,
and the duty log (ICS 214 style: append-only, a correction is a new entry).

What changes a shift or the log is a service (``services.py``, ``log.py``); the selectors
(``selectors.py``) answer "who is on duty at this post now" for every other desk.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.tracking import AuditedModel


class Post(models.TextChoices):
    AIRPORT_DESK = "airport_desk", _("Airport desk")
    LIAISON = "liaison", _("Liaison")
    DUTY_OFFICER = "duty_officer", _("Duty officer")
    DUTY_CHIEF = "duty_chief", _("Duty chief")


class ShiftTemplate(models.Model):
    """A shift pattern of one post: 08–16, 16–24, 00–08 (8 hours) or a 24-hour shift."""

    post = models.CharField(_("post"), max_length=20, choices=Post.choices)
    starts = models.TimeField(_("starts at"))
    hours = models.PositiveSmallIntegerField(_("hours"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["post", "starts"]
        verbose_name = _("shift template")
        verbose_name_plural = _("shift templates")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=1) & Q(hours__lte=24), name="duty_template_hours"
            ),
            models.UniqueConstraint(fields=["post", "starts", "hours"], name="duty_template_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_post_display()} {self.starts:%H:%M} +{self.hours}h"


class Shift(AuditedModel):
    """One officer holding one post from ``starts_at`` to ``ends_at`` (aware), reachable by
    ``phone``. The database refuses a shift that ends before it starts; the service refuses one
    that overlaps the same officer's other shift, under the officer's row lock."""

    post = models.CharField(_("post"), max_length=20, choices=Post.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="duty_shifts",
        verbose_name=_("officer on duty"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    template = models.ForeignKey(
        ShiftTemplate,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="shifts",
        verbose_name=_("template"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["starts_at", "post"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="duty_shift_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["post", "starts_at", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.get_post_display()} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class Swap(models.Model):
    """A shift given by one officer to another: who gave it to whom, when, why. Kept for good:
    the shift's officer changes, the swaps are its history."""

    shift = models.ForeignKey(Shift, models.PROTECT, related_name="swaps", verbose_name=_("shift"))
    from_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("given by"),
    )
    to_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("given to"),
    )
    reason = models.CharField(_("reason"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["shift", "at", "pk"]
        verbose_name = _("swap")
        verbose_name_plural = _("swaps")

    def __str__(self) -> str:
        return f"{self.shift} → {self.to_officer}"


class ScheduledFlight(AuditedModel):
    """A flight the airport expects on some weekdays, from the airlines' schedule: the desk plans
    its languages days ahead, before anyone on it has declared (``coverage.py``). A correction
    is a change of the row (in the audit trail); a flight no longer flown gets its last day."""

    number = models.CharField(_("flight"), max_length=10)
    origin = models.CharField(_("origin"), max_length=100)
    port = models.ForeignKey(
        "core.PortOfEntry", models.PROTECT, related_name="+", verbose_name=_("port of entry")
    )
    # ISO weekdays on which it lands, "1" Monday to "7" Sunday: "135" is Monday, Wednesday, Friday.
    weekdays = models.CharField(_("weekdays"), max_length=7)
    arrives_at = models.TimeField(_("scheduled arrival (local time)"))
    valid_from = models.DateField(_("first day"))
    valid_until = models.DateField(_("last day"), null=True, blank=True)
    # The languages expected when no flight of this number has come yet (codes, comma-separated);
    # afterwards its last flights' declarations say.
    languages = models.CharField(_("languages expected"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["arrives_at", "number"]
        verbose_name = _("scheduled flight")
        verbose_name_plural = _("scheduled flights")
        constraints = [
            models.UniqueConstraint(
                fields=["number", "port", "valid_from"], name="duty_scheduled_flight_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.arrives_at:%H:%M}"

    def flies_on(self, day) -> bool:
        return (
            str(day.isoweekday()) in self.weekdays
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
        )

    @property
    def expected_languages(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class OfficerLanguage(models.Model):
    """A language an officer speaks (duty-owned, keyed by user, so ``core.User`` stays as it is).
    The languages are the traveler languages of the deployment (``settings.LANGUAGES``)."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="duty_languages",
        verbose_name=_("officer on duty"),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)

    class Meta:
        ordering = ["officer", "language"]
        verbose_name = _("officer's language")
        verbose_name_plural = _("officers' languages")
        constraints = [
            models.UniqueConstraint(fields=["officer", "language"], name="duty_language_once")
        ]

    def __str__(self) -> str:
        return f"{self.officer} {self.language}"


class LogEntryQuerySet(models.QuerySet):
    """The duty log is append-only: a queryset cannot update or delete its entries."""

    def update(self, **kwargs):
        raise TypeError("The duty log is append-only: write a correction instead.")

    def delete(self):
        raise TypeError("The duty log is append-only: entries are never deleted.")

    _raw_delete = delete

    def erase_text(self) -> int:
        """Retention's erasure, never an officer's edit: the officers' words about a traveler
        or a case whose personal data has ended are blanked; when, who and what it concerns
        stay (the page shows the entry as anonymized)."""
        return models.QuerySet.update(self.exclude(text=""), text="")


class LogEntry(models.Model):
    """One line of the duty log (ICS 214 "activity log"): when it happened, who wrote it, what,
    and what it concerns. Never edited or deleted; a correction is a new entry whose
    ``corrects`` points to the entry it corrects, and the two are shown together.

    ``incident_id`` is a seam: incidents live in another app (``liaison.incidents``), which may
    replace it with a foreign key; until then the id is kept as it is, unchecked.
    """

    at = models.DateTimeField(_("time"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    text = models.TextField(_("what"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    arrival = models.ForeignKey(
        "arrivals.Arrival",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traveler"),
    )
    batch = models.ForeignKey(
        "handover.Batch",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handover batch"),
    )
    case = models.ForeignKey(
        "assistance.AssistanceCase",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assistance case"),
    )
    organization = models.ForeignKey(
        "directory.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    incident_id = models.PositiveBigIntegerField(_("emergency incident"), null=True, blank=True)
    corrects = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("duty log entry")
        verbose_name_plural = _("duty log entries")
        indexes = [models.Index(fields=["at"])]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.text[:40]}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise TypeError("The duty log is append-only: write a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The duty log is append-only: entries are never deleted.")
