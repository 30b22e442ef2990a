"""The contact log's API: the same lists, details and writes as the pages, the same services and
access rules (the liaison desk writes; it and leadership read), the one error shape."""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from liaison.contacts import commitments as ledger
from liaison.contacts import selectors, services
from liaison.contacts.models import Commitment, Contact
from liaison.core import audit
from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors
from liaison.core.params import ApiDate, ApiDateTime, ApiId
from liaison.core.refusals import Refused

router = Router(tags=["contacts"])


class WhoIn(Schema):
    role: str
    person_id: ApiId | None = None
    user_id: ApiId | None = None
    organization_id: ApiId | None = None


class OutcomeIn(Schema):
    kind: str
    text: str
    side: str = ""
    owner_user_id: ApiId | None = None
    owner_person_id: ApiId | None = None
    owner_organization_id: ApiId | None = None
    due_on: ApiDate | None = None


class ContactIn(Schema):
    kind: str
    starts_at: ApiDateTime
    ends_at: ApiDateTime | None = None
    time_zone: str = Field("", max_length=64)
    counterpart_time_zone: str = Field("", max_length=64)
    place: str = Field("", max_length=300)
    medium: str = Field("", max_length=200)
    topics: list[str] = Field(default_factory=list, max_length=50)
    summary: str = ""
    participants: list[WhoIn] = Field(default_factory=list, max_length=100)
    outcomes: list[OutcomeIn] = Field(default_factory=list, max_length=100)
    follows_id: ApiId | None = None


class ContactCorrectionIn(Schema):
    """Only the fields given change; ``participants`` given replaces the list."""

    reason: str
    kind: str | None = None
    starts_at: ApiDateTime | None = None
    ends_at: ApiDateTime | None = None
    time_zone: str | None = Field(None, max_length=64)
    counterpart_time_zone: str | None = Field(None, max_length=64)
    place: str | None = Field(None, max_length=300)
    medium: str | None = Field(None, max_length=200)
    topics: list[str] | None = Field(None, max_length=50)
    summary: str | None = None
    follows_id: ApiId | None = None
    participants: list[WhoIn] | None = Field(None, max_length=100)
    add_outcomes: list[OutcomeIn] = Field(default_factory=list, max_length=100)


class ContactReasonIn(Schema):
    reason: str


class ParticipantOut(Schema):
    side: str
    role: str
    name: str
    person_id: int | None
    user_id: int | None
    organization_id: int | None


class OutcomeOut(Schema):
    kind: str
    text: str
    commitment_id: int | None


class RevisionOut(Schema):
    kind: str
    by: str
    at: datetime
    reason: str
    changes: dict


class ContactOut(Schema):
    id: int
    kind: str
    starts_at: datetime
    ends_at: datetime | None
    time_zone: str
    counterpart_time_zone: str
    place: str
    medium: str
    topics: list[str]
    summary: str
    follows_id: int | None
    withdrawn: bool
    withdrawn_reason: str
    participants: list[ParticipantOut]


class ContactDetailOut(ContactOut):
    outcomes: list[OutcomeOut]
    follow_up_ids: list[int]
    revisions: list[RevisionOut]


class CommitmentIn(Schema):
    side: str
    description: str
    due_on: ApiDate
    owner_user_id: ApiId | None = None
    owner_person_id: ApiId | None = None
    owner_organization_id: ApiId | None = None


class CommitmentOut(Schema):
    id: int
    side: str
    description: str
    due_on: date
    status: str
    overdue: bool
    owner: str
    owner_user_id: int | None
    owner_person_id: int | None
    owner_organization_id: int | None
    contact_id: int | None
    source_kind: str
    source_id: int | None
    source_label: str


class CommitmentMoveIn(Schema):
    to: str
    note: str = ""


class RescheduleIn(Schema):
    due_on: ApiDate
    reason: str


class ContactFilters(Schema):
    organization: ApiId | None = None
    kind: str = ""
    since: ApiDate | None = None
    until: ApiDate | None = None
    person: ApiId | None = None
    user: ApiId | None = None
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10**9)


class CommitmentFilters(Schema):
    owner: ApiId | None = None
    side: str = ""
    status: str = ""
    organization: ApiId | None = None
    due_after: ApiDate | None = None
    due_before: ApiDate | None = None
    overdue: bool = False
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10**9)


def _contact_out(contact: Contact) -> dict:
    return {
        "id": contact.pk,
        "kind": contact.kind,
        "starts_at": contact.starts_at,
        "ends_at": contact.ends_at,
        "time_zone": contact.time_zone,
        "counterpart_time_zone": contact.counterpart_time_zone,
        "place": contact.place,
        "medium": contact.medium,
        "topics": contact.topics,
        "summary": contact.summary,
        "follows_id": contact.follows_id,
        "withdrawn": contact.withdrawn,
        "withdrawn_reason": contact.withdrawn_reason,
        "participants": [
            {
                "side": p.side,
                "role": p.role,
                "name": str(p),
                "person_id": p.person_id,
                "user_id": p.user_id,
                "organization_id": p.organization_id,
            }
            for p in contact.participants.all()
        ],
    }


def _detail_out(contact: Contact) -> dict:
    return {
        **_contact_out(contact),
        "outcomes": [
            {
                "kind": o.kind,
                "text": o.text,
                "commitment_id": getattr(getattr(o, "commitment", None), "pk", None),
            }
            for o in selectors.outcomes_of(contact)
        ],
        "follow_up_ids": selectors.follow_up_ids(contact),
        "revisions": [
            {
                "kind": r.kind,
                "by": r.by.get_username(),
                "at": r.at,
                "reason": r.reason,
                "changes": r.changes,
            }
            for r in selectors.revisions_of(contact)
        ],
    }


def _commitment_out(c: Commitment) -> dict:
    return {
        "id": c.pk,
        "side": c.side,
        "description": c.description,
        "due_on": c.due_on,
        "status": c.status,
        "overdue": c.is_overdue,
        "owner": c.owner,
        "owner_user_id": c.owner_user_id,
        "owner_person_id": c.owner_person_id,
        "owner_organization_id": c.owner_organization_id,
        "contact_id": c.contact_id,
        "source_kind": c.source_kind,
        "source_id": c.source_id,
        "source_label": c.source_label,
    }


def _who(rows: list[WhoIn]) -> list[services.Who]:
    return [
        services.Who(
            role=w.role, person=w.person_id, user=w.user_id, organization=w.organization_id
        )
        for w in rows
    ]


def _outcomes(rows: list[OutcomeIn]) -> list[services.OutcomeIn]:
    return [
        services.OutcomeIn(
            kind=o.kind,
            text=o.text,
            side=o.side,
            owner_user=o.owner_user_id,
            owner_person=o.owner_person_id,
            owner_organization=o.owner_organization_id,
            due_on=o.due_on,
        )
        for o in rows
    ]


def _follows(request, pk: int | None) -> Contact | None:
    if pk is None:
        return None
    found = selectors.visible_contact(request.auth, pk)
    if found is None:
        raise Refused(_("There is no such contact to follow up."), "follows_id")
    return found


def _contact(request, contact_id: int) -> Contact:
    return get_object_or_404(
        selectors.with_people(selectors.contacts_visible_to(request.auth)), pk=contact_id
    )


@router.get(
    "/contacts",
    response={200: list[ContactOut], 400: Errors, **REFUSALS},
    summary="The contact log, newest first, filtered",
)
@api_area(Area.CONTACTS_READ)
def contact_list(request, filters: Query[ContactFilters]):
    found = selectors.filter_contacts(
        selectors.contacts_visible_to(request.auth),
        organization=filters.organization,
        kind=filters.kind,
        since=filters.since,
        until=filters.until,
        person=filters.person,
        user=filters.user,
    )
    rows = list(selectors.with_people(found)[filters.offset : filters.offset + filters.limit])
    audit.record_reads(Contact, rows, note="api list")
    return [_contact_out(c) for c in rows]


@router.get(
    "/contacts/{contact_id}",
    response={200: ContactDetailOut, 400: Errors, 404: Errors, **REFUSALS},
    summary="One contact: participants, outcomes, follow-ups, corrections",
)
@api_area(Area.CONTACTS_READ)
def contact_detail(request, contact_id: ApiId):
    contact = _contact(request, contact_id)
    audit.record_read(contact)
    return _detail_out(contact)


@router.post(
    "/contacts",
    response={201: ContactDetailOut, 400: Errors, **REFUSALS},
    summary="Log a contact with its participants and outcomes",
)
@api_area(Area.LIAISON)
def log_contact(request, body: ContactIn):
    """No participant, no one of the other side, an end before the start, an unknown person or
    organization, a commitment due in the past: 400, nothing written."""
    contact = services.log_contact(
        kind=body.kind,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        time_zone=body.time_zone,
        counterpart_time_zone=body.counterpart_time_zone,
        place=body.place,
        medium=body.medium,
        topics=body.topics,
        summary=body.summary,
        participants=_who(body.participants),
        outcomes=_outcomes(body.outcomes),
        follows=_follows(request, body.follows_id),
        by=request.auth,
    )
    return Status(201, _detail_out(_contact(request, contact.pk)))


@router.post(
    "/contacts/{contact_id}/corrections",
    response={200: ContactDetailOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Correct a contact, with a reason (recorded, never silent)",
)
@api_area(Area.LIAISON)
def correct_contact(request, contact_id: ApiId, body: ContactCorrectionIn):
    contact = _contact(request, contact_id)
    changes = body.dict(
        exclude_none=True, exclude={"reason", "participants", "add_outcomes", "follows_id"}
    )
    if body.follows_id is not None:
        changes["follows"] = _follows(request, body.follows_id)
    services.correct_contact(
        contact=contact,
        reason=body.reason,
        by=request.auth,
        participants=None if body.participants is None else _who(body.participants),
        add_outcomes=_outcomes(body.add_outcomes),
        **changes,
    )
    return _detail_out(_contact(request, contact.pk))


@router.post(
    "/contacts/{contact_id}/withdrawal",
    response={200: ContactDetailOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Withdraw a contact logged in error (it stays, marked so)",
)
@api_area(Area.LIAISON)
def withdraw_contact(request, contact_id: ApiId, body: ContactReasonIn):
    contact = _contact(request, contact_id)
    services.withdraw_contact(contact=contact, reason=body.reason, by=request.auth)
    return _detail_out(_contact(request, contact.pk))


@router.post(
    "/contacts/{contact_id}/commitments",
    response={201: CommitmentOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Record a commitment made at a contact",
)
@api_area(Area.LIAISON)
def commit_at_contact(request, contact_id: ApiId, body: CommitmentIn):
    contact = _contact(request, contact_id)
    commitment = ledger.commit(
        side=body.side,
        description=body.description,
        due_on=body.due_on,
        owner_user=services.officer(body.owner_user_id, "owner_user_id"),
        owner_person=services.person(body.owner_person_id, "owner_person_id"),
        owner_organization=services.organization(
            body.owner_organization_id, "owner_organization_id"
        ),
        contact=contact,
        by=request.auth,
    )
    return Status(201, _commitment_out(commitment))


@router.get(
    "/commitments",
    response={200: list[CommitmentOut], 400: Errors, **REFUSALS},
    summary="The commitments ledger, by due date, filtered",
)
@api_area(Area.CONTACTS_READ)
def commitment_list(request, filters: Query[CommitmentFilters]):
    found = selectors.filter_commitments(
        selectors.commitments_visible_to(request.auth),
        owner=filters.owner,
        side=filters.side,
        status=filters.status,
        organization=filters.organization,
        due_after=filters.due_after,
        due_before=filters.due_before,
        overdue=filters.overdue,
    )
    rows = list(selectors.with_owners(found)[filters.offset : filters.offset + filters.limit])
    audit.record_reads(Commitment, rows, note="api list")
    return [_commitment_out(c) for c in rows]


def _commitment(request, commitment_id: int) -> Commitment:
    return get_object_or_404(
        selectors.with_owners(selectors.commitments_visible_to(request.auth)), pk=commitment_id
    )


@router.get(
    "/commitments/{commitment_id}",
    response={200: CommitmentOut, 400: Errors, 404: Errors, **REFUSALS},
    summary="One commitment",
)
@api_area(Area.CONTACTS_READ)
def commitment_detail(request, commitment_id: ApiId):
    return _commitment_out(_commitment(request, commitment_id))


@router.post(
    "/commitments/{commitment_id}/moves",
    response={200: CommitmentOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Mark a commitment done or dropped, or reopen it",
)
@api_area(Area.LIAISON)
def move_commitment(request, commitment_id: ApiId, body: CommitmentMoveIn):
    commitment = ledger.move_commitment(
        commitment=_commitment(request, commitment_id), to=body.to, note=body.note, by=request.auth
    )
    return _commitment_out(_commitment(request, commitment.pk))


@router.post(
    "/commitments/{commitment_id}/due-date",
    response={200: CommitmentOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Give an open commitment a new due date, with a reason",
)
@api_area(Area.LIAISON)
def reschedule_commitment(request, commitment_id: ApiId, body: RescheduleIn):
    commitment = ledger.reschedule_commitment(
        commitment=_commitment(request, commitment_id),
        due_on=body.due_on,
        reason=body.reason,
        by=request.auth,
    )
    return _commitment_out(_commitment(request, commitment.pk))
