"""Assistance cases: one model and one workflow for citizens abroad and foreigners in the city."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from liaison.core.tracking import AuditedModel


class Kind(models.TextChoices):
    CITIZEN_ABROAD = "citizen_abroad", _("Citizen abroad")
    FOREIGNER_IN_CITY = "foreigner_in_city", _("Foreigner or Hong Kong/Macao/Taiwan resident here")


class Category(models.TextChoices):
    # (a) the city's citizens abroad
    STRANDED = "stranded", _("Stranded")
    SICK = "sick", _("Sick")
    SUPPLIES = "supplies", _("Short of masks or medicine")
    RETURN = "return", _("Needs to return")
    DETAINED = "detained", _("Detained")
    DECEASED = "deceased", _("Deceased")
    # (b) foreigners and Hong Kong/Macao/Taiwan residents in the city
    LANGUAGE = "language", _("Language help")
    DIET = "diet", _("Diet")
    MEDICAL = "medical", _("Medical care")
    CONTACT = "contact", _("Contact with family or consulate")
    DOCUMENTS = "documents", _("Visa or documents")
    QUARANTINE_LIVING = "quarantine_living", _("Quarantine living conditions")

    @property
    def kind(self) -> Kind:
        return CATEGORY_KIND[self]


CATEGORY_KIND: dict[str, Kind] = {
    **dict.fromkeys(
        ("stranded", "sick", "supplies", "return", "detained", "deceased"), Kind.CITIZEN_ABROAD
    ),
    **dict.fromkeys(
        ("language", "diet", "medical", "contact", "documents", "quarantine_living"),
        Kind.FOREIGNER_IN_CITY,
    ),
}


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


PRIORITY_ORDER = {Priority.URGENT: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}


class Requester(models.TextChoices):
    SELF = "self", _("The person themself")
    FAMILY = "family", _("Family")
    EMPLOYER = "employer", _("Employer")
    CONSULATE = "consulate", _("Consulate")
    DISTRICT = "district", _("District")


class Status(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for others")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


OPEN_STATUSES = frozenset(
    {Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING, Status.REOPENED}
)


class AssistanceCaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now=None):
        return self.open().filter(due_at__lt=now or timezone.now())


class AssistanceCase(AuditedModel):
    """A person who needs the desk's help, and everything done about it."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, editable=False)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    summary = models.TextField(_("what is needed"))

    # The person, as they or the requester wrote it: names in any script plus a Latin form.
    person_name = models.CharField(_("name (as written)"), max_length=200)
    person_name_latin = models.CharField(_("name in Latin letters"), max_length=200, blank=True)
    nationality = CountryField(_("nationality"))
    document_number = models.CharField(_("travel document number"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("E.164"))
    # Lower-case, accent-free forms of the names and the document number, for search.
    search_names = models.CharField(max_length=420, blank=True, editable=False, db_index=True)
    search_document = models.CharField(max_length=40, blank=True, editable=False, db_index=True)

    arrival = models.ForeignKey(
        "arrivals.Arrival",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assistance_cases",
        verbose_name=_("arrival"),
        help_text=_("The person's arrival record, when they came through the port of entry."),
    )

    # Where they are: a country and city abroad, or a jurisdiction of this city.
    location_country = CountryField(_("country where the person is"))
    location_city = models.CharField(_("city where the person is"), max_length=100, blank=True)
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assistance_cases",
        verbose_name=_("jurisdiction"),
    )
    location_detail = models.CharField(_("address or place"), max_length=300, blank=True)

    requester = models.CharField(_("requested by"), max_length=20, choices=Requester.choices)
    requester_detail = models.CharField(
        _("requester's name and contact"), max_length=300, blank=True
    )

    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assistance_cases",
        verbose_name=_("assigned officer"),
    )
    missions = models.ManyToManyField(
        "directory.Organization",
        blank=True,
        related_name="cases",
        verbose_name=_("missions involved"),
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    due_at = models.DateTimeField(_("due"), db_index=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = AssistanceCaseQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("assistance case")
        verbose_name_plural = _("assistance cases")

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"A-{self.pk:05d}" if self.pk else "A-new"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, now=None) -> bool:
        return self.is_open and self.due_at < (now or timezone.now())


class CaseEvent(models.Model):
    """One entry of a case's timeline. Written only by the services; never edited."""

    class Type(models.TextChoices):
        OPENED = "opened", _("Opened")
        ASSIGNED = "assigned", _("Assigned")
        ACTION = "action", _("Action taken")
        NOTE = "note", _("Note")
        STATUS = "status", _("Status changed")
        ATTACHMENT = "attachment", _("Attachment added")
        MISSION = "mission", _("Mission linked")
        NOTIFICATION = "notification", _("Consular notification")
        PRIORITY = "priority", _("Priority changed")

    case = models.ForeignKey(
        AssistanceCase, models.CASCADE, related_name="events", verbose_name=_("case")
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    # A person's own words only (a note, an action, a reason); what the system says is a code
    # with its parameters in ``data``, rendered for the reader by ``liaison.assistance.events``.
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.case_id} {self.type} {self.at:%Y-%m-%d %H:%M}"


def _attachment_path(instance, filename: str) -> str:
    # The stored name is random: the person's name in a file name would leak into backups and logs.
    import secrets

    suffix = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(
        instance.content_type, ".bin"
    )
    if instance.content_type.endswith("wordprocessingml.document"):
        suffix = ".docx"
    elif instance.content_type.endswith("spreadsheetml.sheet"):
        suffix = ".xlsx"
    return f"assistance/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{suffix}"


class CaseAttachment(AuditedModel):
    case = models.ForeignKey(
        AssistanceCase, models.CASCADE, related_name="attachments", verbose_name=_("case")
    )
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
