"""One directory of the office's counterparts: organizations, their relations, and their people.

Every desk links here — the assistance desk and consular notifications to missions, the liaison
log to whoever took part, aid to donors and recipients, exchanges to counterpart institutions —
so no desk keeps an organization's name as free text (style.md, "One directory of counterparts").
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from liaison.core.models import BilingualName
from liaison.core.tracking import AuditedModel
from liaison.directory.search import search_key


class OrganizationKind(models.TextChoices):
    EMBASSY = "embassy", _("Embassy")
    CONSULATE_GENERAL = "consulate_general", _("Consulate general")
    CONSULATE = "consulate", _("Consulate")
    HONORARY_CONSULATE = "honorary_consulate", _("Honorary consulate")
    HK_MACAO_OFFICE = "hk_macao_office", _("Hong Kong or Macao office")
    MEDIA = "media", _("Media organization")
    MEDIA_BUREAU = "media_bureau", _("Media bureau")
    GOVERNMENT = "government", _("Foreign government")
    MINISTRY = "ministry", _("Ministry or government agency")
    SISTER_CITY = "sister_city", _("Sister city")
    FRIENDSHIP_PROVINCE = "friendship_province", _("Friendship province or state")
    CHAMBER_OF_COMMERCE = "chamber_of_commerce", _("Chamber of commerce")
    INTERNATIONAL = "international", _("International organization")
    HOSPITAL = "counterpart_hospital", _("Counterpart hospital")
    EXPERT_INSTITUTION = "expert_institution", _("Expert institution")
    # Our side: the Ministry, an embassy of China abroad, the city government, this office.
    CHINESE_AUTHORITY = "chinese_authority", _("Chinese authority")


# The kinds that serve their nationals here and receive consular notifications.
MISSION_KINDS = frozenset(
    {
        OrganizationKind.EMBASSY,
        OrganizationKind.CONSULATE_GENERAL,
        OrganizationKind.CONSULATE,
        OrganizationKind.HONORARY_CONSULATE,
        OrganizationKind.HK_MACAO_OFFICE,
    }
)
MEDIA_KINDS = frozenset({OrganizationKind.MEDIA, OrganizationKind.MEDIA_BUREAU})


class Organization(AuditedModel, BilingualName):
    """A consulate, a media bureau, a government, a sister city, a hospital… or a Chinese authority.

    ``parent`` says what it belongs to: a consulate general of a government, a bureau of a media
    group, a ministry of a government, a hospital of an expert institution's network.
    """

    Kind = OrganizationKind

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("type"), max_length=30, choices=OrganizationKind.choices)
    # In its own language and script (주청두 대한민국 총영사관); the Chinese and English names are
    # the office's (BilingualName).
    name_native = models.CharField(_("name in its own language"), max_length=200, blank=True)
    country = CountryField(_("country or region"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    address_zh = models.CharField(_("address (Chinese)"), max_length=300, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    duty_phone = models.CharField(_("duty phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # Language codes in order of preference, e.g. ["ko", "en"]; letters and notifications use the
    # first one a template exists for, else English.
    languages = models.JSONField(_("languages of correspondence"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # Every name as search reads it (``directory.search.search_key``), written on save.
    search_names = models.CharField(max_length=1000, blank=True, editable=False)

    class Meta:
        ordering = ["country", "kind", "code"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True)
                | Q(since__isnull=True)
                | Q(until__gte=models.F("since")),
                name="directory_organization_dates",
            ),
        ]

    @property
    def is_mission(self) -> bool:
        return self.kind in MISSION_KINDS

    @property
    def is_ours(self) -> bool:
        return self.kind == OrganizationKind.CHINESE_AUTHORITY

    @property
    def address(self) -> str:
        language = translation.get_language() or ""
        if language.startswith("zh"):
            return self.address_zh or self.address_en
        return self.address_en or self.address_zh

    def clean(self):
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An organization cannot be part of itself.")})

    def folded_names(self) -> str:
        return search_key(self.code, self.name_zh, self.name_en, self.name_native, self.city)

    def save(self, *args, **kwargs):
        self.search_names = self.folded_names()[:1000]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_names"}
        super().save(*args, **kwargs)


class ConsularDistrict(models.Model):
    """One region of a mission's consular district.

    ``region`` is an administrative division code (GB/T 2260) or a prefix of one: "50" is all of
    Chongqing, "51" Sichuan, "500112" only Yubei; "CN" is the whole country (an embassy). A
    jurisdiction is covered when its code starts with the region, so the most specific region wins.
    """

    organization = models.ForeignKey(
        Organization, models.CASCADE, related_name="districts", verbose_name=_("mission")
    )
    region = models.CharField(_("region code"), max_length=20)

    class Meta:
        ordering = ["organization", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "region"], name="directory_district_once"
            )
        ]
        verbose_name = _("consular district region")
        verbose_name_plural = _("consular district regions")

    def __str__(self) -> str:
        from liaison.directory.regions import region_name

        return region_name(self.region)


class Accreditation(models.TextChoices):
    NONE = "", _("None")
    DIPLOMATIC = "diplomatic", _("Diplomatic identity card")
    CONSULAR = "consular", _("Consular identity card")
    PRESS = "press", _("Foreign journalist's press card")
    OTHER = "other", _("Other accreditation")


class Person(AuditedModel):
    """Someone the office deals with, in the post they hold at one organization.

    A person who changes post gets a new entry (with ``since``/``until``), so the log keeps who
    they were when they took part. Phones and e-mail are personal data: reads are audited.
    """

    organization = models.ForeignKey(
        Organization, models.PROTECT, related_name="people", verbose_name=_("organization")
    )
    # As the person writes it (김민준, Маргарита, محمد), and in Latin letters as in their passport.
    name_native = models.CharField(_("name in native script"), max_length=200, blank=True)
    name_latin = models.CharField(_("name in Latin letters"), max_length=200, blank=True)
    # The name the office writes in Chinese documents, when it has one.
    name_zh = models.CharField(_("Chinese name"), max_length=200, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    mobile = models.CharField(_("mobile phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    accreditation = models.CharField(
        _("accreditation"), max_length=20, choices=Accreditation.choices, blank=True
    )
    accreditation_number = models.CharField(_("card number"), max_length=60, blank=True)
    since = models.DateField(_("in post since"), null=True, blank=True)
    until = models.DateField(_("in post until"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    search_names = models.CharField(max_length=700, blank=True, editable=False)

    class Meta:
        ordering = ["organization", "sort_order", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_native="") | ~Q(name_latin="") | ~Q(name_zh=""),
                name="directory_person_named",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True)
                | Q(since__isnull=True)
                | Q(until__gte=models.F("since")),
                name="directory_person_dates",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name for the reader: the Chinese one on Chinese pages, else native and Latin."""
        language = translation.get_language() or ""
        if language.startswith("zh") and self.name_zh:
            return self.name_zh
        if self.name_native and self.name_latin and self.name_native != self.name_latin:
            return f"{self.name_latin} ({self.name_native})"
        return self.name_latin or self.name_native or self.name_zh

    @property
    def title(self) -> str:
        language = translation.get_language() or ""
        if language.startswith("zh"):
            return self.title_zh or self.title_en
        return self.title_en or self.title_zh

    def folded_names(self) -> str:
        return search_key(self.name_native, self.name_latin, self.name_zh)

    def save(self, *args, **kwargs):
        self.search_names = self.folded_names()[:700]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_names"}
        super().save(*args, **kwargs)

    @property
    def in_post(self) -> bool:
        today = timezone.localdate()
        return (self.since is None or self.since <= today) and (
            self.until is None or self.until >= today
        )


class ChangeKind(models.TextChoices):
    CREATED = "created", pgettext_lazy("directory change", "Created")
    UPDATED = "updated", pgettext_lazy("directory change", "Corrected")
    DEACTIVATED = "deactivated", pgettext_lazy("directory change", "Deactivated")


class DirectoryChange(models.Model):
    """One change of an organization or a person: who, when, why, each field before and after.

    ``changes`` is data, ``{"field": {"before": …, "after": …}}`` with codes, ids and ISO dates
    as stored; ``directory/history.py`` renders it in the reader's language. ``by`` is empty for
    the city's reference data loaded by ``manage.py load_reference``. Nothing is deleted.
    """

    Kind = ChangeKind

    organization = models.ForeignKey(
        Organization, models.PROTECT, null=True, blank=True, related_name="changes"
    )
    person = models.ForeignKey(
        Person, models.PROTECT, null=True, blank=True, related_name="changes"
    )
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("directory change")
        verbose_name_plural = _("directory changes")
        constraints = [
            models.CheckConstraint(
                condition=(Q(organization__isnull=False) & Q(person__isnull=True))
                | (Q(organization__isnull=True) & Q(person__isnull=False)),
                name="directory_change_one_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
