"""Reads of the core app, each through the access layer: what may this user see?"""

import io
from datetime import date, datetime, time

import segno
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from liaison.core import audit
from liaison.core.access import Area, can
from liaison.core.models import ApiToken, AuditEntry, Jurisdiction, PortOfEntry, Site, User


def not_found(what: str = "record") -> Http404:
    """A 404 for a record outside the user's role or jurisdiction, logged as a denial.

    Pages answer 404 rather than 403 so as not to confirm that another district's record exists;
    the audit trail still shows the attempt.
    """
    audit.record(AuditEntry.Action.DENIED, object_type=what, note="not visible")
    return Http404()


def get_visible(queryset: QuerySet, what: str = "record", **lookup):
    """The one row of ``queryset`` matching ``lookup``, or a logged 404."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise not_found(what)
    return obj


def _if_allowed(queryset: QuerySet, user, area: Area) -> QuerySet:
    return queryset if can(user, area) else queryset.none()


def jurisdictions_visible_to(user) -> QuerySet[Jurisdiction]:
    """Reference data is not personal: every staff role sees the whole city's list."""
    return _if_allowed(Jurisdiction.objects.filter(active=True), user, Area.REFERENCE)


def active_jurisdictions() -> QuerySet[Jurisdiction]:
    """A form's choice of jurisdiction: reference data, the city's order."""
    return Jurisdiction.objects.filter(active=True).order_by("sort_order", "code")


def machine_accounts() -> QuerySet[User]:
    """The active machine accounts an API token may act as (a form's choices)."""
    return User.objects.filter(is_active=True, is_machine=True).order_by("username")


def sites_visible_to(user) -> QuerySet[Site]:
    queryset = Site.objects.filter(active=True).select_related("jurisdiction")
    return _if_allowed(queryset, user, Area.REFERENCE)


def sites_of_kind(user, kind: str) -> QuerySet[Site]:
    """Active sites of one kind (sampling sites, designated hospitals) for a form's choices."""
    return sites_visible_to(user).filter(kind=kind)


def ports_visible_to(user) -> QuerySet[PortOfEntry]:
    return _if_allowed(PortOfEntry.objects.select_related("jurisdiction"), user, Area.REFERENCE)


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    return _if_allowed(AuditEntry.objects.all(), user, Area.AUDIT)


def filter_audit_entries(
    entries: QuerySet[AuditEntry],
    *,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    if actor:
        entries = entries.filter(actor_username__iexact=actor.strip())
    if action:
        entries = entries.filter(action=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        object_id = object_id.strip()
        # An entry for many records names them in the JSON list ["12", "13"]: an element equal
        # to the id, not text containing it (an index answers it on PostgreSQL: core/0006).
        entries = entries.filter(Q(object_id=object_id) | Q(object_ids__holds=object_id))
    zone = timezone.get_current_timezone()
    if since:
        entries = entries.filter(at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until:
        entries = entries.filter(at__lte=datetime.combine(until, time.max, tzinfo=zone))
    return entries


def api_tokens_visible_to(user) -> QuerySet[ApiToken]:
    return _if_allowed(ApiToken.objects.select_related("user", "created_by"), user, Area.TOKENS)


def qr_svg(data: str, *, scale: int = 4) -> str:
    """An inline SVG QR code (segno: pure Python, no image library needed)."""
    return segno.make(data, error="m").svg_inline(scale=scale, dark="#111", light="#fff")


def qr_png(data: str, *, scale: int = 10) -> bytes:
    """The same QR code as a PNG image (segno writes PNG itself, without Pillow)."""
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
