"""Writes of the exchanges desk: plan and revise a conference, record its questions and answers,
share materials, finalize the minutes. Each is one transaction that writes its
``ConferenceEvent``; the audit trail follows from ``AuditedModel``.

Bad input raises ``core.refusals.Refused`` on the field it concerns before anything is written;
a conference whose minutes are finalized raises ``Conflict`` (409) for every change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import countries, params
from liaison.core.models import User
from liaison.core.refusals import Conflict, Refused
from liaison.directory.models import Organization, Person
from liaison.exchanges import time_zones
from liaison.exchanges.materials import check_material
from liaison.exchanges.models import (
    AgendaItem,
    Conference,
    ConferenceCountry,
    ConferenceEvent,
    Material,
    Participant,
    ParticipantRole,
    Platform,
    Question,
    Side,
    Visibility,
)

MAX_AGENDA_MINUTES = 24 * 60


@dataclass(frozen=True)
class CountryInput:
    country: str
    time_zone: str = ""  # empty: the country's principal zone


@dataclass(frozen=True)
class ParticipantInput:
    """Someone of the directory (``person_id``), or a name typed with its ``organization_id``:
    then the person is added to the directory, which stays the one list of people."""

    side: str
    role: str
    person_id: int | None = None
    organization_id: int | None = None
    name_latin: str = ""
    name_native: str = ""
    name_zh: str = ""
    title_zh: str = ""
    title_en: str = ""


@dataclass(frozen=True)
class AgendaInput:
    title_zh: str = ""
    title_en: str = ""
    presenter_id: int | None = None  # a participant's person
    minutes: int | None = None


@dataclass(frozen=True)
class Plan:
    """What the plan form and the API's body say about a conference."""

    title_zh: str
    title_en: str
    starts_at: datetime
    ends_at: datetime
    platform: str
    arranged_by_id: int | None = None
    platform_detail: str = ""
    summary_zh: str = ""
    summary_en: str = ""
    countries: tuple[CountryInput, ...] = ()
    organization_ids: tuple[int, ...] = ()
    participants: tuple[ParticipantInput, ...] = ()
    agenda: tuple[AgendaInput, ...] = ()


PLAN_FIELDS = (
    "title_zh",
    "title_en",
    "starts_at",
    "ends_at",
    "platform",
    "arranged_by_id",
    "platform_detail",
    "summary_zh",
    "summary_en",
)


def event(conference: Conference, *, type: str, by: User, **params) -> ConferenceEvent:
    return ConferenceEvent.objects.create(conference=conference, type=type, actor=by, params=params)


def editable(conference: Conference) -> Conference:
    """The conference, locked for this transaction; ``Conflict`` once its minutes are final."""
    locked = Conference.objects.select_for_update().get(pk=conference.pk)
    if locked.is_final:
        raise Conflict(
            _(
                "The minutes of this conference were finalized on %(date)s; they can no longer "
                "be changed."
            )
            % {"date": timezone.localtime(locked.finalized_at).strftime("%Y-%m-%d %H:%M")}
        )
    return locked


# --- Checking a plan ------------------------------------------------------------------------------


def _organization(pk: int | None, field: str) -> Organization | None:
    if pk is None:
        return None
    found = Organization.objects.filter(pk=pk).first()
    if found is None:
        raise Refused(_("No organization %(id)s in the directory.") % {"id": pk}, field)
    return found


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    for field, moment in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not params.in_range(moment):  # year 1 or 9999: no time zone can hold it
            raise Refused(
                _("Enter a date between %(earliest)s and %(latest)s.")
                % {"earliest": params.EARLIEST.year, "latest": params.LATEST.year},
                field,
            )
        if timezone.is_naive(moment):
            raise Refused(_("Give the time with its time zone."), field)
    if ends_at <= starts_at:
        raise Refused(_("The conference must end after it starts."), "ends_at")


def _check_plan(plan: Plan) -> dict:
    """Every reference of the plan resolved, or the first problem refused."""
    if not plan.title_zh.strip() or not plan.title_en.strip():
        field = "title_zh" if not plan.title_zh.strip() else "title_en"
        raise Refused(_("The minutes are bilingual: give the title in Chinese and English."), field)
    for field, limit in (("title_zh", 300), ("title_en", 300), ("platform_detail", 200)):
        if len(getattr(plan, field)) > limit:
            raise Refused(_("At most %(n)s characters.") % {"n": limit}, field)
    _check_times(plan.starts_at, plan.ends_at)
    if plan.platform not in Platform.values:
        raise Refused(_("Choose a platform from the list."), "platform")
    arranged_by = _organization(plan.arranged_by_id, "arranged_by")
    places = []
    for entry in plan.countries:
        code = (entry.country or "").upper()
        if not countries.is_place(code):
            raise Refused(_("Choose a country or region from the list."), "countries")
        zone = entry.time_zone or time_zones.principal_zone(code)
        if not time_zones.is_zone(zone):
            raise Refused(_("“%(zone)s” is not a time zone.") % {"zone": zone[:60]}, "countries")
        if code in {c for c, _zone in places}:
            raise Refused(_("Each country is listed once."), "countries")
        places.append((code, zone))
    organizations = [
        _organization(pk, "organizations") for pk in dict.fromkeys(plan.organization_ids)
    ]
    participants = [_check_participant(entry) for entry in plan.participants]
    people = [person for person, _side, _role in participants]
    if len({p.pk for p in people if p.pk}) != len([p for p in people if p.pk]):
        raise Refused(_("Each person takes part once."), "participants")
    agenda = [_check_agenda(item, people) for item in plan.agenda]
    return {
        "arranged_by": arranged_by,
        "places": places,
        "organizations": organizations,
        "participants": participants,
        "agenda": agenda,
    }


def _check_participant(entry: ParticipantInput) -> tuple[Person, str, str]:
    if entry.side not in Side.values:
        raise Refused(_("Choose the participant's side."), "participants")
    if entry.role not in ParticipantRole.values:
        raise Refused(_("Choose the participant's role from the list."), "participants")
    if entry.person_id is not None:
        person = Person.objects.select_related("organization").filter(pk=entry.person_id).first()
        if person is None:
            raise Refused(
                _("No person %(id)s in the directory.") % {"id": entry.person_id}, "participants"
            )
    else:
        organization = _organization(entry.organization_id, "participants")
        if organization is None:
            raise Refused(
                _("Give the organization of a participant who is not in the directory."),
                "participants",
            )
        names = (entry.name_latin.strip(), entry.name_native.strip(), entry.name_zh.strip())
        if not any(names):
            raise Refused(_("Give the participant's name."), "participants")
        # Unsaved until the plan is written: the directory gets the person with the conference.
        person = Person(
            organization=organization,
            name_latin=names[0][:200],
            name_native=names[1][:200],
            name_zh=names[2][:200],
            title_zh=entry.title_zh.strip()[:200],
            title_en=entry.title_en.strip()[:200],
        )
    # Our side is the Chinese authorities (the Ministry, embassies, the city); theirs is not.
    if (entry.side == Side.OURS) != person.organization.is_ours:
        raise Refused(
            _("%(name)s of %(organization)s cannot sit on %(side)s.")
            % {
                "name": person.name,
                "organization": person.organization.name,
                "side": Side(entry.side).label,
            },
            "participants",
        )
    return person, entry.side, entry.role


def _check_agenda(item: AgendaInput, people: list[Person]) -> dict:
    if not item.title_zh.strip() and not item.title_en.strip():
        raise Refused(_("Give the agenda item's title."), "agenda")
    presenter = None
    if item.presenter_id is not None:
        presenter = next((p for p in people if p.pk == item.presenter_id), None)
        if presenter is None:
            raise Refused(_("The presenter must be one of the participants."), "agenda")
    if item.minutes is not None and not 0 < item.minutes <= MAX_AGENDA_MINUTES:
        raise Refused(_("An agenda item lasts between 1 minute and a day."), "agenda")
    return {
        "title_zh": item.title_zh.strip()[:300],
        "title_en": item.title_en.strip()[:300],
        "presenter": presenter,
        "minutes": item.minutes,
    }


def _write_lists(conference: Conference, checked: dict) -> None:
    """The plan's lists, replacing what the conference had (the caller records the revision)."""
    conference.countries.all().delete()
    ConferenceCountry.objects.bulk_create(
        ConferenceCountry(conference=conference, country=code, time_zone=zone, sort_order=n)
        for n, (code, zone) in enumerate(checked["places"])
    )
    conference.participants.all().delete()
    organizations = {o.pk: o for o in checked["organizations"]}
    for n, (person, side, role) in enumerate(checked["participants"]):
        if person.pk is None:
            person.full_clean()
            person.save()
        organizations.setdefault(person.organization_id, person.organization)
        Participant.objects.create(
            conference=conference, person=person, side=side, role=role, sort_order=n
        )
    conference.organizations.set(organizations.values())
    conference.agenda.all().delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(conference=conference, sort_order=n, **item)
        for n, item in enumerate(checked["agenda"])
    )


def _lists_of(conference: Conference) -> dict:
    return {
        "countries": [(c.country.code, c.time_zone) for c in conference.countries.all()],
        "organizations": sorted(conference.organizations.values_list("pk", flat=True)),
        "participants": [(p.person_id, p.side, p.role) for p in conference.participants.all()],
        "agenda": [
            (a.title_zh, a.title_en, a.presenter_id, a.minutes) for a in conference.agenda.all()
        ],
    }


# --- Writes -----------------------------------------------------------------------------------


@transaction.atomic
def plan_conference(*, plan: Plan, by: User) -> Conference:
    checked = _check_plan(plan)
    conference = Conference.objects.create(
        **{field: getattr(plan, field) for field in PLAN_FIELDS if field != "arranged_by_id"},
        arranged_by=checked["arranged_by"],
        created_by=by,
    )
    _write_lists(conference, checked)
    event(conference, type=ConferenceEvent.Type.PLANNED, by=by)
    return conference


@transaction.atomic
def revise_conference(*, conference: Conference, plan: Plan, by: User) -> Conference:
    """The plan as revised; the revision records which fields and lists changed."""
    conference = editable(conference)
    checked = _check_plan(plan)
    changed = [f for f in PLAN_FIELDS if getattr(conference, f) != getattr(plan, f)]
    before = _lists_of(conference)
    for field in PLAN_FIELDS:
        setattr(conference, field, getattr(plan, field))
    conference.save()
    _write_lists(conference, checked)
    after = _lists_of(conference)
    changed += [name for name in before if before[name] != after[name]]
    if changed:
        event(conference, type=ConferenceEvent.Type.REVISED, by=by, fields=changed)
    return conference


def _participant(conference: Conference, person_id: int | None, field: str) -> Person | None:
    if person_id is None:
        return None
    seat = conference.participants.select_related("person").filter(person_id=person_id).first()
    if seat is None:
        raise Refused(_("Choose one of the conference's participants."), field)
    return seat.person


@transaction.atomic
def record_question(
    *,
    conference: Conference,
    asked_by_id: int,
    by: User,
    question_zh: str = "",
    question_en: str = "",
    answered_by_id: int | None = None,
    answer_zh: str = "",
    answer_en: str = "",
) -> Question:
    """A question one side asked and, when given, the answer and who gave it."""
    conference = editable(conference)
    asked_by = _participant(conference, asked_by_id, "asked_by")
    answered_by = _participant(conference, answered_by_id, "answered_by")
    if not question_zh.strip() and not question_en.strip():
        raise Refused(_("Write the question, in Chinese or English or both."), "question_zh")
    if (answer_zh.strip() or answer_en.strip()) and answered_by is None:
        raise Refused(_("Say who gave the answer."), "answered_by")
    question = Question.objects.create(
        conference=conference,
        asked_by=asked_by,
        question_zh=question_zh.strip(),
        question_en=question_en.strip(),
        answered_by=answered_by,
        answer_zh=answer_zh.strip(),
        answer_en=answer_en.strip(),
        sort_order=conference.questions.count(),
    )
    event(conference, type=ConferenceEvent.Type.QUESTION, by=by, question=question.pk)
    return question


LANGUAGE_CODES = ("zh-hans", "en", "ru", "uk", "hy", "be", "kk", "fr", "de", "es", "ar", "other")


@transaction.atomic
def share_material(
    *,
    conference: Conference,
    upload,
    title: str,
    language: str,
    visibility: str,
    by: User,
    version: int = 1,
    shared_by_id: int | None = None,
) -> Material:
    """Store a shared file: only allowed types (by content), only up to the size limit."""
    content_type = check_material(upload)
    conference = editable(conference)
    if not title.strip():
        raise Refused(_("Give the material's title."), "title")
    if language not in LANGUAGE_CODES:
        raise Refused(_("Choose the material's language from the list."), "language")
    if visibility not in Visibility.values:
        raise Refused(_("Choose who may see the material."), "visibility")
    if not 0 < version < 1000:
        raise Refused(_("A version is a number from 1 to 999."), "version")
    shared_by = _participant(conference, shared_by_id, "shared_by")
    if conference.materials.filter(
        title=title.strip(), language=language, version=version
    ).exists():
        raise Conflict(
            _("Version %(version)s of this material in this language is already shared.")
            % {"version": version},
            "version",
        )
    material = Material(
        conference=conference,
        title=title.strip()[:300],
        language=language,
        version=version,
        visibility=visibility,
        shared_by=shared_by,
        original_name=(upload.name or "file")[-200:],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    material.file.save(upload.name, upload, save=False)
    try:
        material.save()
        event(
            conference,
            type=ConferenceEvent.Type.MATERIAL,
            by=by,
            material=material.pk,
            version=version,
        )
    except Exception:
        material.file.delete(save=False)
        raise
    return material


@transaction.atomic
def finalize_minutes(*, conference: Conference, by: User) -> Conference:
    """Lock the minutes: after this, every change is refused (409)."""
    conference = editable(conference)
    if conference.ends_at > timezone.now():
        raise Conflict(_("The minutes are finalized after the conference has ended."))
    sides = set(conference.participants.values_list("side", flat=True))
    if sides != {Side.OURS.value, Side.THEIRS.value}:
        raise Conflict(_("The minutes need the participants of both sides."), "participants")
    conference.status = Conference.Status.FINALIZED
    conference.finalized_at = timezone.now()
    conference.finalized_by = by
    conference.save(update_fields=["status", "finalized_at", "finalized_by"])
    event(conference, type=ConferenceEvent.Type.FINALIZED, by=by)
    return conference
