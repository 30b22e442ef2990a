"""The calendar feed's token: issued (revoking the one before), revoked, and the one way a
feed request is recognised. Each write is one transaction, recorded in the audit trail by the
token's own save (an audited model)."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.agenda.models import FeedToken
from liaison.core.access import Area, can
from liaison.core.models import User
from liaison.core.refusals import Conflict, Refused

# Compared against when no token has the lookup, so that an unknown lookup costs what a known
# one does.
_NO_DIGEST = FeedToken.digest_of("cal_none")
# The longest token address worth reading: anything longer is no token.
MAX_LENGTH = 80


def _may_have_a_feed(user: User) -> bool:
    return bool(user.is_active and not user.is_machine and can(user, Area.CALENDAR))


@transaction.atomic
def issue_feed_token(*, user: User, language: str, mine: bool = True) -> tuple[FeedToken, str]:
    """A new token for ``user``'s feed; any active one is revoked. The secret is returned once
    and never stored."""
    if not _may_have_a_feed(user):
        raise Refused(_("Only officers with a calendar may have a calendar feed."))
    if language not in dict(settings.LANGUAGES) or language not in settings.STAFF_LANGUAGES:
        language = settings.LANGUAGE_CODE
    now = timezone.now()
    for old in FeedToken.objects.active().select_for_update().filter(user=user):
        old.revoked_at = now
        old.save(update_fields=["revoked_at"])
    secret, lookup = FeedToken.new_secret()
    try:
        with transaction.atomic():
            token = FeedToken.objects.create(
                user=user,
                lookup=lookup,
                digest=FeedToken.digest_of(secret),
                language=language,
                mine=mine,
                created_at=now,
            )
    except IntegrityError as error:  # another request made one at the same moment
        raise Conflict(_("A feed address was just created elsewhere; reload the page.")) from error
    return token, secret


@transaction.atomic
def revoke_feed_token(*, user: User) -> FeedToken:
    """Revoke ``user``'s active token: the address stops answering at once."""
    token = FeedToken.objects.active().select_for_update().filter(user=user).first()
    if token is None:
        raise Conflict(_("You have no calendar feed to revoke."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def feed_token_for(secret: str) -> FeedToken | None:
    """The active token behind a feed address, or None: malformed, unknown, guessed, revoked,
    or of an officer who was deactivated or no longer has a calendar. Marks it used."""
    if len(secret) > MAX_LENGTH:
        return None
    shape = FeedToken.SHAPE.fullmatch(secret)
    if shape is None:
        return None
    token = FeedToken.objects.active().select_related("user").filter(lookup=shape.group(1)).first()
    # Constant-time, whether or not the lookup matched a token.
    matches = hmac.compare_digest(
        token.digest if token is not None else _NO_DIGEST, FeedToken.digest_of(secret)
    )
    if token is None or not matches or not _may_have_a_feed(token.user):
        return None
    now = timezone.now()
    # A plain UPDATE, like an API token's: when the feed was last fetched, not an edit.
    FeedToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    return token
