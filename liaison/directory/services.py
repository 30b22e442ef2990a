"""Writes of the directory: organizations and people created, corrected and retired.

Each write is one transaction with its ``DirectoryChange`` (who, when, an optional reason, each
field's value before and after: ``history.py``), which the organization's and the person's pages
show; the audit trail records it too (``AuditedModel``). Nothing is deleted: an organization is
deactivated, a person leaves their post (``until``). Bad input raises ``Refused`` naming the
field, before anything is written.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from liaison.core.models import User
from liaison.core.refusals import Refused
from liaison.directory.history import differences, record_change, values_of
from liaison.directory.models import ChangeKind, Organization, Person

ORGANIZATION_FIELDS = (
    "code",
    "kind",
    "name_zh",
    "name_en",
    "name_native",
    "country",
    "city",
    "parent",
    "address_zh",
    "address_en",
    "phone",
    "duty_phone",
    "email",
    "website",
    "languages",
    "notes",
    "since",
    "until",
    "active",
)
PERSON_FIELDS = (
    "name_native",
    "name_latin",
    "name_zh",
    "title_zh",
    "title_en",
    "languages",
    "phone",
    "mobile",
    "email",
    "accreditation",
    "accreditation_number",
    "since",
    "until",
    "sort_order",
    "notes",
)


def _refuse(error: ValidationError) -> Refused:
    problems = [
        (field if field != "__all__" else "", message)
        for field, messages in error.message_dict.items()
        for message in messages
    ]
    return Refused(problems=problems)


def _check_dates(record) -> None:
    if record.since and record.until and record.until < record.since:
        raise Refused(_("The end date is before the start date."), "until")


def _check_parent(organization: Organization) -> None:
    """Part of itself, or of one of its own parts, is a circle."""
    parent = organization.parent
    seen = set()
    while parent is not None:
        if organization.pk is not None and parent.pk == organization.pk:
            raise Refused(_("An organization cannot be part of itself."), "parent")
        if parent.pk in seen:
            break
        seen.add(parent.pk)
        parent = parent.parent


def _no_nulls(record) -> None:
    """A null sent for a field that cannot hold one (an API client's ``"website": null``): a text
    field is emptied, as an empty box on the page empties it, a list gets its default; anything
    else is refused. Django's own checks skip an empty value of a field that may be blank."""
    for field in record._meta.concrete_fields:
        if field.null or field.primary_key or getattr(record, field.attname) is not None:
            continue
        if isinstance(field, models.CharField | models.TextField):
            setattr(record, field.attname, "")
        elif isinstance(field, models.JSONField) and field.has_default():
            setattr(record, field.attname, field.get_default())
        else:
            raise Refused(_("This field cannot be empty."), field.name)


def _save(record, *, fields: list[str] | None = None) -> None:
    _no_nulls(record)
    _check_dates(record)
    try:
        record.full_clean()
    except ValidationError as error:
        raise _refuse(error) from None
    record.save(update_fields=fields) if fields else record.save()


def _created(record, names) -> dict[str, dict]:
    """A new record's history: each field given a value, from nothing."""
    return {
        name: {"before": None, "after": value}
        for name, value in values_of(record, names).items()
        if value not in (None, "", [])
    }


@transaction.atomic
def create_organization(*, by: User, reason: str = "", **values) -> Organization:
    """A new counterpart in the directory."""
    unknown = set(values) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise Refused(_("Unknown field."), sorted(unknown)[0])
    organization = Organization(**values)
    _check_parent(organization)
    _save(organization)
    record_change(
        record=organization,
        kind=ChangeKind.CREATED,
        by=by,
        reason=reason,
        changes=_created(organization, ORGANIZATION_FIELDS),
    )
    return organization


@transaction.atomic
def update_organization(
    *, organization: Organization, by: User, reason: str = "", **values
) -> Organization:
    """Correct an organization; its history keeps each value before and after, who and why."""
    unknown = set(values) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise Refused(_("Unknown field."), sorted(unknown)[0])
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    before = values_of(organization, values)
    for name, value in values.items():
        setattr(organization, name, value)
    _check_parent(organization)
    changed = organization.audit_changed_fields()
    if changed:
        _save(organization, fields=[f.removesuffix("_id") for f in changed])
    recorded = differences(before, values_of(organization, values))
    if recorded:
        retired = recorded.get("active", {}).get("after") is False
        record_change(
            record=organization,
            kind=ChangeKind.DEACTIVATED if retired else ChangeKind.UPDATED,
            by=by,
            reason=reason,
            changes=recorded,
        )
    return organization


def deactivate_organization(
    *, organization: Organization, by: User, reason: str = ""
) -> Organization:
    """No longer a counterpart (a consulate closed): kept, with its history, out of the lists."""
    return update_organization(organization=organization, by=by, reason=reason, active=False)


@transaction.atomic
def add_person(*, organization: Organization, by: User, reason: str = "", **values) -> Person:
    unknown = set(values) - set(PERSON_FIELDS)
    if unknown:
        raise Refused(_("Unknown field."), sorted(unknown)[0])
    person = Person(organization=organization, **values)
    if not (person.name_native or person.name_latin or person.name_zh):
        raise Refused(_("Give the person's name in at least one script."), "name_latin")
    _save(person)
    record_change(
        record=person,
        kind=ChangeKind.CREATED,
        by=by,
        reason=reason,
        changes=_created(person, PERSON_FIELDS),
    )
    return person


@transaction.atomic
def update_person(*, person: Person, by: User, reason: str = "", **values) -> Person:
    """Correct a person's entry, or end their post (``until``); nobody is deleted."""
    unknown = set(values) - set(PERSON_FIELDS)
    if unknown:
        raise Refused(_("Unknown field."), sorted(unknown)[0])
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = values_of(person, values)
    for name, value in values.items():
        setattr(person, name, value)
    if not (person.name_native or person.name_latin or person.name_zh):
        raise Refused(_("Give the person's name in at least one script."), "name_latin")
    changed = person.audit_changed_fields()
    if changed:
        _save(person, fields=changed)
    recorded = differences(before, values_of(person, values))
    if recorded:
        record_change(
            record=person, kind=ChangeKind.UPDATED, by=by, reason=reason, changes=recorded
        )
    return person
