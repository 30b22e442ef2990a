"""Writes of the core app. Each is one transaction; the audit trail is written alongside."""

import base64
import secrets

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.core import audit
from liaison.core.models import ApiToken, User
from liaison.core.roles import Role


@transaction.atomic
def create_api_token(*, name: str, user: User, created_by: User | None) -> tuple[ApiToken, str]:
    """Make a token acting as ``user``. The secret is returned once and never stored."""
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        name=name,
        user=user,
        lookup=secret[: len(ApiToken.PREFIX) + 6],
        digest=ApiToken.digest_of(secret),
        created_by=created_by,
    )
    return token, secret


@transaction.atomic
def revoke_api_token(*, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate_token(secret: str) -> User | None:
    """The active user behind a bearer token, or None. Marks the token used (once a minute)."""
    if not secret.startswith(ApiToken.PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(digest=ApiToken.digest_of(secret))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        # A plain UPDATE: a token used by a lab 100 times a second must not flood the trail.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def create_user(
    *,
    username: str,
    password: str | None,
    role: Role | str = "",
    jurisdiction=None,
    site=None,
    is_machine: bool = False,
    full_name: str = "",
) -> User:
    user = User(
        username=username,
        role=role,
        jurisdiction=jurisdiction,
        site=site,
        is_machine=is_machine,
        first_name=full_name[:150],
        # Administrators use Django's admin site; everyone else only Liaison's pages.
        is_staff=role == Role.ADMINISTRATOR,
        is_superuser=role == Role.ADMINISTRATOR,
    )
    if password and not is_machine:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def pending_totp_device(*, user: User) -> tuple[TOTPDevice, str]:
    """The user's confirmed authenticator, or the unconfirmed one being set up (made if need be)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
            audit.record("create", object_type="otp_totp.totpdevice", object_id=device.pk)
    return device, device.config_url


@transaction.atomic
def confirm_totp_device(*, device: TOTPDevice) -> None:
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(
            "update", object_type="otp_totp.totpdevice", object_id=device.pk, fields=["confirmed"]
        )


def base32_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed instead of scanned."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def generate_password() -> str:
    return secrets.token_urlsafe(12)
