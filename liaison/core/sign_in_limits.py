"""Failed sign-ins: per account and address (django-axes), and per account across addresses.

django-axes locks an account name from one address after ``AXES_FAILURE_LIMIT`` wrong passwords
(a shared airport NAT must not lock every desk). It has one limit only, so someone guessing from
many addresses would get ``AXES_FAILURE_LIMIT`` tries from each. This handler adds the second
limit (ASVS 2.2.1): at most ``LIAISON_ACCOUNT_FAILURE_LIMIT`` failed sign-ins on one account name
within ``LIAISON_ACCOUNT_FAILURE_WINDOW``, from anywhere.

The count is axes' own failure log (``AccessFailureLog``, one row per password that was checked
and wrong; a refused attempt during a lockout writes none), so it lives in the database that
every app server shares. Names without an account are counted like any other, so neither the
message nor the lockout tells whether an account exists.
"""

from __future__ import annotations

import math
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessFailureLog
from django.conf import settings
from django.utils import timezone


def _window_start() -> datetime:
    return timezone.now() - settings.LIAISON_ACCOUNT_FAILURE_WINDOW


def account_failures(username: str | None) -> int:
    """Failed sign-ins on ``username`` within the window, from every address."""
    if not username:
        return 0
    return AccessFailureLog.objects.filter(
        username=username, attempt_time__gte=_window_start()
    ).count()


def account_locked(username: str | None) -> bool:
    limit = settings.LIAISON_ACCOUNT_FAILURE_LIMIT
    return limit > 0 and account_failures(username) >= limit


def account_unlocks_in_minutes(username: str | None) -> int:
    """Minutes until the oldest failure in the window leaves it (and one more try is allowed)."""
    oldest = (
        AccessFailureLog.objects.filter(username=username, attempt_time__gte=_window_start())
        .order_by("attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    if oldest is None:
        return 0
    left = oldest + settings.LIAISON_ACCOUNT_FAILURE_WINDOW - timezone.now()
    return max(1, math.ceil(left.total_seconds() / 60))


class AccountLimitHandler(AxesDatabaseHandler):
    """axes' database handler, with the per-account limit on top of its per-address one."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return account_locked(get_client_username(request, credentials))

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username=False) -> int:
        """An administrator's unlock (``manage.py axes_reset_username``) lifts both limits."""
        if username:
            AccessFailureLog.objects.filter(username=username).delete()
        return super().reset_attempts(
            ip_address=ip_address, username=username, ip_or_username=ip_or_username
        )

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None:
            return
        username = get_client_username(request, credentials)
        if not username:
            return
        # axes keeps its log "for ever" but trims it to the newest rows per name; older rows than
        # the window are of no use to the count (the audit trail keeps every failure).
        AccessFailureLog.objects.filter(
            username=username, attempt_time__lt=_window_start()
        ).delete()
        if account_locked(username):
            # The attempt that reaches the limit already answers with the lockout page.
            request.axes_locked_out = True
            request.axes_credentials = credentials
