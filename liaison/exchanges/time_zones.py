"""Each side's time zone: a country's principal zone from the system's tz database (zone.tab),
and a conference's times shown in every side's zone."""

from __future__ import annotations

import functools
import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from liaison.core.countries import country_name


@functools.cache
def _zones_by_country() -> dict[str, list[str]]:
    zones: dict[str, list[str]] = {}
    for root in zoneinfo.TZPATH:
        table = Path(root) / "zone.tab"
        if not table.exists():
            continue
        for line in table.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            country, _coordinates, zone, *comment = line.split("\t")
            # "most of Ukraine", "most of Spain": the zone most of the country keeps comes first.
            principal = not comment or comment[0].lower().startswith("most")
            zones.setdefault(country, [])
            zones[country].insert(0, zone) if principal else zones[country].append(zone)
        break
    return zones


def zones_of(country: str) -> list[str]:
    """The country's time zones, its principal one first (Kyiv before Simferopol)."""
    return list(_zones_by_country().get(country.upper(), []))


def principal_zone(country: str) -> str:
    zones = zones_of(country)
    return zones[0] if zones else "UTC"


@functools.cache
def is_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


@dataclass(frozen=True)
class LocalTimes:
    label: str
    zone: str
    starts: datetime
    ends: datetime

    # As text: a template's |date would show an aware time in the reader's zone, not this one.
    @property
    def starts_text(self) -> str:
        return self.starts.strftime("%Y-%m-%d %H:%M")

    @property
    def ends_text(self) -> str:
        return self.ends.strftime("%Y-%m-%d %H:%M")


def local_times(conference) -> list[LocalTimes]:
    """The start and end in our zone, then in each counterpart country's."""
    rows = []
    ours = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    rows.append(
        LocalTimes(
            _("Our side"),
            settings.TIME_ZONE,
            conference.starts_at.astimezone(ours),
            conference.ends_at.astimezone(ours),
        )
    )
    for entry in conference.countries.all():
        zone = zoneinfo.ZoneInfo(entry.time_zone)
        rows.append(
            LocalTimes(
                country_name(entry.country.code),
                entry.time_zone,
                conference.starts_at.astimezone(zone),
                conference.ends_at.astimezone(zone),
            )
        )
    return rows
