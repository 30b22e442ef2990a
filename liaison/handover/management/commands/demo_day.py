"""A realistic synthetic day at the airport, made through the real services of every desk.

Five flights (Seoul, Milan, Tehran, Frankfurt, Tokyo) land today; their travelers declare, are
screened, sampled and tested, the policy decides, the dispatcher makes batches and the districts
receive them. The day ends with travelers at every state: some still at the desk, some waiting
for a result, batches received and closed, two in transit (one overdue), one planned, and
groups still waiting at the airport. Run after ``demo_accounts``; a second run changes nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone, translation

from liaison.arrivals import services as arrivals
from liaison.arrivals.models import Arrival, Source
from liaison.arrivals.states import ArrivalState
from liaison.core import audit
from liaison.core import services as core_services
from liaison.core.models import Jurisdiction, Site, User
from liaison.core.roles import Role
from liaison.handover import selectors, services
from liaison.handover.models import Batch, Incident
from liaison.screening.desk import confirm_history, record_temperature, screen
from liaison.screening.results import record_result
from liaison.screening.sampling import register_sample

S = ArrivalState
# number, origin, country of the history, how many travelers.
FLIGHTS = [
    ("KE 147", "Seoul ICN", "KR", "Seoul", 90),
    ("CA 950", "Milan MXP", "IT", "Milano", 70),
    ("IR 8801", "Tehran IKA", "IR", "Tehran", 55),
    ("LH 728", "Frankfurt FRA", "DE", "Frankfurt", 75),
    ("NH 959", "Tokyo NRT", "JP", "Tokyo", 60),
]
# (surname native, given native, surname latin, given latin) by nationality; Chinese citizens
# coming home are on every flight.
NAMES = {
    "KR": [
        ("김", "민준", "KIM", "MINJUN"),
        ("이", "서연", "LEE", "SEOYEON"),
        ("박", "지훈", "PARK", "JIHOON"),
        ("최", "수빈", "CHOI", "SUBIN"),
    ],
    "IT": [
        ("", "", "ROSSI", "MARCO"),
        ("", "", "BIANCHI", "GIULIA"),
        ("", "", "RICCI", "LUCA"),
        ("", "", "MARINO", "CHIARA"),
    ],
    "IR": [
        ("رضایی", "علی", "REZAEI", "ALI"),
        ("محمدی", "زهرا", "MOHAMMADI", "ZAHRA"),
        ("حسینی", "مهدی", "HOSSEINI", "MAHDI"),
    ],
    "DE": [
        ("", "", "MUELLER", "JONAS"),
        ("", "", "SCHMIDT", "LENA"),
        ("", "", "WEBER", "FELIX"),
        ("", "", "FISCHER", "ANNA"),
    ],
    "JP": [
        ("佐藤", "健", "SATO", "KEN"),
        ("鈴木", "花子", "SUZUKI", "HANAKO"),
        ("高橋", "翔", "TAKAHASHI", "SHO"),
    ],
    "CN": [
        ("王", "伟", "WANG", "WEI"),
        ("李", "娜", "LI", "NA"),
        ("张", "敏", "ZHANG", "MIN"),
        ("刘", "洋", "LIU", "YANG"),
        ("陈", "静", "CHEN", "JING"),
        ("杨", "磊", "YANG", "LEI"),
    ],
}
LANGUAGE = {"KR": "ko", "IT": "it", "IR": "fa", "DE": "de", "JP": "ja", "CN": "zh-hans"}
# Where the travelers go: the two demo districts most, a few others.
DESTINATIONS = ["500112"] * 5 + ["500105"] * 4 + ["500103", "500106", "500108"]
DEMO_STAFF = {
    "desk": Role.AIRPORT_DESK,
    "sampler": Role.SAMPLING,
    "lab": Role.LAB,
    "dispatch": Role.DISPATCH,
    "yubei": Role.DISTRICT_RECEIVING,
    "jiangbei": Role.DISTRICT_RECEIVING,
}


class Command(BaseCommand):
    help = "Fill the database with a synthetic day of arrivals at every step (skips if done)."

    def add_arguments(self, parser):
        parser.add_argument("--prefix", default="demo-", help="Demo account prefix (%(default)s).")
        parser.add_argument("--seed", type=int, default=20200320)
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiply the travelers per flight."
        )

    def handle(self, *args, prefix, seed, scale, **options):
        today = timezone.localdate()
        numbers = [f[0].replace(" ", "") for f in FLIGHTS]
        if Arrival.objects.filter(arrival_date=today, flight__number__in=numbers).exists():
            self.stdout.write(f"The demo day {today} is already there; nothing to do.")
            return
        self.random = random.Random(seed)
        # One transaction: a failure leaves no half day behind (and SQLite writes it at once).
        with (
            transaction.atomic(),
            translation.override("en"),
            audit.acting_as(username="demo_day"),
        ):
            self.staff = self._staff(prefix)
            self.site = Site.objects.filter(kind=Site.Kind.SAMPLING_SITE).order_by("code").first()
            for flight in FLIGHTS:
                self._flight(*flight[:4], count=max(10, int(flight[4] * scale)))
            self._dispatch_and_receive()
            self._report(today)

    def _report(self, today):
        states = dict.fromkeys(S.values, 0)
        for state in Arrival.objects.filter(arrival_date=today).values_list("state", flat=True):
            states[state] += 1
        self.stdout.write(
            f"Demo day {today}: {sum(states.values())} arrivals on {len(FLIGHTS)} flights."
        )
        for state, count in states.items():
            self.stdout.write(f"  {S(state).label}: {count}")
        batches = Batch.objects.filter(created_at__date__gte=today - timedelta(days=1))
        self.stdout.write(
            "  batches: "
            + ", ".join(f"{s}: {batches.filter(status=s).count()}" for s in Batch.Status.values)
        )

    # --- people ---------------------------------------------------------------------------------

    def _staff(self, prefix: str) -> dict[str, User]:
        """The demo accounts if ``demo_accounts`` made them, else accounts that cannot sign in."""
        staff = {}
        for name, role in DEMO_STAFF.items():
            username = f"{prefix}{name}"
            user = User.objects.filter(username=username).first()
            if user is None:
                jurisdiction = {"yubei": "500112", "jiangbei": "500105"}.get(name)
                site = "SAMP-CKG-T3" if name == "sampler" else None
                user = core_services.create_user(
                    username=username,
                    password=None,
                    role=role,
                    jurisdiction=Jurisdiction.objects.filter(code=jurisdiction).first(),
                    site=Site.objects.filter(code=site).first() if site else None,
                )
            staff[name] = user
        return staff

    def _payload(self, number, country, city, index) -> dict:
        today = timezone.localdate()
        nationality = country if self.random.random() < 0.45 else "CN"
        names = self.random.choice(NAMES[nationality])
        onward = self.random.random() < 0.05
        diplomat = self.random.random() < 0.015
        days = self.random.randint(2, 13)
        payload = {
            "surname_native": names[0],
            "given_names_native": names[1],
            "surname_latin": names[2],
            "given_names_latin": names[3],
            "sex": self.random.choice("MF"),
            "date_of_birth": f"{self.random.randint(1945, 2005)}-{self.random.randint(1, 12):02d}-"
            f"{self.random.randint(1, 28):02d}",
            "nationality": nationality,
            "document_type": "passport",
            "document_number": (
                f"{nationality[0]}{number[0]}{index:03d}{self.random.randint(1000, 9999)}"
            ),
            "phone": f"+86 139{self.random.randint(10000000, 99999999)}",
            "email": "",
            "language": LANGUAGE[nationality],
            "flight_number": number,
            "seat": f"{self.random.randint(3, 45)}{self.random.choice('ABCDEFGHJK')}",
            "arrival_date": today.isoformat(),
            "category": "diplomat"
            if diplomat
            else self.random.choice(
                ["returning_resident"] * 4 + ["business", "student", "tourist"]
            ),
            "accreditation_number": f"D-{index:05d}" if diplomat else "",
            "purpose": "",
            "history": [
                {
                    "country": country,
                    "city": city,
                    "date_from": (today - timedelta(days=days)).isoformat(),
                    "date_to": today.isoformat(),
                }
            ],
            "transits": [],
            "symptoms": [],
            "contact_with_cases": self.random.random() < 0.03,
            "pregnant": False,
            "severe_condition": self.random.random() < 0.04,
            "unaccompanied_minor": False,
            "destination_kind": "onward" if onward else "city",
            "jurisdiction": "" if onward else self.random.choice(DESTINATIONS),
            "address": "" if onward else "1 号",
            "onward_destination": "Chengdu" if onward else "",
            "onward_departure": (
                (timezone.localtime() + timedelta(hours=18)).replace(microsecond=0).isoformat()
                if onward
                else ""
            ),
            "consent": True,
        }
        return payload

    # --- the airport ----------------------------------------------------------------------------

    def _flight(self, number, origin, country, city, *, count):
        """Everyone declares; the desk, sampling and the lab get through most of them."""
        desk, sampler, lab = self.staff["desk"], self.staff["sampler"], self.staff["lab"]
        travelers = [
            arrivals.declare(
                data=self._payload(number, country, city, i), source=Source.SELF
            ).arrival
            for i in range(count)
        ]
        travelers[0].flight.__class__.objects.filter(pk=travelers[0].flight_id).update(
            origin=origin
        )
        # The last ones off the plane are still at the desk or waiting for their sample.
        not_screened = max(1, count // 12)
        not_sampled = max(1, count // 15)
        no_result = max(1, count // 10)
        for i, arrival in enumerate(travelers[: count - not_screened]):
            fever = i % 37 == 5
            record_temperature(
                arrival=arrival, celsius="38.1" if fever else "36.6", device="IR-T3-2", officer=desk
            )
            confirm_history(arrival=arrival, officer=desk)
            screen(arrival=arrival, officer=desk, where="CKG T3")
        # A fever case is decided at screening (hospital, "disposition decided"): no sample.
        screened = [
            arrival
            for arrival in travelers[: count - not_screened - not_sampled]
            if arrival.state == S.SCREENED
        ]
        for i, arrival in enumerate(screened):
            barcode = f"{number.replace(' ', '')}-{i:04d}"
            register_sample(
                arrival=arrival,
                barcode=barcode,
                site=self.site,
                collector=sampler,
                collected_at=timezone.now() - timedelta(minutes=90),
            )
        tested = screened[: len(screened) - no_result]
        for i, _arrival in enumerate(tested):
            result = "positive" if i == 7 else "inconclusive" if i % 29 == 11 else "negative"
            record_result(
                barcode=f"{number.replace(' ', '')}-{i:04d}",
                result=result,
                lab="Jiangbei CDC",
                tested_at=timezone.now() - timedelta(minutes=20),
                reported_by=lab,
            )

    # --- dispatch and the districts -------------------------------------------------------------

    def _dispatch_and_receive(self):
        dispatcher = self.staff["dispatch"]
        officers = {u.jurisdiction_id: u for u in (self.staff["yubei"], self.staff["jiangbei"])}
        now = timezone.now()
        # Fever and positive cases go by ambulance; most onward travelers have left, one waits.
        hospital = list(
            selectors.ready_for(dispatcher, jurisdiction_id=None, disposition="hospital")
        )
        for group in selectors.ready_groups(dispatcher):
            if group.disposition == "hospital" and group.jurisdiction:
                hospital += list(
                    selectors.ready_for(
                        dispatcher, jurisdiction_id=group.jurisdiction.pk, disposition="hospital"
                    )
                )
        for arrival in hospital[:-1]:
            services.transfer_to_hospital(arrival=arrival, officer=dispatcher, reason="")
        leaving = list(
            selectors.ready_for(dispatcher, jurisdiction_id=None, disposition="onward_transfer")
        )
        for arrival in leaving[:-1]:
            services.see_off(arrival=arrival, dispatcher=dispatcher, note="Escorted to CKG T2")

        groups = sorted(
            (
                g
                for g in selectors.ready_groups(dispatcher)
                if g.jurisdiction
                and g.disposition
                in ("centralized_quarantine", "home_quarantine", "diplomatic_arrangement")
            ),
            key=lambda g: -g.count,
        )
        # Yubei and Jiangbei (the demo officers' districts) get all their travelers: one bus each
        # still on the road (Yubei's overdue), the others received. Elsewhere one batch is being
        # planned and the rest wait at the airport.
        on_the_road = {"500112": "overdue", "500105": "in_transit"}
        planned_made = False
        vehicles = iter(f"渝A·{n}" for n in range(51021, 51999, 37))
        for group in groups:
            code = group.jurisdiction.code
            travelers = list(
                selectors.ready_for(
                    dispatcher, jurisdiction_id=group.jurisdiction.pk, disposition=group.disposition
                )
            )
            if code not in on_the_road:
                if not planned_made and len(travelers) >= 3:
                    planned_made = True
                    self._batch(
                        group, travelers[:12], "planned", next(vehicles), dispatcher, {}, now
                    )
                continue
            while travelers:
                take, travelers = travelers[:14], travelers[14:]
                fate = on_the_road.pop(code, "closed")
                self._batch(group, take, fate, next(vehicles), dispatcher, officers, now)

    def _batch(self, group, travelers, fate, vehicle, dispatcher: User, officers, now):
        departed = {"closed": 7, "overdue": 5, "in_transit": 0.5}.get(fate)
        batch = services.make_batch(
            destination=group.jurisdiction,
            disposition=group.disposition,
            vehicle=vehicle,
            escort=self.random.choice(["刘警官 Liu", "陈医生 Dr Chen", "赵护士 Nurse Zhao"]),
            planned_departure=now - timedelta(hours=departed or -1),
            arrivals=travelers,
            dispatcher=dispatcher,
        )
        if departed is None:
            return
        services.mark_departed(
            batch=batch, dispatcher=dispatcher, at=now - timedelta(hours=departed)
        )
        officer = officers[group.jurisdiction.pk]
        codes = [t.code for t in travelers]
        received = {"closed": len(codes), "overdue": len(codes) // 2, "in_transit": 0}[fate]
        for code in codes[:received]:
            services.receive(batch=batch, arrival_code=code, officer=officer)
        if fate == "overdue":
            services.report_incident(
                batch=batch,
                kind=Incident.Kind.MISSING,
                officer=officer,
                note="Not on the bus at the hotel; the escort is checking the airport.",
                arrival_code=codes[-1],
            )
        if fate == "closed":
            hotel = Site.objects.filter(
                jurisdiction=group.jurisdiction, kind=Site.Kind.QUARANTINE_HOTEL
            ).first()
            for index, arrival in enumerate(Arrival.objects.filter(code__in=codes)):
                quarantine = services.start_quarantine(
                    arrival=arrival,
                    officer=officer,
                    site=hotel if group.disposition == "centralized_quarantine" else None,
                    planned_end=timezone.localdate() + timedelta(days=14),
                )
                if index == 0:
                    # One released on medical advice, so that every state has someone in it.
                    services.release(
                        quarantine=quarantine,
                        officer=officer,
                        confirmed=True,
                        reason="Released on medical advice (demo)",
                    )
