"""Foreign media (issue 14, point 5): requests from the media and the office's press releases.

The media organizations and their accredited correspondents are the directory's (a media bureau
and its people with a press card): this desk keeps no second list, it links to them.

A ``MediaRequest`` is an interview, information, visit or filming asked by a bureau (and one of
its correspondents), received at a time, due by a deadline; it is assigned to an officer, then
answered (by one of our officers or a spokesperson of the directory), declined with a reason, or
withdrawn by them (its moves: ``states.py``). Every move and every correction is a
``MediaRequestEvent`` — a code and its data, rendered in the reader's language (``events.py``).
Nothing is deleted.

A ``PressRelease`` has its title and body in Chinese and English; once published it is locked,
and the bureaus and correspondents it was sent to are recorded, each with the time it was sent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.core.tracking import AuditedModel

# What a person may type into one field: a subject, a question, an answer, a release's body.
SUBJECT_MAX = 300
TEXT_MAX = 5000
BODY_MAX = 20000


class RequestKind(models.TextChoices):
    INTERVIEW = "interview", _("Interview")
    INFORMATION = "information", _("Request for information")
    VISIT = "visit", pgettext_lazy("media request", "Visit")
    FILMING = "filming", _("Filming")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("media request status", "Withdrawn")


OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.ASSIGNED)


class MediaRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now=None):
        return self.open().filter(deadline__lt=now or timezone.now())


class MediaRequest(AuditedModel):
    Kind = RequestKind
    Status = RequestStatus

    kind = models.CharField(_("type"), max_length=20, choices=RequestKind.choices)
    bureau = models.ForeignKey(
        "directory.Organization",
        models.PROTECT,
        related_name="media_requests",
        verbose_name=_("media bureau"),
    )
    correspondent = models.ForeignKey(
        "directory.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="media_requests",
        verbose_name=_("correspondent"),
    )
    received_at = models.DateTimeField(_("received"))
    deadline = models.DateTimeField(_("deadline"))
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    question = models.TextField(_("what was asked"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="media_requests",
        verbose_name=_("assigned officer"),
    )
    # The answer: given by one of our officers or a spokesperson of the directory.
    answered_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by (our officer)"),
    )
    answered_by_person = models.ForeignKey(
        "directory.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="media_answers",
        verbose_name=_("answered by (spokesperson)"),
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # Declined (by us) or withdrawn (by them): why, and when.
    closed_reason = models.TextField(_("reason"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = MediaRequestQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("media request")
        verbose_name_plural = _("media requests")
        indexes = [
            models.Index(fields=["status", "deadline"], name="media_request_open_due"),
            models.Index(fields=["assigned_to", "status"], name="media_request_officer"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("received_at")),
                name="media_request_deadline_after_receipt",
            ),
            models.CheckConstraint(
                condition=~Q(answered_by_user__isnull=False, answered_by_person__isnull=False),
                name="media_request_one_answerer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.subject[:80]}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline < timezone.now()

    @property
    def answered_by(self) -> str:
        if self.answered_by_user_id:
            user = self.answered_by_user
            return user.get_full_name() or user.get_username()
        if self.answered_by_person_id:
            return str(self.answered_by_person)
        return ""


class RequestEventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("media request status", "Withdrawn")
    CORRECTED = "corrected", _("Corrected")


class MediaRequestEvent(models.Model):
    """One move or correction: a code, the statuses, its data (``{"field": {"before", "after"}}``
    for a correction, the officer for an assignment) and a person's own words in ``reason``."""

    request = models.ForeignKey(MediaRequest, models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=RequestEventKind.choices)
    from_status = models.CharField(max_length=20, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=RequestStatus.choices, blank=True)
    data = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["request", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class PressRelease(AuditedModel):
    title_zh = models.CharField(
        pgettext_lazy("press release", "title (Chinese)"), max_length=SUBJECT_MAX, blank=True
    )
    title_en = models.CharField(
        pgettext_lazy("press release", "title (English)"), max_length=SUBJECT_MAX, blank=True
    )
    body_zh = models.TextField(_("text (Chinese)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(_("drafted"), default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-drafted_at", "-id"]
        verbose_name = _("press release")
        verbose_name_plural = _("press releases")

    def __str__(self) -> str:
        return self.title

    @property
    def published(self) -> bool:
        return self.published_at is not None

    @property
    def title(self) -> str:
        from django.utils import translation

        if (translation.get_language() or "").startswith("zh"):
            return self.title_zh or self.title_en
        return self.title_en or self.title_zh


class ReleaseRecipient(models.Model):
    """A bureau or a correspondent a published release was sent to, and when."""

    release = models.ForeignKey(PressRelease, models.PROTECT, related_name="recipients")
    bureau = models.ForeignKey(
        "directory.Organization",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="press_releases_received",
        verbose_name=_("media bureau"),
    )
    correspondent = models.ForeignKey(
        "directory.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="press_releases_received",
        verbose_name=_("correspondent"),
    )
    sent_at = models.DateTimeField(_("sent"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["release", "sent_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(bureau__isnull=False) & Q(correspondent__isnull=True))
                | (Q(bureau__isnull=True) & Q(correspondent__isnull=False)),
                name="media_recipient_one_who",
            ),
            models.UniqueConstraint(
                fields=["release", "bureau"],
                condition=Q(bureau__isnull=False),
                name="media_recipient_bureau_once",
            ),
            models.UniqueConstraint(
                fields=["release", "correspondent"],
                condition=Q(correspondent__isnull=False),
                name="media_recipient_person_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.bureau.name if self.bureau_id else self.correspondent)


class ReleaseEventKind(models.TextChoices):
    DRAFTED = "drafted", pgettext_lazy("press release event", "Drafted")
    EDITED = "edited", _("Edited")
    PUBLISHED = "published", _("Published")
    SENT = "sent", _("Sent")


class PressReleaseEvent(models.Model):
    release = models.ForeignKey(PressRelease, models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=ReleaseEventKind.choices)
    # An edit: the fields changed (before and after); a sending: how many recipients.
    data = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["release", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
