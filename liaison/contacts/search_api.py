"""The search across the directory and the contact log, in the API: the page's rules, the
page's selector (``contacts/search.py``), the one error shape."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from liaison.contacts import search as finder
from liaison.core.access import Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors
from liaison.core.refusals import Refused
from liaison.directory.search import MAX_QUERY

router = Router(tags=["contacts"])


class SearchFilters(Schema):
    q: str = Field(
        ...,
        max_length=MAX_QUERY,
        description="Words in any script or in Latin letters: 김민준 or Kim Min-jun, 重庆 or "
        "chongqing. At least two letters, or one Chinese character or Korean syllable.",
    )
    kind: str = Field(
        "", pattern="^(|organizations|people|contacts)$", description="One group only."
    )
    page: int = Field(1, ge=1, le=1_000_000)


class FoundOrganization(Schema):
    id: int
    code: str
    kind: str
    name_zh: str
    name_en: str
    name_native: str
    country: str
    active: bool


class FoundPerson(Schema):
    id: int
    organization_id: int
    name_native: str
    name_latin: str
    name_zh: str
    title_zh: str
    title_en: str
    in_post: bool


class FoundContact(Schema):
    id: int
    kind: str
    starts_at: datetime
    time_zone: str
    place: str
    topics: list[str]
    withdrawn: bool
    organization_ids: list[int]


class FoundGroup(Schema):
    count: int
    page: int
    pages: int


class FoundOrganizations(FoundGroup):
    results: list[FoundOrganization]


class FoundPeople(FoundGroup):
    results: list[FoundPerson]


class FoundContacts(FoundGroup):
    results: list[FoundContact]


class SearchOut(Schema):
    q: str
    organizations: FoundOrganizations | None = Field(description="Null when not searched.")
    people: FoundPeople | None
    contacts: FoundContacts | None = Field(description="Only for the contact log's readers.")


def _organization(o) -> dict:
    return {
        **{n: getattr(o, n) for n in FoundOrganization.model_fields if n != "country"},
        "country": str(o.country),
    }


def _person(p) -> dict:
    return {n: getattr(p, n) for n in FoundPerson.model_fields}


def _contact(c) -> dict:
    return {
        **{n: getattr(c, n) for n in FoundContact.model_fields if n != "organization_ids"},
        "organization_ids": sorted(
            {row.organization_id for row in c.participants.all() if row.organization_id}
        ),
    }


SHAPES = {"organizations": _organization, "people": _person, "contacts": _contact}


@router.get(
    "/search",
    response={200: SearchOut, 400: Errors, **REFUSALS},
    summary="Search the directory and the contact log (people shown: the read is audited)",
    description="Organizations and people for the directory's readers, contacts for the "
    "contact log's; withdrawn contacts are found and marked. Each group is paged by 50 "
    "(``page``). A query too short or too long answers 400.",
)
@api_area(Area.DIRECTORY)
def search(request, filters: Query[SearchFilters]):
    found = finder.search(
        request.auth,
        filters.q,
        kind=filters.kind,
        page=filters.page,
        per_page=finder.PAGE_SIZE,
    )
    if found is None:
        raise Refused(
            _("Type at least two letters, or one Chinese character or Korean syllable."), "q"
        )
    finder.record_reads(found)
    out = {"q": filters.q, "organizations": None, "people": None, "contacts": None}
    for group in found.groups:
        page = group.page
        out[group.kind] = {
            "count": group.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": [SHAPES[group.kind](item) for item in page.object_list],
        }
    return out
