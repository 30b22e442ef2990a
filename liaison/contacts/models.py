"""The contact log (issue 14, point 2) and the commitments ledger (point 3).

A ``Contact`` is one call, visit, meeting, video call, letter, diplomatic note or e-mail with
counterparts: when (stored in UTC, entered and shown in ``time_zone``; the counterpart's own
shown too), where, who took part on each side with a role, topics, summary and outcomes. Nothing
is deleted: a correction writes a ``ContactRevision`` (who, when, what, why) and a contact logged
in error is *withdrawn* and stays visible as such.

A ``Commitment`` is what one side promised, with an owner, a due date and a status (its moves:
``states.py``). It comes from a contact's outcome, or from another desk's record — an expert
conference — named by ``source_kind`` and ``source_id`` (and ``source_label`` to show it), so
the ledger imports nothing of that desk and its migrations depend on no app that may not exist.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.core.tracking import AuditedModel


class ContactKind(models.TextChoices):
    CALL = "call", _("Phone call")
    VISIT = "visit", _("Visit")
    MEETING = "meeting", _("Meeting")
    VIDEO_CALL = "video_call", _("Video call")
    LETTER = "letter", _("Letter")
    NOTE = "diplomatic_note", _("Diplomatic note")
    EMAIL = "email", _("E-mail")


class Side(models.TextChoices):
    OURS = "ours", _("Our side")
    THEIRS = "theirs", _("Their side")


class ParticipantRole(models.TextChoices):
    LED = "led", _("Led")
    ATTENDED = "attended", _("Attended")
    INTERPRETED = "interpreted", _("Interpreted")
    NOTE_TAKER = "note_taker", _("Took notes")
    ACCOMPANIED = "accompanied", _("Accompanied")


class OutcomeKind(models.TextChoices):
    INFORMATION = "information", _("Information")
    DECISION = "decision", _("Decision")
    COMMITMENT = "commitment", _("Commitment")


class ContactQuerySet(models.QuerySet):
    def standing(self):
        """Not withdrawn: what counts in lists of the relationship."""
        return self.filter(withdrawn_at__isnull=True)


class Contact(AuditedModel):
    Kind = ContactKind

    kind = models.CharField(_("type"), max_length=20, choices=ContactKind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    # The zone it was entered in (the office's by default) and the counterpart's, when it differs
    # (a video call with Kyiv): both are shown.
    time_zone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
    counterpart_time_zone = models.CharField(
        _("counterpart's time zone"), max_length=64, blank=True
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    medium = models.CharField(_("medium"), max_length=200, blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    follows = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("follows up"),
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("logged by")
    )
    logged_at = models.DateTimeField(_("logged"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("why withdrawn"), blank=True)
    # Topics, summary, place and every participant's and organization's names as search reads
    # them (``contacts/indexing.py``), written by the services: a search is one LIKE per word.
    search_text = models.TextField(blank=True, default="", editable=False)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["starts_at"], name="contacts_contact_starts")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="contacts_contact_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.local_start:%Y-%m-%d %H:%M}"

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at, ZoneInfo(self.time_zone))

    @property
    def local_end(self):
        return timezone.localtime(self.ends_at, ZoneInfo(self.time_zone)) if self.ends_at else None

    @property
    def counterpart_start(self):
        """The start in the counterpart's zone, or None when it is the same as ours."""
        if not self.counterpart_time_zone or self.counterpart_time_zone == self.time_zone:
            return None
        return timezone.localtime(self.starts_at, ZoneInfo(self.counterpart_time_zone))

    @property
    def counterpart_end(self):
        if self.counterpart_start is None or self.ends_at is None:
            return None
        return timezone.localtime(self.ends_at, ZoneInfo(self.counterpart_time_zone))


class Participant(models.Model):
    """One person who took part, on one side, in one role: a directory person or one of us."""

    contact = models.ForeignKey(Contact, models.CASCADE, related_name="participants")
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices)
    person = models.ForeignKey(
        "directory.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_participations",
        verbose_name=_("person"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_participations",
        verbose_name=_("our officer"),
    )
    # The person's organization when they took part (a person who changes post gets a new
    # directory entry, but the log keeps who they spoke for).
    organization = models.ForeignKey(
        "directory.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_participations",
        verbose_name=_("organization"),
    )
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["contact", "side", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(user__isnull=True))
                | (Q(person__isnull=True) & Q(user__isnull=False)),
                name="contacts_participant_one_who",
            ),
        ]

    def __str__(self) -> str:
        if self.user_id:
            return self.user.get_full_name() or self.user.get_username()
        return str(self.person)


class Outcome(models.Model):
    contact = models.ForeignKey(Contact, models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("outcome"), max_length=20, choices=OutcomeKind.choices)
    text = models.TextField(_("what"))
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["contact", "sort_order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class RevisionKind(models.TextChoices):
    LOGGED = "logged", _("Logged")
    CORRECTED = "corrected", _("Corrected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ContactRevision(models.Model):
    """A contact's event: logged, corrected (each field's value before and after), withdrawn."""

    contact = models.ForeignKey(Contact, models.PROTECT, related_name="revisions")
    kind = models.CharField(max_length=20, choices=RevisionKind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    # {"field": {"before": …, "after": …}}: stored as data, rendered in the reader's language.
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["contact", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class CommitmentStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("commitment status", "Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class CommitmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=CommitmentStatus.OPEN)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class Commitment(AuditedModel):
    Status = CommitmentStatus

    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    description = models.TextField(_("what was promised"))
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    # Ours: an officer. Theirs: a person of the directory, or an organization as a whole.
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("owner (ours)"),
    )
    owner_person = models.ForeignKey(
        "directory.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("owner (person)"),
    )
    owner_organization = models.ForeignKey(
        "directory.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("owner (organization)"),
    )
    # Where it was made: a contact's outcome, or another desk's record by kind and id
    # ("exchanges.conference", 12) with the label to show it by.
    contact = models.ForeignKey(
        Contact, models.PROTECT, null=True, blank=True, related_name="commitments"
    )
    outcome = models.OneToOneField(
        Outcome, models.PROTECT, null=True, blank=True, related_name="commitment"
    )
    source_kind = models.CharField(max_length=60, blank=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_label = models.CharField(_("made at"), max_length=300, blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes = [
            models.Index(fields=["status", "due_on"], name="contacts_commitment_due"),
            models.Index(fields=["source_kind", "source_id"], name="contacts_commitment_source"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(side=Side.OURS) & Q(owner_user__isnull=False))
                | (
                    Q(side=Side.THEIRS)
                    & Q(owner_user__isnull=True)
                    & (Q(owner_person__isnull=False) | Q(owner_organization__isnull=False))
                ),
                name="contacts_commitment_owner",
            ),
            models.CheckConstraint(
                condition=(Q(contact__isnull=False) & Q(source_kind=""))
                | (Q(contact__isnull=True) & ~Q(source_kind="") & Q(source_id__isnull=False)),
                name="contacts_commitment_one_source",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def owner(self) -> str:
        if self.owner_user_id:
            return self.owner_user.get_full_name() or self.owner_user.get_username()
        if self.owner_person_id:
            return str(self.owner_person)
        return str(self.owner_organization)

    @property
    def organization(self):
        """Their side's organization, for a commitment of theirs."""
        if self.owner_person_id:
            return self.owner_person.organization
        return self.owner_organization

    @property
    def is_overdue(self) -> bool:
        return self.status == CommitmentStatus.OPEN and self.due_on < timezone.localdate()


class CommitmentEventKind(models.TextChoices):
    MADE = "made", _("Made")
    MOVED = "moved", _("Status changed")
    RESCHEDULED = "rescheduled", _("Due date changed")


class CommitmentEvent(models.Model):
    commitment = models.ForeignKey(Commitment, models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=CommitmentEventKind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=10, choices=CommitmentStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=CommitmentStatus.choices, blank=True)
    from_due = models.DateField(null=True, blank=True)
    to_due = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["commitment", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
