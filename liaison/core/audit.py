"""Writing the audit trail.

Creates, updates and deletes of audited models are recorded by signal receivers, so that an
edit through the admin site is as visible as one through a service. Bulk writes (which
send no signals) are recorded explicitly with ``record_many``: one entry naming their records.

Reads are recorded with ``record_reads``, the one call of pages and API endpoints alike (one
record is a list of one): one entry per request that showed people's identity or health data,
naming every record shown in ``object_ids`` — a list page of 100 travelers is one entry, not 100.
``record_many`` hands reads and exports to it. Who and from where come from the request
(``AuditContextMiddleware``) or, outside a request, from ``acting_as`` (management commands,
imports).
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from liaison.core.models import AuditEntry
from liaison.core.tracking import AuditedModel


@dataclass(frozen=True)
class AuditContext:
    actor_id: int | None = None
    actor_username: str = ""
    ip_address: str | None = None
    path: str = ""


# AuditContext is frozen, so sharing one default instance is safe.
_context: ContextVar[AuditContext] = ContextVar(
    "liaison_audit",
    default=AuditContext(),  # noqa: B039
)


def context_for_request(request) -> AuditContext:
    user = getattr(request, "user", None)
    authenticated = bool(user is not None and user.is_authenticated)
    return AuditContext(
        actor_id=user.pk if authenticated else None,
        actor_username=user.get_username() if authenticated else "",
        ip_address=request.META.get("REMOTE_ADDR") or None,
        path=request.path[:300],
    )


@contextmanager
def acting_as(
    user=None, *, username: str = "", ip_address: str | None = None, path: str = ""
) -> Iterator[None]:
    """Attribute what happens inside to ``user`` (or a named system process)."""
    token = _context.set(
        AuditContext(
            actor_id=user.pk if user is not None else None,
            actor_username=user.get_username() if user is not None else username,
            ip_address=ip_address,
            path=path,
        )
    )
    try:
        yield
    finally:
        _context.reset(token)


@contextmanager
def request_context(request) -> Iterator[None]:
    token = _context.set(context_for_request(request))
    try:
        yield
    finally:
        _context.reset(token)


def attribute_rest_of_request(request) -> None:
    """Attribute the rest of this request to ``request.user`` as it is now: an API token's
    officer is known only after the API authenticated it, inside the middleware's
    ``request_context``, which puts the context back when the request ends."""
    _context.set(context_for_request(request))


def current() -> AuditContext:
    return _context.get()


def object_type_of(obj_or_model) -> str:
    return obj_or_model._meta.label_lower


def record(
    action: str,
    obj: models.Model | None = None,
    *,
    object_type: str = "",
    object_id: str | int = "",
    fields: Iterable[str] = (),
    note: str = "",
) -> AuditEntry:
    """Append one entry. ``note`` must never hold a person's data: say what, not whose."""
    entry = new_entry(
        action, obj, object_type=object_type, object_id=object_id, fields=fields, note=note
    )
    entry.save()
    return entry


def new_entry(
    action: str,
    obj: models.Model | None = None,
    *,
    object_type: str = "",
    object_id: str | int = "",
    fields: Iterable[str] = (),
    note: str = "",
) -> AuditEntry:
    """The entry ``record`` would append, unsaved, for a caller that writes it with others."""
    ctx = current()
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = object_id or obj.pk or ""
    return AuditEntry(
        actor_id=ctx.actor_id,
        actor_username=ctx.actor_username,
        ip_address=ctx.ip_address,
        path=ctx.path,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        fields=sorted(fields),
        note=note[:300],
    )


def record_many(
    action: str, model, object_ids: Iterable, *, fields: Iterable[str] = (), note: str = ""
) -> AuditEntry | None:
    """One entry naming every record of a bulk write or a list read (``record_reads``).

    A bulk write is one thing one person did at one moment, so it is one entry, as a list page
    is: a results file of 10,000 rows writes a handful of entries (one per table and kind of
    change), not one per row. A record's history finds it by ``object_ids``
    (``core.selectors``), as it finds the reads that showed it.
    """
    return record_reads(model, object_ids, action=action, fields=fields, note=note)


def insert_unnest(head: str, columns: list, row: list, where: int, ids: list, connection):
    """PostgreSQL: ``INSERT … SELECT <row>, unnest(<ids>)`` — the SQL and its parameters for
    rows that differ only in column ``where``. Each value is cast to its column's type."""
    casts = [f"%s::{f.db_type(connection)}" for f in columns]
    casts[where] = f"unnest(%s::{columns[where].db_type(connection)}[])"
    return head + "SELECT " + ", ".join(casts), [*row[:where], ids, *row[where + 1 :]]


def record_reads(
    model,
    rows: Iterable,
    *,
    action: str = AuditEntry.Action.READ,
    fields: Iterable[str] = (),
    note: str = "",
) -> AuditEntry | None:
    """This request showed (or, with another ``action``, wrote) these records of ``model``: one
    entry naming them all.

    ``rows`` are instances or primary keys (a page's ``object_list``, a list of members' arrival
    ids). Nothing shown, nothing written. The one id of a single record also goes in
    ``object_id``, as ``record_read`` writes it, so a record's history finds both.
    """
    ids = list(dict.fromkeys(str(getattr(row, "pk", row)) for row in rows))
    if not ids:
        return None
    entry = new_entry(
        action,
        object_type=object_type_of(model),
        object_id=ids[0] if len(ids) == 1 else "",
        fields=fields,
        note=note,
    )
    entry.object_ids = ids
    entry.save()
    return entry


def record_read(obj: models.Model, *, note: str = "") -> AuditEntry:
    """This request showed one record: ``record_reads`` of just it."""
    return record_reads(type(obj), [obj.pk], note=note)


# --- Tracking changes of audited models --------------------------------------------------------


@receiver(post_save)
def _audit_save(sender, instance, created, raw, **kwargs):
    if raw or not isinstance(instance, AuditedModel):
        return
    if created:
        record(AuditEntry.Action.CREATE, instance)
    else:
        changed = instance.audit_changed_fields()
        record(AuditEntry.Action.UPDATE, instance, fields=changed)
    instance._audit_snapshot()


@receiver(post_delete)
def _audit_delete(sender, instance, **kwargs):
    if isinstance(instance, AuditedModel):
        record(AuditEntry.Action.DELETE, instance)


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    with acting_as(user, ip_address=request.META.get("REMOTE_ADDR"), path=request.path):
        record(AuditEntry.Action.LOGIN, user)


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        with acting_as(user, ip_address=request.META.get("REMOTE_ADDR"), path=request.path):
            record(AuditEntry.Action.LOGOUT, user)


@receiver(user_login_failed)
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    ip_address = request.META.get("REMOTE_ADDR") if request is not None else None
    path = request.path if request is not None else ""
    with acting_as(username=username, ip_address=ip_address, path=path):
        record(AuditEntry.Action.LOGIN_FAILED, object_type="core.user", note="wrong credentials")
