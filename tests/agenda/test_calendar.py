"""The calendar's reads: what each desk's selectors let a user see, by day of the office's
calendar, overdue commitments first; "mine" and "the desk's"; one query per kind."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison.agenda import ranges, selectors
from liaison.contacts.models import Commitment
from tests.contacts.conftest import in_days

pytestmark = pytest.mark.django_db


def week_of(day: date) -> ranges.Range:
    return ranges.span_of(day, ranges.WEEK)


def kinds(calendar) -> list[tuple[str, int]]:
    return [(item.kind, item.pk) for item in calendar.items]


def test_a_week_runs_monday_to_sunday_and_a_month_first_to_last():
    week = ranges.span_of(date(2020, 3, 20), ranges.WEEK)  # a Friday
    assert (week.first, week.last) == (date(2020, 3, 16), date(2020, 3, 22))
    assert (week.previous, week.next) == (date(2020, 3, 9), date(2020, 3, 23))
    month = ranges.span_of(date(2020, 2, 10), ranges.MONTH)
    assert (month.first, month.last) == (date(2020, 2, 1), date(2020, 2, 29))  # a leap year
    assert (month.previous, month.next) == (date(2020, 1, 1), date(2020, 3, 1))
    assert len(month.days) == 29


def test_a_range_is_in_order_and_at_most_92_days():
    from liaison.core.refusals import Refused

    assert len(ranges.between(date(2020, 3, 1), date(2020, 5, 31)).days) == 92
    with pytest.raises(Refused) as refused:
        ranges.between(date(2020, 3, 1), date(2020, 6, 1))
    assert refused.value.problems == [("end", "A range is at most 92 days long.")]
    with pytest.raises(Refused):
        ranges.between(date(2020, 3, 2), date(2020, 3, 1))


def test_the_march_week_shows_the_call_and_the_conference_on_their_days(
    korea_call, march_conference, director_general
):
    shown = selectors.calendar_for(director_general, range=week_of(date(2020, 3, 20)))
    days = {day: [(i.kind, i.pk) for i in items] for day, items in shown.days}
    assert days[date(2020, 3, 20)] == [("contact", korea_call.pk)]
    assert date(2020, 3, 24) not in days  # the next week
    assert len(days) == 7 and sum(len(items) for items in days.values()) == 1
    conference_week = selectors.calendar_for(director_general, range=week_of(date(2020, 3, 24)))
    (conference,) = [i for _d, items in conference_week.days for i in items]
    assert (conference.kind, conference.pk) == ("conference", march_conference.pk)
    # 15:00–18:00 in Chongqing is 09:00–12:00 in Kyiv and 11:00–14:00 in Yerevan (UTC+4).
    assert conference.hours == "15:00–18:00"
    assert conference.their_times == (
        "Ukraine (Europe/Kyiv) 09:00–12:00",
        "Armenia (Asia/Yerevan) 11:00–14:00",
    )
    call = shown.days[4][1][0]
    assert call.title == ("Phone call: Consulate General of the Republic of Korea in Chengdu")
    assert call.url == f"/contacts/{korea_call.pk}/"


def test_contacts_can_be_planned_ahead_and_show_the_counterparts_time(
    planned_visit, liaison_officer
):
    shown = selectors.calendar_for(liaison_officer, range=week_of(in_days(2)))
    (visit,) = [i for _d, items in shown.days for i in items if i.kind == "contact"]
    assert visit.pk == planned_visit.pk and visit.day == in_days(2)
    assert visit.hours == "10:00–11:00"
    assert visit.their_times == ("Asia/Seoul 11:00–12:00",)


def test_commitments_due_in_the_range_and_every_overdue_one_first(
    korea_call, liaison_officer, director_general
):
    late = korea_call.commitments.get(description__startswith="Give the arrival flights")
    Commitment.objects.filter(pk=late.pk).update(due_on=in_days(-40))
    done = korea_call.commitments.get(description__startswith="Inform Korean citizens")
    Commitment.objects.filter(pk=done.pk).update(status="done")

    shown = selectors.calendar_for(director_general, range=ranges.between(in_days(0), in_days(13)))
    assert [(i.pk, i.overdue) for i in shown.overdue] == [(late.pk, True)]
    due = [(i.title, i.day) for _d, items in shown.days for i in items]
    assert due == [
        ("Send the list of Korean nationals in quarantine", in_days(3)),
        ("Arrange a visit to the quarantine hotel", in_days(10)),
    ]
    # Overdue, whatever the range: shown above it, not again on its day.
    past = selectors.calendar_for(
        director_general, range=ranges.between(in_days(-45), in_days(-35))
    )
    assert [i.pk for i in past.overdue] == [late.pk]
    assert [i for _d, items in past.days for i in items] == []


def test_mine_is_what_one_takes_part_in_or_owns(
    korea_call, planned_visit, liaison_officer, other_liaison_officer, director_general
):
    window = ranges.between(in_days(0), in_days(13))
    desk = selectors.calendar_for(liaison_officer, range=window)
    assert {i.kind for i in desk.items} == {"contact", "commitment"}
    assert len([i for i in desk.items if i.kind == "commitment"]) == 4
    mine = selectors.calendar_for(liaison_officer, range=window, mine=True)
    # Not at the planned visit; owns one commitment of the call.
    assert [(i.kind, i.title) for i in mine.items] == [
        ("commitment", "Send the list of Korean nationals in quarantine")
    ]
    theirs = selectors.calendar_for(other_liaison_officer, range=window, mine=True)
    assert [(i.kind, i.pk) for i in theirs.items] == [("contact", planned_visit.pk)]
    march = selectors.calendar_for(director_general, range=week_of(date(2020, 3, 20)), mine=True)
    assert [(i.kind, i.pk) for i in march.items] == [("contact", korea_call.pk)]


def test_each_sees_only_what_their_desks_show_them(
    korea_call,
    planned_visit,
    next_conference,
    liaison_officer,
    exchange_officer,
    director_general,
    airport_officer,
):
    window = ranges.between(in_days(0), in_days(13))
    seen = {
        user.username: sorted({i.kind for i in selectors.calendar_for(user, range=window).items})
        for user in (liaison_officer, exchange_officer, director_general, airport_officer)
    }
    assert seen == {
        "sun-liaison": ["commitment", "contact"],
        # No contact log for the exchanges desk: only its conferences.
        "wu-exchanges": ["conference"],
        "zhou-director": ["commitment", "conference", "contact"],
        "li-desk": [],
    }


def test_an_exchange_officer_sees_the_follow_ups_they_own(
    korea_call, exchange_officer, march_conference
):
    from liaison.contacts.commitments import commit

    commitment = commit(
        side="ours",
        description="Send the treatment plan in Russian",
        due_on=in_days(4),
        owner_user=exchange_officer,
        source_kind="exchanges.conference",
        source_id=march_conference.pk,
        source_label="24 March",
        by=exchange_officer,
    )
    shown = selectors.calendar_for(exchange_officer, range=ranges.between(in_days(0), in_days(6)))
    (item,) = [i for i in shown.items if i.kind == "commitment"]
    # Not a reader of the ledger: the link is their own list of commitments.
    assert (item.pk, item.url) == (commitment.pk, "/contacts/commitments/mine/")


def test_withdrawn_contacts_are_not_on_the_calendar(planned_visit, liaison_officer):
    from liaison.contacts.services import withdraw_contact

    withdraw_contact(contact=planned_visit, reason="Cancelled by the consulate", by=liaison_officer)
    shown = selectors.calendar_for(liaison_officer, range=week_of(in_days(2)))
    assert [i for i in shown.items if i.kind == "contact"] == []


def test_one_query_per_kind_however_many_items(
    korea_call, planned_visit, next_conference, director_general, liaison_officer, consul_general
):
    from liaison.contacts import services
    from liaison.contacts.services import Who
    from tests.agenda.conftest import at

    window = ranges.between(in_days(0), in_days(13))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.calendar_for(director_general, range=window)
        return len(captured)

    before = queries()
    for day in range(3, 9):
        services.log_contact(
            kind="meeting",
            starts_at=at(day, 9),
            participants=[Who(role="led", person=consul_general.pk)],
            by=liaison_officer,
        )
    assert queries() == before
    # contacts + their participants, conferences + their countries, commitments; the areas
    # are read from the user, not the database.
    assert before <= 5


def test_times_fall_on_the_offices_day(liaison_officer, consul_general):
    """23:30 in Chongqing is 15:30 UTC: the office's day, not UTC's."""
    from liaison.contacts import services
    from liaison.contacts.services import Who
    from tests.agenda.conftest import at

    late = services.log_contact(
        kind="call",
        starts_at=at(1, 23, 30),
        participants=[Who(role="led", person=consul_general.pk)],
        by=liaison_officer,
    )
    tomorrow = timezone.localdate() + timedelta(days=1)
    shown = selectors.calendar_for(liaison_officer, range=ranges.between(tomorrow, tomorrow))
    assert [(i.pk, i.day) for _d, items in shown.days for i in items] == [(late.pk, tomorrow)]
