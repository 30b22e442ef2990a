"""Writes of the roster: templates, shifts added (one by one or a week from a template),
changed, swapped, and the languages officers speak. Each is one transaction; a shift's writes are
in the audit trail (``AuditedModel``), a swap is its own record (the shift's history).

Bad input raises ``core.refusals.Refused`` before anything is written. Two requests adding
overlapping shifts for one officer at once: the officer's row is locked before the overlap check,
so the second waits, sees the first's shift and is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core.models import User
from liaison.core.normalize import phone_e164
from liaison.core.refusals import Refused
from liaison.duty.models import OfficerLanguage, Post, Shift, ShiftTemplate, Swap

MAX_SHIFT = timedelta(hours=24)


@dataclass(frozen=True)
class ShiftInput:
    officer_id: int
    post: str
    starts_at: datetime
    ends_at: datetime
    phone: str = ""
    note: str = ""


def _officer(officer_id: int | None, field: str = "officer") -> User:
    officer = User.objects.filter(pk=officer_id, is_active=True).exclude(role="").first()
    if officer is None:
        raise Refused(_("Choose an active staff member."), field)
    return officer


def _checked(data: ShiftInput) -> tuple[User, str]:
    if data.post not in Post.values:
        raise Refused(_("Choose a post."), "post")
    for field in ("starts_at", "ends_at"):
        moment = getattr(data, field)
        if not isinstance(moment, datetime) or timezone.is_naive(moment):
            raise Refused(_("Give a date and time."), field)
    if data.ends_at <= data.starts_at:
        raise Refused(_("A shift must end after it starts."), "ends_at")
    if data.ends_at - data.starts_at > MAX_SHIFT:
        raise Refused(_("A shift lasts at most 24 hours."), "ends_at")
    phone = ""
    if data.phone.strip():
        phone = phone_e164(data.phone) or ""
        if not phone:
            raise Refused(_("Enter a valid phone number."), "phone")
    return _officer(data.officer_id), phone


def lock_officer(officer_id: int) -> None:
    """Take the officer's row lock: every write of their shifts passes here first, so an
    overlap check never races another (PostgreSQL; SQLite's IMMEDIATE transactions serialize)."""
    User.objects.select_for_update().filter(pk=officer_id).first()


def _refuse_overlap(officer: User, starts_at: datetime, ends_at: datetime, *, but=None) -> None:
    clash = Shift.objects.filter(officer=officer, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if but is not None:
        clash = clash.exclude(pk=but.pk)
    other = clash.order_by("starts_at").first()
    if other is not None:
        raise Refused(
            _("%(officer)s already has a shift from %(start)s to %(end)s.")
            % {
                "officer": officer.get_full_name() or officer.username,
                "start": timezone.localtime(other.starts_at).strftime("%Y-%m-%d %H:%M"),
                "end": timezone.localtime(other.ends_at).strftime("%Y-%m-%d %H:%M"),
            },
            "starts_at",
        )


@transaction.atomic
def add_shift(*, by: User, data: ShiftInput, template: ShiftTemplate | None = None) -> Shift:
    """One shift on the roster; ``Refused`` if it ends before it starts or overlaps the same
    officer's other shift."""
    officer, phone = _checked(data)
    lock_officer(officer.pk)
    _refuse_overlap(officer, data.starts_at, data.ends_at)
    return Shift.objects.create(
        officer=officer,
        post=data.post,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        phone=phone,
        note=data.note.strip(),
        template=template,
    )


@transaction.atomic
def change_shift(*, by: User, shift: Shift, data: ShiftInput) -> Shift:
    """The shift's post, times, phone or note changed (its officer changes by ``swap``)."""
    locked = Shift.objects.select_for_update().get(pk=shift.pk)
    if data.officer_id != locked.officer_id:
        raise Refused(_("Record a swap to give the shift to someone else."), "officer")
    officer, phone = _checked(data)
    lock_officer(officer.pk)
    _refuse_overlap(officer, data.starts_at, data.ends_at, but=locked)
    locked.post, locked.starts_at, locked.ends_at = data.post, data.starts_at, data.ends_at
    locked.phone, locked.note = phone, data.note.strip()
    locked.save()
    return locked


@transaction.atomic
def swap(
    *, by: User, shift: Shift, to_officer_id: int | None, reason: str, phone: str = ""
) -> Swap:
    """The shift given to another officer: who gave it to whom, when and why, kept for good."""
    if not reason.strip():
        raise Refused(_("Say why the shift is swapped."), "reason")
    locked = Shift.objects.select_for_update().get(pk=shift.pk)
    to_officer = _officer(to_officer_id, "to_officer")
    if to_officer.pk == locked.officer_id:
        raise Refused(_("The shift is already this officer's."), "to_officer")
    new_phone = ""
    if phone.strip():
        new_phone = phone_e164(phone) or ""
        if not new_phone:
            raise Refused(_("Enter a valid phone number."), "phone")
    lock_officer(to_officer.pk)
    _refuse_overlap(to_officer, locked.starts_at, locked.ends_at, but=locked)
    given = Swap.objects.create(
        shift=locked,
        from_officer_id=locked.officer_id,
        to_officer=to_officer,
        reason=reason.strip(),
        recorded_by=by,
    )
    locked.officer = to_officer
    locked.phone = new_phone
    locked.save()
    return given


@transaction.atomic
def save_template(*, by: User, post: str, starts: time, hours: int) -> ShiftTemplate:
    """A shift pattern of a post: 8 hours from 00, 08 or 16 o'clock, or 24 hours."""
    if post not in Post.values:
        raise Refused(_("Choose a post."), "post")
    if not isinstance(hours, int) or not 1 <= hours <= 24:
        raise Refused(_("A shift lasts from 1 to 24 hours."), "hours")
    if not isinstance(starts, time):
        raise Refused(_("Give a time."), "starts")
    if ShiftTemplate.objects.filter(post=post, starts=starts, hours=hours).exists():
        raise Refused(_("This template exists already."), "starts")
    return ShiftTemplate.objects.create(post=post, starts=starts, hours=hours)


@transaction.atomic
def generate_week(
    *, by: User, template: ShiftTemplate, monday: date, officer_ids: list[int], phone: str = ""
) -> list[Shift]:
    """Seven shifts from a template, one a day from ``monday``, the officers taking turns in
    the order given. All or nothing: one overlap refuses the week."""
    if not officer_ids:
        raise Refused(_("Choose at least one officer."), "officers")
    made = []
    for offset in range(7):
        starts_at = timezone.make_aware(
            datetime.combine(monday + timedelta(days=offset), template.starts)
        )
        made.append(
            add_shift(
                by=by,
                template=template,
                data=ShiftInput(
                    officer_id=officer_ids[offset % len(officer_ids)],
                    post=template.post,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=template.hours),
                    phone=phone,
                ),
            )
        )
    return made


TRAVELER_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


@transaction.atomic
def set_languages(*, by: User, officer_id: int, languages: list[str]) -> list[str]:
    """The languages an officer speaks, replacing what was recorded."""
    officer = _officer(officer_id)
    unknown = [code for code in languages if code not in TRAVELER_LANGUAGES]
    if unknown:
        raise Refused(
            _("Unknown language: %(codes)s.") % {"codes": ", ".join(unknown)}, "languages"
        )
    wanted = set(languages)
    OfficerLanguage.objects.filter(officer=officer).exclude(language__in=wanted).delete()
    have = set(OfficerLanguage.objects.filter(officer=officer).values_list("language", flat=True))
    OfficerLanguage.objects.bulk_create(
        OfficerLanguage(officer=officer, language=code) for code in sorted(wanted - have)
    )
    return sorted(wanted)
