"""Versions of the screening policy: rules and risk lists, each versioned on its own.

A version is the document an administrator uploaded (kept as written, with its comments), the
digest of what it says, who wrote it, why, and from when it is in force. Drafts can be previewed
and discarded; a published version is never edited again, only superseded by a later one.
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.core.tracking import AuditedModel
from liaison.policy import engine


class PolicyKind(models.TextChoices):
    RULES = "rules", _("Rules")
    RISK_LIST = "risk_list", _("Risk list")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


class DispositionChoice(models.TextChoices):
    """The one vocabulary of dispositions for models and pages: the engine's words
    (``engine.Disposition``) with their translated labels. Screening, handover and the
    policy pages all use it; ``tests/policy/test_vocabulary.py`` ties it to the engine."""

    HOSPITAL = (
        engine.Disposition.HOSPITAL.value,
        pgettext_lazy("disposition", "Designated hospital"),
    )
    CENTRALIZED_QUARANTINE = (
        engine.Disposition.CENTRALIZED_QUARANTINE.value,
        pgettext_lazy("disposition", "Centralized quarantine"),
    )
    HOME_QUARANTINE = (
        engine.Disposition.HOME_QUARANTINE.value,
        pgettext_lazy("disposition", "Home quarantine"),
    )
    ONWARD_TRANSFER = (
        engine.Disposition.ONWARD_TRANSFER.value,
        pgettext_lazy("disposition", "Closed-loop onward transfer"),
    )
    DIPLOMATIC_ARRANGEMENT = (
        engine.Disposition.DIPLOMATIC_ARRANGEMENT.value,
        pgettext_lazy("disposition", "Quarantine at residence by diplomatic arrangement"),
    )


class ImmutableVersion(Exception):  # noqa: N818 - says what it is
    """Someone tried to change or delete a published version."""


def content_digest(data) -> str:
    """SHA-256 of what a document says (its parsed content), not of how it is written: the same
    policy with other comments or spacing is the same version."""
    canonical = json.dumps(
        data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class PolicyVersion(AuditedModel):
    """What rules versions and risk-list versions have in common."""

    Status = VersionStatus
    kind: PolicyKind

    # Everything a decision's explanation depends on; frozen once published.
    FROZEN_FIELDS = ("source", "digest", "version", "author_id", "note", "effective_from")

    version = models.CharField(_("version"), max_length=64)
    source = models.TextField(_("document"))
    digest = models.CharField(_("content digest"), max_length=64, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    # Who wrote it when no person did (the reference data loader).
    author_name = models.CharField(_("author"), max_length=150, blank=True)
    note = models.TextField(_("note"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    effective_from = models.DateTimeField(_("effective from"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        abstract = True
        ordering = ["-effective_from", "-created_at"]

    def __str__(self) -> str:
        return f"{self.kind.label} {self.version}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def author_label(self) -> str:
        return self.author.get_username() if self.author_id else self.author_name

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_audit_loaded", None)
        if self.pk is not None and loaded and loaded.get("status") != VersionStatus.DRAFT:
            changed = [f for f in self.FROZEN_FIELDS if getattr(self, f) != loaded.get(f)]
            if changed or self.status == VersionStatus.DRAFT:
                raise ImmutableVersion(
                    f"{self} is published and cannot be changed ({', '.join(changed) or 'status'})"
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status != VersionStatus.DRAFT:
            raise ImmutableVersion(f"{self} is published and cannot be deleted")
        return super().delete(*args, **kwargs)


def _one_per_effective_time(name: str) -> models.UniqueConstraint:
    # Two published versions of one kind taking effect at the same instant would leave two in
    # force; the services refuse it and the database makes sure.
    return models.UniqueConstraint(
        fields=["effective_from"], condition=~Q(status=VersionStatus.DRAFT), name=name
    )


def _one_label(name: str) -> models.UniqueConstraint:
    # Decisions record the version label; a label must name one published document.
    return models.UniqueConstraint(
        fields=["version"], condition=~Q(status=VersionStatus.DRAFT), name=name
    )


class RulesVersion(PolicyVersion):
    kind = PolicyKind.RULES
    superseded_by = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )

    class Meta(PolicyVersion.Meta):
        verbose_name = _("rules version")
        verbose_name_plural = _("rules versions")
        constraints = [
            _one_per_effective_time("one_rules_version_per_effective_time"),
            _one_label("one_published_rules_version_per_label"),
        ]


class RiskListVersion(PolicyVersion):
    kind = PolicyKind.RISK_LIST
    superseded_by = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )

    class Meta(PolicyVersion.Meta):
        verbose_name = _("risk list version")
        verbose_name_plural = _("risk list versions")
        constraints = [
            _one_per_effective_time("one_risk_list_version_per_effective_time"),
            _one_label("one_published_risk_list_version_per_label"),
        ]


VERSION_MODELS: dict[str, type[PolicyVersion]] = {
    PolicyKind.RULES: RulesVersion,
    PolicyKind.RISK_LIST: RiskListVersion,
}


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an officer")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")
    # A later version flagged the same traveler again; that newer review is the one to decide.
    SUPERSEDED = "superseded", _("Replaced by a newer review")


class PolicyReview(AuditedModel):
    """A current traveler a newly published version would move, waiting for an officer.

    Publishing never moves anyone: it writes one of these per traveler whose disposition would
    change, with both decisions (and their reasons) as the engine gave them.
    """

    arrival = models.ForeignKey(
        "arrivals.Arrival", models.CASCADE, related_name="policy_reviews", verbose_name=_("arrival")
    )
    from_rules = models.ForeignKey(
        RulesVersion, models.PROTECT, related_name="+", verbose_name=_("rules before")
    )
    from_risk_list = models.ForeignKey(
        RiskListVersion, models.PROTECT, related_name="+", verbose_name=_("risk list before")
    )
    to_rules = models.ForeignKey(
        RulesVersion, models.PROTECT, related_name="+", verbose_name=_("rules after")
    )
    to_risk_list = models.ForeignKey(
        RiskListVersion, models.PROTECT, related_name="+", verbose_name=_("risk list after")
    )
    old_disposition = models.CharField(
        _("disposition before"), max_length=30, choices=DispositionChoice.choices
    )
    new_disposition = models.CharField(
        _("disposition after"), max_length=30, choices=DispositionChoice.choices
    )
    # Decision.as_dict() of each side: rule, steps and structured reasons, renderable later.
    old_decision = models.JSONField(_("decision before"))
    new_decision = models.JSONField(_("decision after"))
    status = models.CharField(
        _("status"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    created_at = models.DateTimeField(_("flagged"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # The officer's reason, the same for every review decided together (``reviews.decide_reviews``).
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("policy review")
        verbose_name_plural = _("policy reviews")
        indexes = [models.Index(fields=["status", "created_at"], name="policy_review_queue")]

    def __str__(self) -> str:
        return f"{self.arrival_id}: {self.old_disposition} -> {self.new_disposition}"
