"""The roster's services and the selectors other desks use: who holds a post at an instant,
coverage gaps, swaps, and the refusals (a shift that ends before it starts, an overlap)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.db import IntegrityError, transaction

from liaison.core.refusals import Refused
from liaison.duty import selectors, services
from liaison.duty.models import Post, Shift, Swap
from liaison.duty.services import ShiftInput
from tests.duty.conftest import MONDAY, at

pytestmark = pytest.mark.django_db


def add(by, officer, post, start, end, phone=""):
    return services.add_shift(
        by=by,
        data=ShiftInput(
            officer_id=officer.pk, post=post, starts_at=start, ends_at=end, phone=phone
        ),
    )


def test_on_duty_and_current_shift(duty_officer, duty_chief):
    add(duty_officer, duty_officer, Post.DUTY_OFFICER, at(MONDAY, 8), at(MONDAY, 16), "13800138000")
    add(duty_officer, duty_chief, Post.DUTY_CHIEF, at(MONDAY, 0), at(MONDAY, 24))

    assert selectors.on_duty(at(MONDAY, 9), post=Post.DUTY_OFFICER) == [duty_officer]
    assert selectors.on_duty(at(MONDAY, 9), post=Post.DUTY_CHIEF) == [duty_chief]
    # The end is excluded: at 16:00 the next shift holds the post, here nobody.
    assert selectors.on_duty(at(MONDAY, 16), post=Post.DUTY_OFFICER) == []
    assert selectors.on_duty(at(MONDAY, 8), post=Post.DUTY_OFFICER) == [duty_officer]

    shift = selectors.current_shift(duty_officer, at(MONDAY, 12))
    assert (shift.post, shift.phone) == (Post.DUTY_OFFICER, "+8613800138000")
    assert selectors.current_shift(duty_officer, at(MONDAY, 17)) is None


def test_a_shift_that_ends_before_it_starts_is_refused(duty_officer):
    with pytest.raises(Refused) as refusal:
        add(duty_officer, duty_officer, Post.DUTY_OFFICER, at(MONDAY, 16), at(MONDAY, 8))
    assert refusal.value.field == "ends_at"
    assert not Shift.objects.exists()


def test_the_database_refuses_it_too(duty_officer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Shift.objects.create(
            officer=duty_officer, post=Post.LIAISON, starts_at=at(MONDAY, 8), ends_at=at(MONDAY, 8)
        )


def test_an_overlap_with_the_same_officers_shift_is_refused(duty_officer, duty_chief):
    add(duty_officer, duty_officer, Post.DUTY_OFFICER, at(MONDAY, 8), at(MONDAY, 16))
    with pytest.raises(Refused, match="already has a shift"):
        add(duty_officer, duty_officer, Post.LIAISON, at(MONDAY, 15), at(MONDAY, 23))
    # Back to back is no overlap; another officer at the same time neither.
    add(duty_officer, duty_officer, Post.DUTY_OFFICER, at(MONDAY, 16), at(MONDAY, 24))
    add(duty_officer, duty_chief, Post.DUTY_OFFICER, at(MONDAY, 8), at(MONDAY, 16))
    assert Shift.objects.count() == 3


def test_a_week_from_a_template_and_its_gaps(duty_officer, duty_chief):
    template = services.save_template(
        by=duty_officer, post=Post.DUTY_OFFICER, starts=time(8), hours=8
    )
    made = services.generate_week(
        by=duty_officer,
        template=template,
        monday=MONDAY,
        officer_ids=[duty_officer.pk, duty_chief.pk],
    )
    assert [s.officer for s in made[:3]] == [duty_officer, duty_chief, duty_officer]
    assert made[6].starts_at == at(MONDAY + timedelta(days=6), 8)

    week = selectors.roster_week(duty_officer, MONDAY)
    monday = week[0]
    officer_gaps = [(g.starts_at, g.ends_at) for g in monday.gaps if g.post == Post.DUTY_OFFICER]
    assert officer_gaps == [(at(MONDAY, 0), at(MONDAY, 8)), (at(MONDAY, 16), at(MONDAY, 24))]
    # The duty chief's post has nobody all day.
    assert [(g.starts_at, g.ends_at) for g in monday.gaps if g.post == Post.DUTY_CHIEF] == [
        (at(MONDAY, 0), at(MONDAY, 24))
    ]


def test_a_week_with_one_overlap_is_refused_whole(duty_officer):
    add(
        duty_officer,
        duty_officer,
        Post.LIAISON,
        at(MONDAY + timedelta(days=3), 9),
        at(MONDAY + timedelta(days=3), 10),
    )
    template = services.save_template(
        by=duty_officer, post=Post.DUTY_OFFICER, starts=time(8), hours=8
    )
    with pytest.raises(Refused):
        services.generate_week(
            by=duty_officer, template=template, monday=MONDAY, officer_ids=[duty_officer.pk]
        )
    assert Shift.objects.count() == 1


def test_a_swap_is_recorded_and_the_history_kept(duty_officer, duty_chief, leader):
    shift = add(duty_officer, duty_officer, Post.DUTY_OFFICER, at(MONDAY, 8), at(MONDAY, 16))
    services.swap(by=duty_officer, shift=shift, to_officer_id=duty_chief.pk, reason="Sick")
    services.swap(by=duty_officer, shift=shift, to_officer_id=duty_officer.pk, reason="Back")

    shift.refresh_from_db()
    assert shift.officer == duty_officer
    history = [(s.from_officer, s.to_officer, s.reason) for s in Swap.objects.filter(shift=shift)]
    assert history == [(duty_officer, duty_chief, "Sick"), (duty_chief, duty_officer, "Back")]
    assert selectors.on_duty(at(MONDAY, 9), post=Post.DUTY_OFFICER) == [duty_officer]


def test_a_swap_onto_an_officer_already_on_duty_is_refused(duty_officer, duty_chief):
    shift = add(duty_officer, duty_officer, Post.DUTY_OFFICER, at(MONDAY, 8), at(MONDAY, 16))
    add(duty_officer, duty_chief, Post.DUTY_CHIEF, at(MONDAY, 0), at(MONDAY, 24))
    with pytest.raises(Refused, match="already has a shift"):
        services.swap(by=duty_officer, shift=shift, to_officer_id=duty_chief.pk, reason="Sick")
    with pytest.raises(Refused):
        services.swap(by=duty_officer, shift=shift, to_officer_id=duty_chief.pk, reason=" ")
    shift.refresh_from_db()
    assert shift.officer == duty_officer
    assert not Swap.objects.exists()


def test_others_see_nothing_of_the_roster(duty_officer, exchange_officer, leader):
    add(duty_officer, duty_officer, Post.DUTY_OFFICER, at(MONDAY, 8), at(MONDAY, 16))
    assert selectors.shifts_visible_to(exchange_officer).count() == 0
    assert selectors.shifts_visible_to(leader).count() == 1
