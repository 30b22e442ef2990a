"""A week of the duty desk's incidents, made through the incident services: the escalation
chain (duty officer → duty chief → the director-general, "leader"), incidents of every kind
reported, acknowledged, acted on, closed; one still open past its deadline (it escalates when
the scheduler runs), one exercise, the alarms' own incidents from the pipeline's demo day, and
a handover written and countersigned. Run after ``demo_accounts`` and ``demo_duty``; a second
run changes nothing."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from liaison.core import audit
from liaison.core.models import User
from liaison.incidents import alarms, chain, handovers, services
from liaison.incidents.models import Incident, Kind, Post, Status

H = timedelta(hours=1)
# days ago, hour, kind, severity, title, closing summary ("" keeps it open), exercise
WEEK = [
    (6, 9, Kind.CONSULAR, 2, "Korean national detained at T3", "Released after consul's call."),
    (5, 14, Kind.SECURITY, 3, "Crowd at the quarantine hotel gate", "Dispersed; extra staff."),
    (4, 22, Kind.MEDIA, 4, "Foreign reporters filming at the desk", "Press officer briefed them."),
    (3, 3, Kind.OTHER, 3, "Night evacuation drill at T2", "Drill done in 11 minutes.", True),
    (2, 16, Kind.CONSULAR, 1, "Italian traveler collapsed at arrivals", "In hospital."),
    (1, 11, Kind.SECURITY, 4, "Lost passport of a Japanese child", ""),
    (0, 0, Kind.OTHER, 2, "Interpreter for Persian missing at the desk", ""),
]


class Command(BaseCommand):
    help = "A week of incidents, the escalation chain and a countersigned handover."

    def handle(self, *args, **options):
        if Incident.objects.exists():
            self.stdout.write("Incidents are there already; nothing changed.")
            return
        people = {u.username: u for u in User.objects.filter(username__in=self._names())}
        officer = people.get("demo-duty") or people.get("duty")
        chief = people.get("demo-duty-chief")
        director = people.get("leader")
        admin = User.objects.filter(role="administrator").first()
        if officer is None or admin is None:
            self.stderr.write("Run demo_accounts (and demo_duty) first.")
            return
        now = timezone.now()
        with audit.acting_as(username="demo_incidents"), transaction.atomic():
            chain.set_chain(
                new_steps=[
                    {"post": Post.DUTY_OFFICER, "user": None, "after_minutes": 0},
                    {"post": Post.DUTY_CHIEF, "user": chief, "after_minutes": 10},
                    {"post": Post.DIRECTOR_GENERAL, "user": director, "after_minutes": 20},
                ],
                by=admin,
                at=now,
            )
            for days, hour, kind, severity, title, summary, *drill in WEEK:
                at = (now - timedelta(days=days)).replace(hour=hour, minute=5) if days else now - H
                self._incident(officer, chief or officer, at, kind, severity, title, summary, drill)
            alarms.open_alarm_incidents(now=now)
            incoming = people.get("demo-duty-2")
            if incoming is not None:
                handover = handovers.write(
                    outgoing=officer, incoming=incoming, note="Passport case open.", at=now - 2 * H
                )
                handovers.countersign(
                    handover=handover,
                    by=incoming,
                    confirmed_count=handovers.open_incidents().count(),
                    at=now - H,
                )
        self.stdout.write(f"{Incident.objects.count()} incidents.")

    def _names(self) -> list[str]:
        return ["demo-duty", "duty", "demo-duty-chief", "demo-duty-2", "leader"]

    def _incident(self, officer, acker, at, kind, severity, title, summary, drill) -> None:
        incident = services.report(
            kind=kind, severity=severity, title=title, by=officer, at=at, exercise=bool(drill)
        )
        if not summary and at > timezone.now() - 2 * H:
            return  # left open, past its deadline: the escalation's demo
        if chain.may_acknowledge(acker, at + 3 * timedelta(minutes=1)):
            services.acknowledge(incident=incident, by=acker, at=at + timedelta(minutes=3))
        else:
            return
        services.act(incident=incident, text="Called the parties concerned.", by=officer, at=at + H)
        if summary:
            closed_at = at + 3 * H
            services.move(
                incident=incident, to=Status.CLOSED, text=summary, by=officer, at=closed_at
            )
