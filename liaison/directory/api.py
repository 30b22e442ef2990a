"""The directory's API: organizations and people, listed, searched, read, created, corrected.

The same services and access rules as the pages: every desk that links to the directory reads
it (``Area.DIRECTORY``), the liaison desk writes (``Area.LIAISON``). A read of people's phones
and e-mail is audited once per request. Nothing is deleted: ``active: false`` retires an
organization, ``until`` ends a person's post.
"""

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors
from liaison.core.params import ApiDate, ApiId
from liaison.core.refusals import Refused
from liaison.core.selectors import get_visible
from liaison.directory import selectors, services
from liaison.directory.history import history
from liaison.directory.models import Organization, Person
from liaison.directory.search import MAX_QUERY

router = Router(tags=["directory"])
PAGE_SIZE = 50
HISTORY_SHOWN = 50

REFUSED = (
    " Bad input (an unknown kind, country or parent, a parent that is the organization itself "
    "or one of its parts, an end date before the start, a person without a name, a field "
    "longer than it may be) answers 400 naming the field; nothing changes."
)


class DirectoryFilters(Schema):
    q: str = Field("", max_length=MAX_QUERY, description="A name in any script, e.g. 주청두.")
    kind: str = Field("", description="An organization kind, e.g. consulate_general.")
    country: str = Field("", max_length=2, description="ISO 3166-1 alpha-2, e.g. KR.")
    active: str = Field("yes", pattern="^(yes|no|all)$", description="yes, no or all.")
    page: int = Field(1, ge=1, le=1_000_000)


class DirectoryOrganizationOut(Schema):
    id: int
    code: str
    kind: str
    name_zh: str
    name_en: str
    name_native: str
    country: str
    city: str
    parent_id: int | None
    address_zh: str
    address_en: str
    phone: str
    duty_phone: str
    email: str
    website: str
    languages: list[str]
    districts: list[str]
    since: date | None
    until: date | None
    active: bool


class DirectoryPersonOut(Schema):
    id: int
    organization_id: int
    name_native: str
    name_latin: str
    name_zh: str
    title_zh: str
    title_en: str
    languages: list[str]
    phone: str
    mobile: str
    email: str
    accreditation: str
    accreditation_number: str
    since: date | None
    until: date | None
    in_post: bool


class DirectoryFieldChangeOut(Schema):
    field: str
    label: str = Field(description="The field's name in the staff language.")
    before: Any = Field(description="As stored: a code, an id, an ISO date; null if none.")
    after: Any
    before_shown: str = Field(description="As the page shows it: a label, a name, a date.")
    after_shown: str


class DirectoryChangeOut(Schema):
    kind: str = Field(description="created, updated or deactivated.")
    kind_label: str
    at: datetime
    by: str | None = Field(description="The officer's user name; null for the reference data.")
    reason: str
    changes: list[DirectoryFieldChangeOut]


class DirectoryOrganizationDetail(DirectoryOrganizationOut):
    people: list[DirectoryPersonOut]
    history: list[DirectoryChangeOut]


class DirectoryPersonDetail(DirectoryPersonOut):
    history: list[DirectoryChangeOut]


class DirectoryOrganizationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[DirectoryOrganizationOut]


class DirectoryOrganizationIn(Schema):
    code: str
    kind: str
    name_zh: str
    name_en: str
    country: str
    name_native: str = ""
    city: str = ""
    parent_id: ApiId | None = None
    address_zh: str = ""
    address_en: str = ""
    phone: str = ""
    duty_phone: str = ""
    email: str = ""
    website: str = ""
    languages: list[str] = Field(default_factory=list, max_length=10)
    notes: str = ""
    since: ApiDate | None = None
    until: ApiDate | None = None
    active: bool = True
    reason: str = Field("", max_length=500, description="Why; kept in its history.")


class DirectoryOrganizationPatch(Schema):
    """Only the fields sent change."""

    kind: str | None = None
    name_zh: str | None = None
    name_en: str | None = None
    name_native: str | None = None
    country: str | None = None
    city: str | None = None
    parent_id: ApiId | None = None
    address_zh: str | None = None
    address_en: str | None = None
    phone: str | None = None
    duty_phone: str | None = None
    email: str | None = None
    website: str | None = None
    languages: list[str] | None = Field(None, max_length=10)
    notes: str | None = None
    since: ApiDate | None = None
    until: ApiDate | None = None
    active: bool | None = None
    reason: str = Field("", max_length=500, description="Why; kept in its history.")


class DirectoryPersonIn(Schema):
    name_native: str = ""
    name_latin: str = ""
    name_zh: str = ""
    title_zh: str = ""
    title_en: str = ""
    languages: list[str] = Field(default_factory=list, max_length=10)
    phone: str = ""
    mobile: str = ""
    email: str = ""
    accreditation: str = ""
    accreditation_number: str = ""
    since: ApiDate | None = None
    until: ApiDate | None = None
    notes: str = ""
    reason: str = Field("", max_length=500, description="Why; kept in its history.")


class DirectoryPersonPatch(Schema):
    name_native: str | None = None
    name_latin: str | None = None
    name_zh: str | None = None
    title_zh: str | None = None
    title_en: str | None = None
    languages: list[str] | None = Field(None, max_length=10)
    phone: str | None = None
    mobile: str | None = None
    email: str | None = None
    accreditation: str | None = None
    accreditation_number: str | None = None
    since: ApiDate | None = None
    until: ApiDate | None = None
    notes: str | None = None
    reason: str = Field("", max_length=500, description="Why; kept in its history.")


def _organization_out(o: Organization) -> dict:
    return {
        **{
            name: getattr(o, name)
            for name in DirectoryOrganizationOut.model_fields
            if hasattr(o, name)
        },
        "country": str(o.country),
        "districts": [d.region for d in o.districts.all()],
    }


def _person_out(p: Person) -> dict:
    return {name: getattr(p, name) for name in DirectoryPersonOut.model_fields}


def _history_out(record: Organization | Person) -> list[dict]:
    return [
        {
            "kind": shown.change.kind,
            "kind_label": shown.change.get_kind_display(),
            "at": shown.change.at,
            "by": shown.change.by.get_username() if shown.change.by_id else None,
            "reason": shown.change.reason,
            "changes": [asdict(f) for f in shown.fields],
        }
        for shown in history(record, limit=HISTORY_SHOWN)
    ]


def _parent(request, parent_id: int | None) -> Organization | None:
    if parent_id is None:
        return None
    parent = selectors.visible_organization(request.auth, parent_id)
    if parent is None:
        raise Refused(_("There is no such organization in the directory."), "parent_id")
    return parent


@router.get(
    "/directory/organizations",
    response={200: DirectoryOrganizationPage, 400: Errors, **REFUSALS},
    summary="List and search the directory's organizations",
)
@api_area(Area.DIRECTORY)
def list_organizations(request, filters: Query[DirectoryFilters]):
    """Filtered by kind, country and active; ``q`` searches every name of the organization and
    of its people, in any script, ignoring case and accents. Pages of 50."""
    listed = selectors.filter_organizations(
        selectors.organizations_visible_to(request.auth),
        query=filters.q,
        kind=filters.kind,
        country=filters.country,
        active=filters.active,
    )
    pages = Paginator(listed, PAGE_SIZE)
    start = (filters.page - 1) * PAGE_SIZE
    return {
        "count": pages.count,
        "page": filters.page,
        "pages": pages.num_pages,
        "results": [_organization_out(o) for o in listed[start : start + PAGE_SIZE]],
    }


@router.get(
    "/directory/organizations/{organization_id}",
    response={200: DirectoryOrganizationDetail, 400: Errors, 404: Errors, **REFUSALS},
    summary="One organization with its people (a read of their contact data is audited)",
    description="With its history, newest first (at most 50): each change's fields before "
    "and after, as stored and as shown in the staff language.",
)
@api_area(Area.DIRECTORY)
def organization_detail(request, organization_id: ApiId):
    organization = get_visible(
        selectors.organizations_visible_to(request.auth),
        "directory.organization",
        pk=organization_id,
    )
    people = list(organization.people.all())
    selectors.record_contact_reads(people)
    return {
        **_organization_out(organization),
        "people": [_person_out(p) for p in people],
        "history": _history_out(organization),
    }


@router.post(
    "/directory/organizations",
    response={201: DirectoryOrganizationOut, 400: Errors, **REFUSALS},
    summary="Add an organization to the directory",
    description="The liaison desk keeps the directory." + REFUSED,
)
@api_area(Area.LIAISON)
def create_organization(request, body: DirectoryOrganizationIn):
    values = body.dict()
    values["parent"] = _parent(request, values.pop("parent_id"))
    organization = services.create_organization(by=request.auth, **values)
    return Status(201, _organization_out(organization))


@router.patch(
    "/directory/organizations/{organization_id}",
    response={200: DirectoryOrganizationOut, 400: Errors, 404: Errors, **REFUSALS},
    summary="Correct an organization (the change is recorded); active: false retires it",
    description="Only the fields sent change; the audit trail records which, by whom." + REFUSED,
)
@api_area(Area.LIAISON)
def update_organization(request, organization_id: ApiId, body: DirectoryOrganizationPatch):
    organization = get_visible(
        selectors.organizations_visible_to(request.auth),
        "directory.organization",
        pk=organization_id,
    )
    values = body.dict(exclude_unset=True)
    if "parent_id" in values:
        values["parent"] = _parent(request, values.pop("parent_id"))
    organization = services.update_organization(
        organization=organization, by=request.auth, **values
    )
    return _organization_out(organization)


@router.get(
    "/directory/people",
    response={200: list[DirectoryPersonOut], 400: Errors, **REFUSALS},
    summary="Search the directory's people by name in any script (contact data read, audited)",
)
@api_area(Area.DIRECTORY)
def search_people(request, q: str = Query(..., min_length=1, max_length=MAX_QUERY)):
    people = list(selectors.search_people(selectors.people_visible_to(request.auth), q)[:100])
    selectors.record_contact_reads(people)
    return [_person_out(p) for p in people]


@router.get(
    "/directory/people/{person_id}",
    response={200: DirectoryPersonDetail, 400: Errors, 404: Errors, **REFUSALS},
    summary="One person with their history (a read of their contact data is audited)",
)
@api_area(Area.DIRECTORY)
def person_detail(request, person_id: ApiId):
    person = get_visible(
        selectors.people_visible_to(request.auth), "directory.person", pk=person_id
    )
    selectors.record_contact_reads([person])
    return {**_person_out(person), "history": _history_out(person)}


@router.post(
    "/directory/organizations/{organization_id}/people",
    response={201: DirectoryPersonOut, 400: Errors, 404: Errors, **REFUSALS},
    summary="Add a person in post at an organization",
    description="The liaison desk keeps the directory." + REFUSED,
)
@api_area(Area.LIAISON)
def add_person(request, organization_id: ApiId, body: DirectoryPersonIn):
    organization = get_visible(
        selectors.organizations_visible_to(request.auth),
        "directory.organization",
        pk=organization_id,
    )
    person = services.add_person(organization=organization, by=request.auth, **body.dict())
    return Status(201, _person_out(person))


@router.patch(
    "/directory/people/{person_id}",
    response={200: DirectoryPersonOut, 400: Errors, 404: Errors, **REFUSALS},
    summary="Correct a person's entry, or end their post (until)",
    description="Only the fields sent change; the audit trail records which, by whom." + REFUSED,
)
@api_area(Area.LIAISON)
def update_person(request, person_id: ApiId, body: DirectoryPersonPatch):
    person = get_visible(
        selectors.people_visible_to(request.auth), "directory.person", pk=person_id
    )
    person = services.update_person(person=person, by=request.auth, **body.dict(exclude_unset=True))
    return _person_out(person)
