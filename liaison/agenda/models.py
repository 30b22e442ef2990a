"""An officer's calendar feed token (issue 14, point 7).

A calendar application fetches the feed without a session, so the address carries a secret.
Like the API tokens of ``core``, only its SHA-256 digest is kept; its ``lookup`` (the part
before the secret) finds the row, and the digests are then compared in constant time, so a
guessed token learns nothing from how long the answer took. One active token per officer: a
new one revokes the old.
"""

import hashlib
import re
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.core.tracking import AuditedModel


class FeedTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class FeedToken(AuditedModel):
    PREFIX = "cal_"
    # cal_ + 12 hex characters of lookup + 43 URL-safe characters (256 random bits).
    SHAPE = re.compile(r"cal_([0-9a-f]{12})[A-Za-z0-9_-]{43}")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="feed_tokens",
        verbose_name=pgettext_lazy("calendar feed", "officer"),
    )
    lookup = models.CharField(_("token start"), max_length=12, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    # The language the feed's titles are written in: the one the officer used to create it
    # (a calendar application sends no preference of the officer's).
    language = models.CharField(_("language"), max_length=10)
    # Only what the officer takes part in or owns, or everything their desks show them.
    mine = models.BooleanField(_("only mine"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = FeedTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")
        constraints = [
            models.UniqueConstraint(fields=["lookup"], name="agenda_feedtoken_lookup_once"),
            # At most one active token per officer, whatever two requests do at once.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="agenda_feedtoken_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ({self.lookup}…)"

    @classmethod
    def new_secret(cls) -> tuple[str, str]:
        """A new token and its lookup."""
        lookup = secrets.token_hex(6)
        return f"{cls.PREFIX}{lookup}{secrets.token_urlsafe(32)}", lookup

    @staticmethod
    def digest_of(token: str) -> str:
        # 256 random bits: a plain SHA-256 leaves nothing to brute-force.
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
