"""The bilingual minutes: one template, shown as a printable page and printed as PDF.

The minutes go to both sides, so they speak Chinese and English one after the other whatever the
reader's language; names are written as their own script writes them (Ukrainian Cyrillic,
Armenian), tagged with their language so the PDF picks the right glyphs (``core/pdf.py``).
Internal materials are left out.
"""

from __future__ import annotations

from django.utils import translation

from liaison.core.names import language_of
from liaison.core.pdf import render_pdf
from liaison.exchanges import follow_ups, selectors, time_zones
from liaison.exchanges.models import Conference, ParticipantRole, Side, Visibility

TEMPLATE = "exchanges/minutes.html"


def _both(label) -> dict[str, str]:
    labels = {}
    for key, language in (("zh", "zh-hans"), ("en", "en")):
        with translation.override(language):
            labels[key] = str(label)
    return labels


# Scripts whose language names.language_of leaves to the country (Cyrillic is several languages).
_LANGUAGE_OF_COUNTRY = {"UA": "uk", "AM": "hy", "RU": "ru", "BY": "be", "KZ": "kk"}


def _person(person) -> dict:
    native = person.name_native
    country = person.organization.country.code or ""
    return {
        "native": native,
        "lang": (language_of(native, country) or _LANGUAGE_OF_COUNTRY.get(country, ""))
        if native
        else "",
        "latin": person.name_latin,
        "zh": person.name_zh,
        "title_zh": person.title_zh or person.title_en,
        "title_en": person.title_en or person.title_zh,
        "organization_zh": person.organization.name_zh,
        "organization_en": person.organization.name_en,
    }


def context(conference: Conference) -> dict:
    sides = []
    for side in Side:
        seats = [p for p in conference.participants.all() if p.side == side]
        sides.append(
            {
                "label": _both(side.label),
                "people": [
                    {**_person(p.person), "role": _both(ParticipantRole(p.role).label)}
                    for p in seats
                ],
            }
        )
    with translation.override("en"):
        times_en = time_zones.local_times(conference)
    with translation.override("zh-hans"):
        times_zh = time_zones.local_times(conference)
    return {
        "conference": conference,
        "sides": sides,
        "times": list(zip(times_zh, times_en, strict=True)),
        "status": _both(Conference.Status(conference.status).label),
        "agenda": [
            {"item": a, "presenter": _person(a.presenter) if a.presenter else None}
            for a in conference.agenda.all()
        ],
        "questions": [
            {
                "q": q,
                "asked_by": _person(q.asked_by),
                "answered_by": _person(q.answered_by) if q.answered_by else None,
            }
            for q in conference.questions.all()
        ],
        "materials": [
            {"m": m, "visibility": _both(Visibility(m.visibility).label)}
            for m in selectors.printed_materials(conference)
        ],
        "follow_ups": follow_ups.of_conference(conference),
    }


def minutes_pdf(conference: Conference) -> bytes:
    return render_pdf(TEMPLATE, context(conference))
