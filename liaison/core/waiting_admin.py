"""What waits for an administrator (the home page, ``liaison.core.waiting``)."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.core.access import Area, can
from liaison.core.models import User
from liaison.core.selectors import api_tokens_visible_to
from liaison.core.waiting import Waiting, item

# A token nobody used for this long is probably left over: revoke it or find out who needs it.
IDLE_TOKEN_DAYS = 30


def accounts(user) -> list[Waiting]:
    if not can(user, Area.ADMIN):
        return []
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    without = (
        User.objects.filter(is_active=True, is_machine=False)
        .exclude(role="")
        .exclude(Exists(confirmed))
        .count()
    )
    return [
        item(_("Staff accounts without a second factor"), without, "admin:core_user_changelist")
    ]


def tokens(user) -> list[Waiting]:
    since = timezone.now() - timedelta(days=IDLE_TOKEN_DAYS)
    idle = (
        api_tokens_visible_to(user)
        .filter(revoked_at__isnull=True, created_at__lt=since)
        .exclude(last_used_at__gte=since)
        .count()
    )
    return [
        item(
            _("API tokens not used for %(days)d days") % {"days": IDLE_TOKEN_DAYS},
            idle,
            "core:api_tokens",
        )
    ]
