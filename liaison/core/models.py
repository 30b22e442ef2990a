"""People, places and the audit trail: what every desk of Liaison stands on."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.core.roles import Role
from liaison.core.tracking import AuditedModel


class BilingualName(models.Model):
    """Reference data carries a Chinese and an English name; pages show the reader's one."""

    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = translation.get_language() or ""
        return self.name_zh if language.startswith("zh") else self.name_en


class Jurisdiction(AuditedModel, BilingualName):
    """A county-level area of the host city that receives travelers (district, county, zone)."""

    class Kind(models.TextChoices):
        DISTRICT = "district", pgettext_lazy("jurisdiction kind", "District")
        COUNTY = "county", _("County")
        AUTONOMOUS_COUNTY = "autonomous_county", _("Autonomous county")
        FUNCTIONAL_ZONE = "functional_zone", _("Functional zone")

    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    # The number a traveler bound for this jurisdiction calls (its epidemic-control hotline).
    hotline = models.CharField(_("hotline"), max_length=40, blank=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")


class Site(AuditedModel, BilingualName):
    """A designated place of the pipeline: where travelers are sampled, quarantined or treated."""

    class Kind(models.TextChoices):
        SAMPLING_SITE = "sampling_site", _("Sampling site")
        QUARANTINE_HOTEL = "quarantine_hotel", _("Quarantine hotel")
        DESIGNATED_HOSPITAL = "designated_hospital", _("Designated hospital")
        WAITING_AREA = "waiting_area", _("Waiting area")

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, models.PROTECT, related_name="sites", verbose_name=_("jurisdiction")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # The number a traveler at this site calls (the hotel's or the desk's duty phone).
    hotline = models.CharField(_("hotline"), max_length=40, blank=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")


class PortOfEntry(AuditedModel, BilingualName):
    class Kind(models.TextChoices):
        AIRPORT = "airport", _("Airport")
        RIVER_PORT = "river_port", _("River port")
        RAILWAY_PORT = "railway_port", _("Railway port")

    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    iata = models.CharField(_("IATA code"), max_length=3, blank=True)
    icao = models.CharField(_("ICAO code"), max_length=4, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, models.PROTECT, related_name="ports", verbose_name=_("jurisdiction")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("port of entry")
        verbose_name_plural = _("ports of entry")


class User(AuditedModel, AbstractUser):
    """A staff account. One role, optionally bound to one jurisdiction or one site."""

    role = models.CharField(_("role"), max_length=30, choices=Role.choices, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("jurisdiction"),
        help_text=_("Officers bound to a jurisdiction see only its records."),
    )
    site = models.ForeignKey(
        Site,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("site"),
    )
    is_machine = models.BooleanField(
        _("machine client"),
        default=False,
        help_text=_("An account for a system (a laboratory) that signs in only with API tokens."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self):
        super().clean()
        if (
            self.jurisdiction_id
            and self.site_id
            and self.site.jurisdiction_id != self.jurisdiction_id
        ):
            raise ValidationError({"site": _("The site is not in the user's jurisdiction.")})

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""


class AuditEntry(models.Model):
    """One thing someone did to a record. Append-only: database triggers refuse UPDATE and DELETE.

    Holds who, when, which record and which fields, never the values: a person's health data must
    not leak into the one table every administrator can read.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        DELETE = "delete", _("Delete")
        READ = "read", _("Read")
        EXPORT = "export", _("Export")
        LOGIN = "login", _("Sign-in")
        LOGIN_FAILED = "login_failed", _("Failed sign-in")
        LOGOUT = "logout", _("Sign-out")
        DENIED = "denied", _("Access denied")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # Plain values, not a foreign key: deleting a user must not rewrite the trail.
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("actor"), max_length=150, blank=True)
    # Indexed in Meta rather than with db_index: on PostgreSQL db_index on a text column adds a
    # second index for LIKE queries, and every action anywhere writes a row here.
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("record type"), max_length=100, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    # The records one read showed (a list page, an export, an API answer), one entry for them
    # all; null on every other entry. Nullable without a default so that SQLite adds the column
    # in place instead of copying the table (which would drop its append-only triggers).
    object_ids = models.JSONField(_("records shown"), null=True, blank=True)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    path = models.CharField(_("path"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["action"], name="audit_action"),
            models.Index(fields=["object_id"], name="audit_object_id"),
            # Also serves filters on the type alone.
            models.Index(fields=["object_type", "object_id"], name="audit_record"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries are append-only.")


def _token_digest(token: str) -> str:
    # Tokens carry 256 random bits, so a plain SHA-256 is enough: there is nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(AuditedModel):
    """A bearer token for a machine client. Only its SHA-256 digest is stored."""

    PREFIX = "lia_"

    name = models.CharField(pgettext_lazy("name of a thing", "name"), max_length=100)
    user = models.ForeignKey(
        User, models.PROTECT, related_name="api_tokens", verbose_name=_("acts as")
    )
    lookup = models.CharField(_("token start"), max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        User, models.PROTECT, related_name="+", null=True, verbose_name=_("created by")
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.lookup}…)"

    @classmethod
    def new_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(token: str) -> str:
        return _token_digest(token)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class RateCount(models.Model):
    """One client's requests under a rate limit, in the current window and the one before
    (``liaison/core/rate_limit.py``, which reads and moves it in one statement). ``key`` is a
    keyed hash of the limit's scope and the client's address: the table names no address."""

    key = models.CharField(max_length=64, primary_key=True)
    slot = models.BigIntegerField(help_text="The current window: seconds since 1970 // period.")
    in_slot = models.IntegerField(help_text="Requests allowed in the current window.")
    in_previous = models.IntegerField(help_text="Requests allowed in the window before it.")
    last_allowed = models.BooleanField(help_text="Whether the last request was allowed.")
    expires = models.BigIntegerField(help_text="Seconds since 1970 after which nothing counts.")

    def __str__(self) -> str:
        return self.key[:12]
