"""Reads of the directory, each through the access layer: what may this user see?

The directory itself is not personal data: every desk that links to it reads all of it
(``Area.DIRECTORY``). A person's phones and e-mail are: pages and the API that show them audit
the read once per request (``record_contact_reads``).
"""

from django.db.models import Count, Q, QuerySet

from liaison.arrivals.choices import permit_holders_of
from liaison.arrivals.models import Arrival
from liaison.arrivals.selectors import ARRIVAL_AREAS
from liaison.arrivals.states import ArrivalState
from liaison.core import audit
from liaison.core.access import Area, can
from liaison.core.models import AuditEntry
from liaison.directory.models import MISSION_KINDS, Organization, OrganizationKind, Person
from liaison.directory.regions import WHOLE_COUNTRY
from liaison.directory.search import directory_search
from liaison.directory.serving import city_region

CONTACT_FIELDS = ("phone", "mobile", "email")


def organizations_visible_to(user) -> QuerySet[Organization]:
    queryset = Organization.objects.select_related("parent").prefetch_related("districts")
    return queryset if can(user, Area.DIRECTORY) else queryset.none()


def people_visible_to(user) -> QuerySet[Person]:
    queryset = Person.objects.select_related("organization")
    return queryset if can(user, Area.DIRECTORY) else queryset.none()


def visible_organization(user, pk: int) -> Organization | None:
    """The organization ``pk`` if this user may see it, else None."""
    return organizations_visible_to(user).filter(pk=pk).first()


def people_of(organization: Organization) -> list[Person]:
    """Everyone who holds or held a post there, in the directory's order."""
    return list(organization.people.all())


def children_of(organization: Organization) -> QuerySet[Organization]:
    return organization.children.order_by("code")


def districts_of(organization: Organization):
    return organization.districts.all()


def filter_organizations(
    organizations: QuerySet[Organization],
    *,
    query: str = "",
    kind: str = "",
    country: str = "",
    active: str = "yes",
) -> QuerySet[Organization]:
    """The list's filters: kind, country, active (yes, no, all) and a search of every name —
    the organization's own or one of its people's, in any script."""
    if kind:
        organizations = organizations.filter(kind=kind)
    if country:
        organizations = organizations.filter(country=country.upper())
    if active == "yes":
        organizations = organizations.filter(active=True)
    elif active == "no":
        organizations = organizations.filter(active=False)
    condition = directory_search(query)
    if condition is not None:
        people = Person.objects.filter(condition).values("organization_id")
        organizations = organizations.filter(condition | Q(pk__in=people))
    return organizations


def search_people(people: QuerySet[Person], query: str) -> QuerySet[Person]:
    condition = directory_search(query)
    return people if condition is None else people.filter(condition)


def record_contact_reads(people) -> None:
    """This request showed these people's phones and e-mail: one read entry naming them all."""
    audit.record_reads(Person, people, fields=CONTACT_FIELDS, note="contact data")


def history_of(record) -> QuerySet[AuditEntry]:
    """Every recorded change of an organization or person: who, when, which fields."""
    return AuditEntry.objects.filter(
        object_type=audit.object_type_of(record),
        object_id=str(record.pk),
        action__in=[AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE],
    ).order_by("-at")


# --- How many of its nationals are in the pipeline today ------------------------------------------

# Between the declaration and the handover's receipt, the traveler is still the airport's and
# the dispatch's; received means in quarantine until released.
AT_THE_AIRPORT_OR_IN_TRANSIT = (
    ArrivalState.DECLARED,
    ArrivalState.SCREENED,
    ArrivalState.SAMPLED,
    ArrivalState.RESULT,
    ArrivalState.DISPOSED,
    ArrivalState.IN_HANDOVER,
)


def _district_filter(organization: Organization) -> Q | None:
    """The arrivals bound for the mission's consular district (None: all of them)."""
    regions = [d.region for d in organization.districts.all()]
    if not regions:
        # A Hong Kong or Macao office need not name a district (reference.py): its residents
        # anywhere in the city are its people. A consulate without one serves nobody here.
        return None if organization.kind == OrganizationKind.HK_MACAO_OFFICE else Q(pk__in=[])
    if WHOLE_COUNTRY in regions or (city_region() or "?") in regions:
        return None
    condition = Q(pk__in=[])
    for region in regions:
        condition |= Q(jurisdiction__code__startswith=region)
    return condition


def _its_people(organization: Organization) -> Q:
    """A consulate's people are its country's nationals. A Hong Kong or Macao office's are the
    residents travelling on their Mainland Travel Permit: Chinese nationals (CN), so they are
    found by their document, never by nationality."""
    if organization.kind == OrganizationKind.HK_MACAO_OFFICE:
        return permit_holders_of(str(organization.country))
    return Q(nationality=str(organization.country))


def nationals_in_pipeline(organization: Organization, user) -> dict | None:
    """Counts, not people: how many of the organization's nationals (a mission's: bound for its
    consular district; a Hong Kong or Macao office's: its residents on their permit) are
    declared and not yet received, in quarantine, in hospital.

    Counts name nobody, so the desks that read the directory see them; the links to the
    travelers are only for roles that may see arrivals (``can_see``), and by nationality only
    (``nationality``: the arrivals list has no filter by permit). None for our own side.
    """
    if organization.is_ours:
        return None
    by_permit = organization.kind == OrganizationKind.HK_MACAO_OFFICE
    arrivals = Arrival.objects.filter(_its_people(organization))
    if organization.kind in MISSION_KINDS:
        district = _district_filter(organization)
        if district is not None:
            arrivals = arrivals.filter(district)
    counts = arrivals.aggregate(
        declared=Count("pk", filter=Q(state__in=AT_THE_AIRPORT_OR_IN_TRANSIT)),
        in_quarantine=Count("pk", filter=Q(state=ArrivalState.RECEIVED)),
        in_hospital=Count("pk", filter=Q(state=ArrivalState.IN_HOSPITAL)),
    )
    counts["can_see"] = any(can(user, area) for area in ARRIVAL_AREAS)
    counts["by_permit"] = by_permit
    counts["nationality"] = "" if by_permit else str(organization.country)
    return counts
