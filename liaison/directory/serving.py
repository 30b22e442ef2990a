"""Who serves a national of country X here? The missions whose consular district covers it."""

from collections import Counter

from liaison.core.models import Jurisdiction
from liaison.directory.models import MISSION_KINDS, Organization, OrganizationKind
from liaison.directory.regions import WHOLE_COUNTRY, province_of

# Among missions covering the same region, a consulate in or near the city comes before the
# embassy in the capital; an honorary consulate (little consular power) comes last.
_KIND_RANK = {
    OrganizationKind.CONSULATE_GENERAL: 0,
    OrganizationKind.CONSULATE: 0,
    OrganizationKind.HK_MACAO_OFFICE: 0,
    OrganizationKind.EMBASSY: 1,
    OrganizationKind.HONORARY_CONSULATE: 2,
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
) -> list[Organization]:
    """Active missions of ``nationality`` whose consular district covers the place, best first.

    Best is the most specific district (a jurisdiction, then the province, then the whole
    country), then a consulate before the embassy. Only missions serve: a government or a media
    bureau of the same country has no consular district.
    """
    regions = regions_of(jurisdiction)
    candidates = (
        Organization.objects.filter(
            active=True,
            kind__in=MISSION_KINDS,
            country=str(nationality).upper(),
            districts__region__in=regions,
        )
        .prefetch_related("districts")
        .distinct()
    )

    def rank(mission: Organization) -> tuple:
        covered = [regions.index(d.region) for d in mission.districts.all() if d.region in regions]
        return (min(covered), _KIND_RANK.get(mission.kind, 3), mission.code)

    return sorted(candidates, key=rank)


def mission_serving(
    *, nationality: str, jurisdiction: Jurisdiction | None = None
) -> Organization | None:
    """The mission that serves a national of ``nationality`` in ``jurisdiction`` (or the city).

    A Korean national in Yubei is served by the Korean consulate general whose district covers
    Chongqing; a Hong Kong resident by the HKSAR office covering it; None when nobody does.
    """
    serving = missions_serving(nationality=nationality, jurisdiction=jurisdiction)
    return serving[0] if serving else None
