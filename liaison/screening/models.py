"""The airport side of an arrival after its declaration: temperatures, the desk's check of the
history, the sample, the laboratory's result and the disposition the policy decided.

State changes of the arrival itself go through ``liaison.arrivals.states.move`` (in the
services); these records are what the moves are about.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.arrivals.models import Arrival
from liaison.core.models import Site
from liaison.core.tracking import AuditedModel
from liaison.policy.models import DispositionChoice

# Below 30 °C or above 45 °C a reading is a typo or a broken device, not a person.
MIN_CELSIUS = Decimal("30.0")
MAX_CELSIUS = Decimal("45.0")


class TemperatureReading(AuditedModel):
    arrival = models.ForeignKey(Arrival, models.CASCADE, related_name="temperatures")
    celsius = models.DecimalField(
        _("temperature (°C)"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(MIN_CELSIUS), MaxValueValidator(MAX_CELSIUS)],
    )
    device = models.CharField(_("device"), max_length=100)
    taken_at = models.DateTimeField(_("taken at"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("officer")
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["arrival", "taken_at", "id"]
        verbose_name = _("temperature reading")
        verbose_name_plural = _("temperature readings")
        constraints = [
            models.CheckConstraint(
                condition=Q(celsius__gte=MIN_CELSIUS) & Q(celsius__lte=MAX_CELSIUS),
                name="temperature_in_human_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.arrival_id} {self.celsius} °C"


class HistoryCheck(AuditedModel):
    """The desk officer's check of the declared residence and travel history: confirmed as
    declared, or corrected (the declaration before and after are kept)."""

    arrival = models.ForeignKey(Arrival, models.CASCADE, related_name="history_checks")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("officer")
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    corrected = models.BooleanField(_("corrected"), default=False)
    before = models.JSONField(_("before"), default=list)
    after = models.JSONField(_("after"), default=list)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["arrival", "at", "id"]
        verbose_name = _("history check")
        verbose_name_plural = _("history checks")

    def __str__(self) -> str:
        return f"{self.arrival_id} history {'corrected' if self.corrected else 'confirmed'}"


class Sample(AuditedModel):
    """One nucleic-acid sample in one tube. A barcode is used once, ever."""

    arrival = models.ForeignKey(Arrival, models.CASCADE, related_name="samples")
    barcode = models.CharField(_("tube barcode"), max_length=40, unique=True)
    site = models.ForeignKey(Site, models.PROTECT, related_name="+", verbose_name=_("site"))
    collector = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("collector")
    )
    collected_at = models.DateTimeField(_("collected at"))
    # Set when an inconclusive result calls for a re-sample: the next tube replaces this one.
    superseded = models.BooleanField(_("replaced by a re-sample"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["arrival", "collected_at", "id"]
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        constraints = [
            # Sampling twice is refused by the state table; the database makes sure as well.
            models.UniqueConstraint(
                fields=["arrival"], condition=Q(superseded=False), name="one_live_sample"
            )
        ]

    def __str__(self) -> str:
        return self.barcode


class ResultValue(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    POSITIVE = "positive", _("Positive")
    INCONCLUSIVE = "inconclusive", _("Inconclusive (re-sample)")


class ResultSource(models.TextChoices):
    UI = "ui", _("Entered on the laboratory page")
    API = "api", _("Laboratory API")
    FILE = "file", _("Results file")


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed, not saved")
    SAVED = "saved", _("Saved")


class ResultsImport(models.Model):
    """One laboratory results file: kept from its preview to its saving, and afterwards so that
    the same file imported again changes nothing."""

    digest = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    filename = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("file"))
    lab = models.CharField(_("laboratory"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    saved = models.PositiveIntegerField(_("saved"), default=0)
    unchanged = models.PositiveIntegerField(_("already recorded"), default=0)
    bad = models.PositiveIntegerField(_("bad rows"), default=0)
    saved_at = models.DateTimeField(_("saved at"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("results file")
        verbose_name_plural = _("results files")
        constraints = [
            models.UniqueConstraint(
                fields=["digest"], condition=Q(status="saved"), name="results_file_saved_once"
            )
        ]

    def __str__(self) -> str:
        return self.filename


class LabResult(AuditedModel):
    sample = models.OneToOneField(Sample, models.PROTECT, related_name="result")
    result = models.CharField(_("result"), max_length=20, choices=ResultValue.choices)
    lab = models.CharField(_("laboratory"), max_length=200)
    tested_at = models.DateTimeField(_("tested at"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("reported by")
    )
    source = models.CharField(_("source"), max_length=10, choices=ResultSource.choices)
    batch = models.ForeignKey(
        ResultsImport,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="results",
        verbose_name=_("results file"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("laboratory result")
        verbose_name_plural = _("laboratory results")

    def __str__(self) -> str:
        return f"{self.sample_id} {self.result}"


class Disposition(AuditedModel):
    """What happens to the traveler, as the policy decided it (or an officer overrode it).

    Every decision is kept; exactly one per arrival is current. An override is a new row with
    the officer and their written reason, keeping the policy's decision record it departs from.
    """

    arrival = models.ForeignKey(Arrival, models.CASCADE, related_name="dispositions")
    disposition = models.CharField(
        _("disposition"), max_length=30, choices=DispositionChoice.choices
    )
    # Decision.as_dict() plus the version ids: rendered again later in any staff language.
    decision = models.JSONField(_("decision"))
    rule_id = models.CharField(_("rule"), max_length=100)
    rules_version = models.ForeignKey(
        "policy.RulesVersion", models.PROTECT, related_name="+", verbose_name=_("rules version")
    )
    risk_list_version = models.ForeignKey(
        "policy.RiskListVersion",
        models.PROTECT,
        related_name="+",
        verbose_name=_("risk list version"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
        help_text=_("Empty when the pipeline decided by itself."),
    )
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("overridden by"),
    )
    override_reason = models.TextField(_("reason for the override"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    is_current = models.BooleanField(_("current"), default=True)

    class Meta:
        ordering = ["arrival", "decided_at", "id"]
        verbose_name = _("disposition")
        verbose_name_plural = _("dispositions")
        constraints = [
            models.UniqueConstraint(
                fields=["arrival"], condition=Q(is_current=True), name="one_current_disposition"
            ),
            models.CheckConstraint(
                condition=Q(overridden_by__isnull=True) | ~Q(override_reason=""),
                name="override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.arrival_id} {self.disposition}"

    @property
    def is_override(self) -> bool:
        return self.overridden_by_id is not None

    @property
    def policy_disposition(self) -> str:
        """What the policy itself decided (differs from ``disposition`` after an override)."""
        return self.decision.get("disposition", self.disposition)
