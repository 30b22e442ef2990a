"""Reads of the assistance desk, each through the access layer: what may this user see?"""

import unicodedata
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from liaison.assistance.models import AssistanceCase, ConsularNotification, Mission
from liaison.assistance.models.cases import OPEN_STATUSES, PRIORITY_ORDER, Priority
from liaison.assistance.regions import WHOLE_COUNTRY, province_of
from liaison.core.access import Area, can, scoped
from liaison.core.models import Jurisdiction
from liaison.core.normalize import document_number, phone_e164

# --- Who serves a national of country X here? -----------------------------------------------------

# Among missions covering the same region, a consulate in or near the city comes before the
# embassy in the capital; an honorary consulate (little consular power) comes last.
_KIND_RANK = {
    Mission.Kind.CONSULATE_GENERAL: 0,
    Mission.Kind.CONSULATE: 0,
    Mission.Kind.HK_MACAO_OFFICE: 0,
    Mission.Kind.EMBASSY: 1,
    Mission.Kind.HONORARY_CONSULATE: 2,
}


def city_region() -> str | None:
    """The province-level code of this deployment's city, read from its jurisdictions' codes.

    Functional zones carry no GB/T 2260 code of their own; they are where most jurisdictions are.
    """
    provinces = Counter(
        province_of(code)
        for code in Jurisdiction.objects.filter(active=True).values_list("code", flat=True)
    )
    provinces.pop(None, None)
    return provinces.most_common(1)[0][0] if provinces else None


def regions_of(jurisdiction: Jurisdiction | None) -> list[str]:
    """The region codes a place belongs to, most specific first."""
    regions = []
    if jurisdiction is not None:
        regions.append(jurisdiction.code)
    province = (province_of(jurisdiction.code) if jurisdiction else None) or city_region()
    if province:
        regions.append(province)
    regions.append(WHOLE_COUNTRY)
    return regions


def missions_serving(
    *, nationality: str, jurisdiction: Jurisdiction | None = None
) -> list[Mission]:
    """Active missions of ``nationality`` whose consular district covers the place, best first.

    Best is the most specific coverage (a jurisdiction, then the province, then the whole
    country), then a consulate before the embassy.
    """
    regions = regions_of(jurisdiction)
    candidates = (
        Mission.objects.filter(
            active=True, country=str(nationality).upper(), coverage__region__in=regions
        )
        .prefetch_related("coverage")
        .distinct()
    )

    def rank(mission: Mission) -> tuple:
        covered = [regions.index(c.region) for c in mission.coverage.all() if c.region in regions]
        return (min(covered), _KIND_RANK.get(mission.kind, 3), mission.code)

    return sorted(candidates, key=rank)


def mission_serving(
    *, nationality: str, jurisdiction: Jurisdiction | None = None
) -> Mission | None:
    """The mission that serves a national of ``nationality`` in ``jurisdiction`` (or the city).

    A Korean national in Yubei is served by the Korean consulate general whose district covers
    Chongqing; a Hong Kong resident by the HKSAR office covering it; None when nobody does.
    """
    serving = missions_serving(nationality=nationality, jurisdiction=jurisdiction)
    return serving[0] if serving else None


def missions_visible_to(user) -> QuerySet[Mission]:
    """The directory is not personal data: the desks that use it see all of it."""
    queryset = Mission.objects.filter(active=True).prefetch_related("coverage", "contacts")
    return queryset if can(user, Area.MISSIONS) else queryset.none()


# --- Cases ----------------------------------------------------------------------------------------


def cases_visible_to(user) -> QuerySet[AssistanceCase]:
    """Assistance officers see cases (a jurisdiction-bound one only their jurisdiction's)."""
    queryset = AssistanceCase.objects.select_related("assigned_to", "jurisdiction")
    return scoped(queryset, user, Area.ASSISTANCE)


def fold(text: str) -> str:
    """A name as search compares it: any script, case and width folded, Latin accents dropped.

    "MÜLLER", "Müller" and "muller" fold alike; Chinese, Korean or Japanese names are kept as
    written (their marks are part of the letter, so only width and case are folded).
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = []
    for char in decomposed:
        if unicodedata.combining(char) and kept and ord(kept[-1]) < 0x0530:
            continue
        kept.append(char)
    folded = unicodedata.normalize("NFKC", "".join(kept)).casefold()
    return " ".join(folded.split())


def search_cases(cases: QuerySet[AssistanceCase], query: str) -> QuerySet[AssistanceCase]:
    """By name in any script, document number or phone number (any common way of writing it)."""
    query = query.strip()
    if not query:
        return cases
    condition = Q(search_names__contains=fold(query))
    key = document_number(query)
    if len(key) >= 4:
        condition |= Q(search_document__contains=key)
    if sum(c.isdigit() for c in query) >= 6:
        e164 = phone_e164(query)
        if e164:
            condition |= Q(phone=e164)
    return cases.filter(condition)


def filter_cases(
    cases: QuerySet[AssistanceCase],
    *,
    user,
    view: str = "all",
    query: str = "",
    country: str = "",
    mission: Mission | None = None,
    status: str = "",
) -> QuerySet[AssistanceCase]:
    if view == "mine":
        cases = cases.filter(assigned_to=user).open()
    elif view == "unassigned":
        cases = cases.filter(assigned_to__isnull=True).open()
    elif view == "overdue":
        cases = cases.overdue()
    elif view == "open":
        cases = cases.open()
    if country:
        cases = cases.filter(Q(nationality=country) | Q(location_country=country))
    if mission is not None:
        cases = cases.filter(missions=mission)
    if status:
        cases = cases.filter(status=status)
    return search_cases(cases, query)


@dataclass(frozen=True)
class OverdueGroup:
    priority: Priority
    cases: list[AssistanceCase]


def overdue_by_priority(user, now=None) -> list[OverdueGroup]:
    overdue = cases_visible_to(user).overdue(now or timezone.now()).order_by("due_at", "id")
    groups = {priority: [] for priority in sorted(Priority, key=PRIORITY_ORDER.get)}
    for case in overdue:
        groups[Priority(case.priority)].append(case)
    return [OverdueGroup(priority, cases) for priority, cases in groups.items()]


def open_cases_by_country(user) -> list[dict]:
    """Open cases counted by the person's nationality and by where they are."""
    open_cases = cases_visible_to(user).filter(status__in=OPEN_STATUSES)
    rows: dict[str, dict] = {}
    for field in ("nationality", "location_country"):
        for row in open_cases.values(field).annotate(n=Count("id")):
            code = row[field]
            rows.setdefault(code, {"code": code, "nationality": 0, "location_country": 0})
            rows[code][field] = row["n"]
    return sorted(rows.values(), key=lambda r: -(r["nationality"] + r["location_country"]))


def open_cases_by_mission(user) -> QuerySet[Mission]:
    visible = cases_visible_to(user).filter(status__in=OPEN_STATUSES).values("pk")
    return (
        Mission.objects.filter(cases__in=visible)
        .annotate(open_cases=Count("cases", distinct=True))
        .order_by("-open_cases", "code")
    )


# --- Notifications --------------------------------------------------------------------------------


def notifications_visible_to(user) -> QuerySet[ConsularNotification]:
    queryset = ConsularNotification.objects.select_related("mission", "case")
    return queryset if can(user, Area.MISSIONS) else queryset.none()
