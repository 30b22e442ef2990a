"""The duty desk's demo, made through its services: a week of roster from this Monday (shift
templates per post, three 8-hour shifts of the duty officer and the airport desk, the duty
chief's 24 hours, the liaison desk by day, so the nights show as coverage gaps), one swap, the
airport officers' languages (nobody speaks Persian on the night shift: a language gap when a
Tehran flight is declared), the flights the airport expects (the Tehran flight lands on the
evening shift, whose officer speaks Korean, not Persian: flagged days ahead), and a few days of
the duty log with a correction. People's names
are examples, not real people.

Run after ``demo_accounts``; officers it needs beyond those accounts are made without a
password. A second run changes nothing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from liaison.core import audit
from liaison.core import services as accounts
from liaison.core.models import PortOfEntry, User
from liaison.core.roles import Role
from liaison.duty import flights, log, services
from liaison.duty.flights import ScheduleInput
from liaison.duty.log import EntryInput
from liaison.duty.models import LogEntry, Post, ScheduledFlight, Shift, ShiftTemplate

# username: role, full name, languages, phone
OFFICERS = {
    "demo-duty": (Role.DUTY, "王值班", ["en"], "13800138001"),
    "demo-duty-2": (Role.DUTY, "刘值班", ["en", "ru"], "13800138002"),
    "demo-duty-3": (Role.DUTY, "陈值班", ["en", "ja"], "13800138003"),
    "demo-duty-chief": (Role.DUTY, "李值班长", ["en"], "13900139000"),
    "demo-airport-fa": (Role.AIRPORT_DESK, "赵机场", ["fa", "en"], "13700137001"),
    "demo-airport-ko": (Role.AIRPORT_DESK, "孙机场", ["ko", "en"], "13700137002"),
    "demo-airport-it": (Role.AIRPORT_DESK, "周机场", ["it", "en", "de"], "13700137003"),
    "demo-liaison": (Role.LIAISON, "吴联络", ["en", "fr"], "13600136000"),
}
# post, start hour, hours, the officers taking turns
ROSTER = [
    (Post.DUTY_OFFICER, 8, 8, ["demo-duty"]),
    (Post.DUTY_OFFICER, 16, 8, ["demo-duty-2"]),
    (Post.DUTY_OFFICER, 0, 8, ["demo-duty-3"]),
    (Post.DUTY_CHIEF, 0, 24, ["demo-duty-chief"]),
    (Post.AIRPORT_DESK, 8, 8, ["demo-airport-fa", "demo-airport-it"]),
    (Post.AIRPORT_DESK, 16, 8, ["demo-airport-ko"]),
    (Post.LIAISON, 8, 8, ["demo-liaison"]),
]
# number, origin, ISO weekdays, local arrival, languages expected before its first flight
SCHEDULE = [
    ("W5081", "Tehran Imam Khomeini", "14", time(22, 40), ("fa",)),
    ("KE147", "Seoul Incheon", "1234567", time(13, 20), ("ko",)),
    ("CA7390", "Milan Malpensa", "6", time(15, 5), ("it",)),
]
LOG = [
    (0, 8, 5, "Shift taken over; two open matters handed over from the night."),
    (0, 10, 20, "Flight W5 081 from Tehran: the airport desk asks for a Persian interpreter."),
    (0, 11, 0, "Called the consulate general of Italy about a traveler sent to hospital."),
    (1, 9, 30, "Handover batch to Yubei left the airport; escort confirmed by phone."),
    (2, 14, 0, "Leadership asked for the day's arrivals before the 17:00 briefing."),
]


class Command(BaseCommand):
    help = "A week of the duty roster, languages and log (after demo_accounts)."

    def handle(self, *args, **options):
        with audit.acting_as(username="demo_duty"), transaction.atomic():
            people = {name: self._officer(name, *row) for name, row in OFFICERS.items()}
            clerk = people["demo-duty"]
            for name, (_role, _full, languages, _phone) in OFFICERS.items():
                services.set_languages(by=clerk, officer_id=people[name].pk, languages=languages)
            today = timezone.localdate()
            monday = today - timedelta(days=today.weekday())
            made = self._roster(clerk, people, monday)
            self._schedule(clerk, monday)
            if made:
                self._log(clerk, people, monday)
        self.stdout.write(f"Duty desk: {made} shifts on the roster from {monday}.")

    def _officer(self, username, role, full_name, _languages, _phone) -> User:
        found = User.objects.filter(username=username).first()
        return found or accounts.create_user(
            username=username, password=None, role=role, full_name=full_name
        )

    def _roster(self, clerk, people, monday) -> int:
        start = timezone.make_aware(datetime.combine(monday, time.min))
        if Shift.objects.filter(
            starts_at__gte=start, starts_at__lt=start + timedelta(days=7)
        ).exists():
            return 0
        made = 0
        for post, hour, hours, names in ROSTER:
            template = ShiftTemplate.objects.filter(
                post=post, starts=time(hour), hours=hours
            ).first()
            template = template or services.save_template(
                by=clerk, post=post, starts=time(hour), hours=hours
            )
            shifts = services.generate_week(
                by=clerk,
                template=template,
                monday=monday,
                officer_ids=[people[n].pk for n in names],
                phone=OFFICERS[names[0]][3],
            )
            made += len(shifts)
        # Wednesday's day shift of the duty officer, given to the night officer (back to back).
        wednesday = timezone.make_aware(datetime.combine(monday + timedelta(days=2), time(8)))
        shift = Shift.objects.get(post=Post.DUTY_OFFICER, starts_at=wednesday)
        services.swap(
            by=clerk,
            shift=shift,
            to_officer_id=people["demo-duty-3"].pk,
            reason="Family matter; swapped with the night officer's day off.",
            phone=OFFICERS["demo-duty-3"][3],
        )
        return made

    def _schedule(self, clerk, monday) -> None:
        port = PortOfEntry.objects.filter(code="CKG").first() or PortOfEntry.objects.first()
        if port is None or ScheduledFlight.objects.exists():
            return
        for number, origin, weekdays, arrives, languages in SCHEDULE:
            flights.save_scheduled_flight(
                by=clerk,
                data=ScheduleInput(
                    number=number,
                    origin=origin,
                    port_id=port.pk,
                    weekdays=weekdays,
                    arrives_at=arrives,
                    valid_from=monday,
                    languages=languages,
                ),
            )

    def _log(self, clerk, people, monday) -> None:
        now = timezone.now()
        entries = []
        for day, hour, minute, text in LOG:
            at = timezone.make_aware(
                datetime.combine(monday + timedelta(days=day), time(hour, minute))
            )
            if at <= now:
                entries.append(log.log(by=clerk, data=EntryInput(text, at=at)))
        if len(entries) > 2 and not LogEntry.objects.filter(corrects__isnull=False).exists():
            log.correct(
                by=people["demo-duty-chief"],
                entry=entries[2],
                data=EntryInput(
                    "Called the consulate general of Italy in Chongqing (not the embassy) about "
                    "a traveler sent to hospital.",
                    at=entries[2].at,
                ),
            )
