"""Incidents of the duty desk: what happened, who owns it, every move and action, who was
told when it was not acknowledged in time, and the shift handovers that pass them on.

Nothing here is edited after the fact: an incident's actions and moves are events (a code and
its parameters, rendered in the reader's language by ``incidents.events``), an escalation
notice is written once per step and round, a handover is written once and countersigned once.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.core.tracking import AuditedModel


class Kind(models.TextChoices):
    FEVER = "fever", _("Fever at the desk")
    POSITIVE = "positive", _("Positive result")
    BATCH_UNCONFIRMED = "batch_unconfirmed", _("Batch not confirmed in time")
    MISSING_PERSON = "missing_person", _("Missing person")
    RESULT_OVERDUE = "result_overdue", _("Result waiting too long")
    SECURITY = "security", _("Safety or security")
    CONSULAR = "consular", _("Consular emergency")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


class IncidentQuerySet(models.QuerySet):
    def live(self):
        """Not closed."""
        return self.exclude(status=Status.CLOSED)

    def real(self):
        """Not an exercise: what reports and counts use."""
        return self.filter(exercise=False)

    def unacknowledged(self):
        return self.filter(status=Status.OPEN)

    def overdue_ack(self, now):
        return self.filter(status=Status.OPEN, ack_due_at__lte=now)


class Incident(AuditedModel):
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    severity = models.PositiveSmallIntegerField(
        _("severity"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    title = models.CharField(pgettext_lazy("incident", "title"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="open")
    # An exercise is marked on every page and kept out of reports and counts.
    exercise = models.BooleanField(_("exercise"), default=False)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    place = models.CharField(_("where"), max_length=300, blank=True)
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_incidents",
        verbose_name=_("owner"),
    )
    ack_due_at = models.DateTimeField(_("acknowledge by"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    summary = models.TextField(_("closing summary"), blank=True)
    # Links to the records it concerns (any of them, or none).
    arrival = models.ForeignKey(
        "arrivals.Arrival", models.PROTECT, null=True, blank=True, related_name="+"
    )
    batch = models.ForeignKey(
        "handover.Batch", models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(
        "assistance.AssistanceCase", models.PROTECT, null=True, blank=True, related_name="+"
    )
    organization = models.ForeignKey(
        "directory.Organization", models.PROTECT, null=True, blank=True, related_name="+"
    )
    # How far the escalation has gone: steps of the chain told (0: none yet), then the repeats
    # at the top. Moved only under the incident's lock, so a second scan tells nobody again.
    escalation_steps_done = models.PositiveSmallIntegerField(default=0)
    escalation_round = models.PositiveIntegerField(default=0)
    # An alarm's cause ("positive:123"): one incident per cause, however often the scan runs.
    cause = models.CharField(max_length=100, null=True, blank=True, unique=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [models.Index(fields=["status", "ack_due_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(severity__gte=1, severity__lte=5), name="incident_severity_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def display_title(self) -> str:
        """The reporter's title, else (an alarm's incident) its type: stored as a code."""
        return self.title or str(self.get_kind_display())

    def is_overdue(self, now=None) -> bool:
        return self.status == Status.OPEN and self.ack_due_at <= (now or timezone.now())


class IncidentEvent(models.Model):
    """One line of an incident's history: a move, an action, an assignment, an escalation.
    Append-only; ``text`` holds only a person's own words, the rest is ``code`` + ``data``."""

    class Code(models.TextChoices):
        REPORTED = "reported", _("Reported")
        MOVED = "moved", _("Status changed")
        ACTION = "action", _("Action taken")
        ASSIGNED = "assigned", _("Owner assigned")
        ESCALATED = "escalated", _("Escalated")

    incident = models.ForeignKey(Incident, models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    code = models.CharField(max_length=20, choices=Code.choices)
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.code}"


class Post(models.TextChoices):
    DUTY_OFFICER = "duty_officer", _("Duty officer")
    DUTY_CHIEF = "duty_chief", _("Duty chief")
    DIRECTOR_GENERAL = "director_general", _("Director-general")


class EscalationStep(AuditedModel):
    """One step of the escalation chain, in ``position`` order: whoever holds ``post`` on the
    roster at that moment, or the named ``user`` (a director-general is not on a roster)."""

    position = models.PositiveSmallIntegerField(_("position"), unique=True)
    post = models.CharField(_("post"), max_length=30, choices=Post.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("named person"),
    )
    # How long after the previous step (or the deadline, for the first) this one is notified.
    after_minutes = models.PositiveIntegerField(_("minutes after the previous step"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")

    def __str__(self) -> str:
        return f"{self.position}. {self.get_post_display()}"


class EscalationNotice(models.Model):
    """Who was told, when, at which step and round: written once (the unique key keeps a second
    run of the scan at the same instant from telling anyone again)."""

    incident = models.ForeignKey(Incident, models.CASCADE, related_name="notices")
    position = models.PositiveSmallIntegerField()
    # 0 for the chain's first pass; 1, 2, … for the repeats at the top.
    round = models.PositiveIntegerField(default=0)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "position", "round", "recipient"], name="one_notice_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} step {self.position} round {self.round}"


class Handover(AuditedModel):
    """A shift handed over: the outgoing officer's note, the incoming officer's countersignature
    after being shown every open incident (their ids, as shown, are kept)."""

    outgoing = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("outgoing")
    )
    incoming = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("incoming")
    )
    note = models.TextField(_("handover note"))
    written_at = models.DateTimeField(_("written"))
    countersigned_at = models.DateTimeField(_("countersigned"), null=True, blank=True)
    incidents_shown = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-written_at", "-id"]
        verbose_name = _("shift handover")
        verbose_name_plural = _("shift handovers")

    def __str__(self) -> str:
        return f"{self.outgoing} → {self.incoming} {self.written_at:%Y-%m-%d %H:%M}"
