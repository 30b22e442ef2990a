"""A snapshot's labels, rendered in a reader's language: the snapshot stores codes, never words.

A label is a list, its kind first: ``["group", "received"]``, ``["country", "KR"]``,
``["jurisdiction", code, name_zh, name_en]`` (the reference data's names as they were at the
cut-off), ``["day", "2020-03-24"]``, ``["flight", "KE 147"]``.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from liaison.aid.models.donations import Direction, DonationStatus
from liaison.assistance.models import ConsularNotification
from liaison.assistance.models.cases import Category, Kind, Priority
from liaison.handover.selectors import GROUP_LABELS
from liaison.policy.models import DispositionChoice

METRICS = {
    "new": _("Last 24 hours"),
    "total": pgettext_lazy("briefing column", "Total"),
    "last_14_days": _("Last 14 days"),
    "open": pgettext_lazy("briefing column", "Open"),
    "waiting": pgettext_lazy("briefing column", "Waiting"),
    "cases_open": _("Assistance cases open"),
    "contacts_held": _("Contacts held"),
    "commitments_open": _("Commitments open"),
    "commitments_overdue": _("Commitments overdue"),
    "conferences_held": _("Expert conferences held"),
    "no_destination": _("No destination in the city"),
}
GROUPS = {
    **GROUP_LABELS,
    "arrived": _("Arrived"),
    "in_quarantine": _("In quarantine"),
    "released": _("Released from quarantine"),
}
SECTIONS = {
    "pipeline": _("Arrivals: the closed loop"),
    "assistance": _("Assistance and consular notifications"),
    "liaison": _("Liaison: contacts and commitments"),
    "aid": _("Aid"),
    "duty": _("Duty: incidents"),
    "exchanges": _("Expert exchanges"),
}
TABLES = {
    "pipeline.numbers": _("Situation in numbers"),
    "pipeline.days": _("Arrivals by day and where they are"),
    "pipeline.flights": _("Arrivals of the day by flight"),
    "pipeline.nationality": _("Arrivals by nationality"),
    "pipeline.jurisdiction": _("Arrivals by destination jurisdiction"),
    "pipeline.disposition": _("Arrivals by disposition"),
    "assistance.open": _("Open cases"),
    "assistance.kind": _("Open cases by kind"),
    "assistance.category": _("Open cases by category"),
    "assistance.priority": _("Open cases by priority"),
    "assistance.notifications": _("Consular notifications waiting"),
    "liaison.contacts": _("Contacts with counterparts"),
    "liaison.commitments": _("Commitments"),
    "aid.donations": _("Donations shipped and received"),
    "duty.incidents": _("Incidents open by severity"),
    "exchanges.held": _("Expert conferences"),
}
CHOICES = {
    "disposition": DispositionChoice,
    "kind": Kind,
    "category": Category,
    "priority": Priority,
    "notification_status": ConsularNotification.Status,
    "direction": Direction,
    "donation_status": DonationStatus,
}


def render(spec: list) -> str:
    """A label in the active language."""
    kind, value = spec[0], spec[1]
    language = translation.get_language() or "en"
    if kind == "metric":
        return str(METRICS.get(value, value))
    if kind == "group":
        return str(GROUPS.get(value, value))
    if kind == "country":
        return str(countries.name(value) or value)
    if kind == "jurisdiction":
        return spec[2] if language.startswith("zh") else spec[3]
    if kind == "severity":
        return str(_("Severity %(n)s") % {"n": value})
    if kind in CHOICES:
        choices = CHOICES[kind]
        return str(choices(value).label) if value in choices.values else value
    return str(value)  # a day, a flight number: data


def both(spec: list) -> dict[str, str]:
    """A label in the briefing's two languages."""
    out = {}
    for key, language in (("zh", "zh-hans"), ("en", "en")):
        with translation.override(language):
            out[key] = render(spec)
    return out


def title(mapping: dict, key: str) -> dict[str, str]:
    out = {}
    for code, language in (("zh", "zh-hans"), ("en", "en")):
        with translation.override(language):
            out[code] = str(mapping.get(key, key))
    return out
