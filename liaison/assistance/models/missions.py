"""The foreign-mission directory: who represents which country for this city, and where."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from liaison.assistance.regions import region_name
from liaison.core.models import BilingualName
from liaison.core.tracking import AuditedModel


class Mission(AuditedModel, BilingualName):
    """A consulate, embassy or Hong Kong/Macao office that serves people of one country here."""

    class Kind(models.TextChoices):
        CONSULATE_GENERAL = "consulate_general", _("Consulate general")
        CONSULATE = "consulate", _("Consulate")
        EMBASSY = "embassy", _("Embassy")
        HONORARY_CONSULATE = "honorary_consulate", _("Honorary consulate")
        HK_MACAO_OFFICE = "hk_macao_office", _("Hong Kong or Macao office")

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    country = CountryField(_("country or region"))
    city = models.CharField(_("city"), max_length=100)
    address_zh = models.CharField(_("address (Chinese)"), max_length=300, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    duty_phone = models.CharField(_("duty phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # Language codes in order of preference, e.g. ["ko", "en"]; notifications use the first one
    # a template exists for, else English.
    languages = models.JSONField(_("languages of correspondence"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["country", "kind", "code"]
        verbose_name = _("foreign mission")
        verbose_name_plural = _("foreign missions")

    @property
    def address(self) -> str:
        from django.utils import translation

        language = translation.get_language() or ""
        if language.startswith("zh"):
            return self.address_zh or self.address_en
        return self.address_en or self.address_zh


class MissionCoverage(models.Model):
    """One region of a mission's consular district.

    ``region`` is an administrative division code (GB/T 2260) or a prefix of one: "50" is all of
    Chongqing, "51" Sichuan, "500112" only Yubei; "CN" is the whole country (an embassy). A
    jurisdiction is covered when its code starts with the region, so the most specific region wins.
    """

    mission = models.ForeignKey(
        Mission, models.CASCADE, related_name="coverage", verbose_name=_("mission")
    )
    region = models.CharField(_("region code"), max_length=20)

    class Meta:
        ordering = ["mission", "region"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "region"], name="assistance_coverage_once")
        ]
        verbose_name = _("consular district region")
        verbose_name_plural = _("consular district regions")

    def __str__(self) -> str:
        return region_name(self.region)


class MissionContact(models.Model):
    mission = models.ForeignKey(
        Mission, models.CASCADE, related_name="contacts", verbose_name=_("mission")
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["mission", "sort_order", "id"]
        verbose_name = _("mission contact")
        verbose_name_plural = _("mission contacts")

    def __str__(self) -> str:
        return self.name
