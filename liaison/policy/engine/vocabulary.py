"""The fixed words of the screening policy.

Policy documents may only use these values; the explanation templates know how to say each of
them in every staff language. Adding a value here is a code change on purpose: a word the
engine cannot render would reach an officer as a bare code.
"""

from __future__ import annotations

from enum import StrEnum


class Disposition(StrEnum):
    HOSPITAL = "hospital"
    CENTRALIZED_QUARANTINE = "centralized_quarantine"
    HOME_QUARANTINE = "home_quarantine"
    ONWARD_TRANSFER = "onward_transfer"
    DIPLOMATIC_ARRANGEMENT = "diplomatic_arrangement"


# How tightly each disposition restricts the traveler, used by the "more risk never loosens"
# guarantee. Onward transfer is a closed loop with an escort, stricter than quarantine at a
# residence but looser than a hotel room. Home quarantine and the diplomatic arrangement are
# both quarantine at the person's own residence, so they tie.
STRICTNESS: dict[Disposition, int] = {
    Disposition.HOSPITAL: 4,
    Disposition.CENTRALIZED_QUARANTINE: 3,
    Disposition.ONWARD_TRANSFER: 2,
    Disposition.HOME_QUARANTINE: 1,
    Disposition.DIPLOMATIC_ARRANGEMENT: 1,
}


class SiteType(StrEnum):
    DESIGNATED_HOSPITAL = "designated_hospital"
    QUARANTINE_HOTEL = "quarantine_hotel"
    RESIDENCE = "residence"
    TRANSFER_STATION = "transfer_station"


class Step(StrEnum):
    """Something that still has to happen to the traveler before or during the disposition."""

    TRANSFER_TO_DESIGNATED_HOSPITAL = "transfer_to_designated_hospital"
    PCR_AT_DESIGNATED_SITE = "pcr_at_designated_site"
    RESAMPLE_PCR = "resample_pcr"
    WAIT_FOR_RESULT_AT_DESIGNATED_SITE = "wait_for_result_at_designated_site"
    TRANSFER_TO_QUARANTINE_HOTEL = "transfer_to_quarantine_hotel"
    HOME_QUARANTINE_UNDER_DISTRICT_SUPERVISION = "home_quarantine_under_district_supervision"
    NOTIFY_CONSULATE = "notify_consulate"
    ARRANGE_WITH_MISSION = "arrange_with_mission"
    CLOSED_LOOP_TRANSFER_TO_DEPARTURE = "closed_loop_transfer_to_departure"
    NOTIFY_DESTINATION_PROVINCE = "notify_destination_province"
    DAILY_HEALTH_MONITORING = "daily_health_monitoring"


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


RISK_RANK: dict[RiskLevel, int] = {RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3}


class LabResult(StrEnum):
    # "pending" is how a policy names the absence of a result (Facts.test_result is None).
    PENDING = "pending"
    NEGATIVE = "negative"
    POSITIVE = "positive"
    INCONCLUSIVE = "inconclusive"


class DestinationKind(StrEnum):
    CITY = "city"
    ONWARD = "onward"


class Category(StrEnum):
    ORDINARY = "ordinary"
    DIPLOMAT = "diplomat"
    CONSULAR = "consular"
    CREW = "crew"
    OFFICIAL = "official"
