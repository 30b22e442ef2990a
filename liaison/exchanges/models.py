"""Expert exchanges: video conferences with foreign counterparts and their minutes.

Everyone who takes part is a ``directory.Person`` (the directory is the one list of people,
ours included: a vice mayor is a person of the city government, an organization of kind
"Chinese authority"), so a name typed on the plan form becomes a directory entry. What changes a
conference is a service (``services.py``), which writes a ``ConferenceEvent``: a code and its
parameters, rendered in the reader's language.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from liaison.contacts.models import Side  # one vocabulary of sides with the contact log
from liaison.core.tracking import AuditedModel
from liaison.directory.models import Organization, Person


class Platform(models.TextChoices):
    ZOOM = "zoom", "Zoom"
    TEAMS = "teams", "Microsoft Teams"
    WEBEX = "webex", "Webex"
    TENCENT = "tencent", _("Tencent Meeting")
    DINGTALK = "dingtalk", _("DingTalk")
    SKYPE = "skype", "Skype"
    MINISTRY = "ministry", _("The Ministry's video system")
    OTHER = "other", _("Other")


class ParticipantRole(models.TextChoices):
    EXPERT = "expert", _("Expert")
    OFFICIAL = "official", _("Official")
    INTERPRETER = "interpreter", _("Interpreter")
    MODERATOR = "moderator", _("Moderator")
    DIPLOMAT = "diplomat", _("Diplomat")
    OBSERVER = "observer", _("Observer")
    ORGANIZER = "organizer", _("Organizer")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    COUNTERPARTS = "counterparts", _("Shared with the counterparts")
    INTERNAL = "internal", _("Internal")


class Conference(AuditedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        FINALIZED = "finalized", _("Minutes finalized")

    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    # The Ministry of Foreign Affairs, an embassy… or nobody: the office arranged it itself.
    arranged_by = models.ForeignKey(
        Organization,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="arranged_conferences",
        verbose_name=_("arranged by"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    # A meeting number or room, never a password.
    platform_detail = models.CharField(_("meeting number or room"), max_length=200, blank=True)
    organizations = models.ManyToManyField(
        Organization, related_name="conferences", blank=True, verbose_name=_("organizations")
    )
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    finalized_at = models.DateTimeField(_("finalized"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("finalized by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("planned by")
    )
    created_at = models.DateTimeField(_("planned"), default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="exchanges_conference_times"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        language = translation.get_language() or ""
        return self.title_zh if language.startswith("zh") else self.title_en

    @property
    def summary(self) -> str:
        language = translation.get_language() or ""
        if language.startswith("zh"):
            return self.summary_zh or self.summary_en
        return self.summary_en or self.summary_zh

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINALIZED


class ConferenceCountry(models.Model):
    """A counterpart country and the time zone its side joins from (its times are shown in it)."""

    conference = models.ForeignKey(
        Conference, models.CASCADE, related_name="countries", verbose_name=_("conference")
    )
    country = CountryField(_("country or region"))
    time_zone = models.CharField(_("time zone"), max_length=60)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["conference", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "country"], name="exchanges_country_once")
        ]

    def __str__(self) -> str:
        return f"{self.country.code} {self.time_zone}"


class Participant(models.Model):
    conference = models.ForeignKey(
        Conference, models.CASCADE, related_name="participants", verbose_name=_("conference")
    )
    person = models.ForeignKey(
        Person, models.PROTECT, related_name="conference_seats", verbose_name=_("person")
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    role = models.CharField(_("role"), max_length=20, choices=ParticipantRole.choices)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["conference", "side", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "person"], name="exchanges_participant_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class AgendaItem(models.Model):
    conference = models.ForeignKey(
        Conference, models.CASCADE, related_name="agenda", verbose_name=_("conference")
    )
    title_zh = models.CharField(_("item (Chinese)"), max_length=300, blank=True)
    title_en = models.CharField(_("item (English)"), max_length=300, blank=True)
    presenter = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("presenter")
    )
    minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["conference", "sort_order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        language = translation.get_language() or ""
        if language.startswith("zh"):
            return self.title_zh or self.title_en
        return self.title_en or self.title_zh


class Question(models.Model):
    """A question one side asked and the answer the other gave, in both languages of the minutes."""

    conference = models.ForeignKey(
        Conference, models.CASCADE, related_name="questions", verbose_name=_("conference")
    )
    asked_by = models.ForeignKey(
        Person, models.PROTECT, related_name="+", verbose_name=_("asked by")
    )
    question_zh = models.TextField(_("question (Chinese)"), blank=True)
    question_en = models.TextField(_("question (English)"), blank=True)
    answered_by = models.ForeignKey(
        Person,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answer_zh = models.TextField(_("answer (Chinese)"), blank=True)
    answer_en = models.TextField(_("answer (English)"), blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["conference", "sort_order", "id"]

    def __str__(self) -> str:
        return (self.question_zh or self.question_en)[:80]


def _material_path(instance, filename: str) -> str:
    # A random stored name: a file's own name may carry a person's name into backups and logs.
    import secrets

    from liaison.exchanges.materials import SUFFIX_OF_TYPE

    suffix = SUFFIX_OF_TYPE.get(instance.content_type, ".bin")
    return f"exchanges/{instance.conference_id}/{secrets.token_hex(16)}{suffix}"


class Material(AuditedModel):
    conference = models.ForeignKey(
        Conference, models.CASCADE, related_name="materials", verbose_name=_("conference")
    )
    title = models.CharField(pgettext_lazy("document title", "title"), max_length=300)
    language = models.CharField(_("language"), max_length=10)
    version = models.PositiveIntegerField(_("version"), default=1)
    visibility = models.CharField(_("who may see it"), max_length=20, choices=Visibility.choices)
    shared_by = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("shared by")
    )
    file = models.FileField(_("file"), upload_to=_material_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["conference", "uploaded_at", "id"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "title", "language", "version"],
                name="exchanges_material_version_once",
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class ConferenceEvent(models.Model):
    """One entry of a conference's history: a code and its parameters, never a frozen sentence.
    Written only by the services; never edited."""

    class Type(models.TextChoices):
        PLANNED = "planned", _("Planned")
        REVISED = "revised", _("Plan revised")
        QUESTION = "question", _("Question recorded")
        MATERIAL = "material", _("Material shared")
        FOLLOW_UP = "follow_up", _("Follow-up recorded")
        FINALIZED = "finalized", _("Minutes finalized")

    conference = models.ForeignKey(
        Conference, models.CASCADE, related_name="events", verbose_name=_("conference")
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by")
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    # What changed: the fields of a revision, a material's id and version, a question's id.
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["conference", "at", "id"]

    def __str__(self) -> str:
        return f"{self.conference_id} {self.type} {self.at:%Y-%m-%d %H:%M}"
