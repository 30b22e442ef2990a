"""A realistic month of the liaison desk, March 2020, made through the contact log's services.

The director-general phones the Korean consul general in Chengdu, visits the Japanese and
Italian consuls general, receives the Australian, American and German ones at the Foreign
Affairs Building; the Hong Kong and Macao office visits the HKSAR Government's liaison unit and
the HKTDC office; notes, letters and e-mails follow. Commitments on both sides, most done, some
still open (overdue by now). Organizations come from the directory's reference data (made here
when it is not loaded). Run after ``demo_accounts``; a second run changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand
from django.db import transaction

from liaison.contacts import commitments as ledger
from liaison.contacts import services
from liaison.contacts.models import Contact
from liaison.contacts.services import OutcomeIn, Who
from liaison.core import audit
from liaison.core.models import User
from liaison.directory.models import Organization, OrganizationKind, Person

ZONE = ZoneInfo("Asia/Shanghai")
K = OrganizationKind
# code: kind, country, English name, Chinese name, city
ORGANIZATIONS = {
    "KR-CG-CTU": (
        K.CONSULATE_GENERAL,
        "KR",
        "Consulate General of the Republic of Korea in Chengdu",
        "大韩民国驻成都总领事馆",
        "Chengdu",
    ),
    "JP-CG-CKG": (
        K.CONSULATE_GENERAL,
        "JP",
        "Consulate-General of Japan in Chongqing",
        "日本国驻重庆总领事馆",
        "Chongqing",
    ),
    "IT-CG-CKG": (
        K.CONSULATE_GENERAL,
        "IT",
        "Consulate General of Italy in Chongqing",
        "意大利驻重庆总领事馆",
        "Chongqing",
    ),
    "AU-CG-CTU": (
        K.CONSULATE_GENERAL,
        "AU",
        "Australian Consulate-General Chengdu",
        "澳大利亚驻成都总领事馆",
        "Chengdu",
    ),
    "US-CG-CTU": (
        K.CONSULATE_GENERAL,
        "US",
        "Consulate General of the United States in Chengdu",
        "美国驻成都总领事馆",
        "Chengdu",
    ),
    "DE-CG-CTU": (
        K.CONSULATE_GENERAL,
        "DE",
        "Consulate General of the Federal Republic of Germany in Chengdu",
        "德国驻成都总领事馆",
        "Chengdu",
    ),
    "HK-LU-CKG": (
        K.HK_MACAO_OFFICE,
        "HK",
        "Chongqing Liaison Unit of the Government of the Hong Kong SAR",
        "香港特区政府驻成都经济贸易办事处重庆联络处",
        "Chongqing",
    ),
    "HKTDC-CKG": (
        K.HK_MACAO_OFFICE,
        "HK",
        "Hong Kong Trade Development Council Chongqing Office",
        "香港贸易发展局重庆代表处",
        "Chongqing",
    ),
    "KR-CG-CKG": (
        K.CONSULATE_GENERAL,
        "KR",
        "Consulate General of the Republic of Korea in Chongqing",
        "大韩民国驻重庆总领事馆",
        "Chongqing",
    ),
    "GB-CG-CKG": (
        K.CONSULATE_GENERAL,
        "GB",
        "British Consulate General Chongqing",
        "英国驻重庆总领事馆",
        "Chongqing",
    ),
    "IR-SHIRAZ": (K.SISTER_CITY, "IR", "Shiraz", "伊朗设拉子市", "Shiraz"),
}
# code: (Latin name, native name, title) of the head and of a second officer.
PEOPLE = {
    "KR-CG-CTU": [("KIM Minjun", "김민준", "Consul General"), ("PARK Jiwoo", "박지우", "Consul")],
    "JP-CG-CKG": [("SATO Hiroshi", "佐藤博", "Consul General"), ("ITO Yui", "伊藤結衣", "Consul")],
    "IT-CG-CKG": [("Marco ROSSI", "", "Consul General"), ("Giulia BIANCHI", "", "Vice Consul")],
    "AU-CG-CTU": [("Emma WILSON", "", "Consul-General"), ("Jack TAYLOR", "", "Consul")],
    "US-CG-CTU": [("John SMITH", "", "Consul General"), ("Mary JOHNSON", "", "Consul")],
    "DE-CG-CTU": [("Anna SCHMIDT", "", "Generalkonsulin"), ("Paul MÜLLER", "", "Konsul")],
    "HK-LU-CKG": [("CHAN Tai-man", "陳大文", "Head"), ("WONG Ka-yan", "黃嘉欣", "Officer")],
    "HKTDC-CKG": [
        ("LEE Wing-kei", "李永基", "Chief Representative"),
        ("HO Mei", "何美", "Manager"),
    ],
    "KR-CG-CKG": [("LEE Seoyeon", "이서연", "Consul General"), ("CHOI Subin", "최수빈", "Consul")],
    "GB-CG-CKG": [("Oliver BROWN", "", "Consul General"), ("Amelia JONES", "", "Vice Consul")],
    "IR-SHIRAZ": [
        ("Ali REZAEI", "علی رضایی", "Deputy Mayor"),
        ("Zahra MOHAMMADI", "زهرا محمدی", "Adviser"),
    ],
}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2020, 3, day, hour, minute, tzinfo=ZONE)


class Command(BaseCommand):
    help = "Log a realistic month of contacts (March 2020) with commitments on both sides."

    def add_arguments(self, parser):
        parser.add_argument("--prefix", default="demo-", help="Demo usernames' prefix.")

    @transaction.atomic
    def handle(self, *args, prefix, **options):
        desk = User.objects.filter(username=f"{prefix}liaison").first()
        director = User.objects.filter(username=f"{prefix}leader").first()
        if desk is None or director is None:
            self.stderr.write("Run demo_accounts first (no demo liaison or leader account).")
            return
        if Contact.objects.filter(logged_by=desk, starts_at__year=2020).exists():
            self.stdout.write("The March 2020 contact log is there already.")
            return
        with audit.acting_as(username="demo_contacts"):
            people = self._directory()
            count = self._month(desk, director, people)
        self.stdout.write(f"Logged {count} contacts of March 2020.")

    def _directory(self) -> dict[str, list[Person]]:
        people = {}
        for code, (kind, country, name_en, name_zh, city) in ORGANIZATIONS.items():
            organization, _ = Organization.objects.get_or_create(
                code=code,
                defaults={
                    "kind": kind,
                    "country": country,
                    "name_en": name_en,
                    "name_zh": name_zh,
                    "city": city,
                },
            )
            found = []
            for latin, native, title in PEOPLE[code]:
                person, _ = Person.objects.get_or_create(
                    organization=organization,
                    name_latin=latin,
                    defaults={"name_native": native, "title_en": title},
                )
                found.append(person)
            people[code] = found
        return people

    def _month(self, desk: User, director: User, people: dict[str, list[Person]]) -> int:
        def log(day, hour, kind, code, topics, summary, outcomes=(), place="", **extra):
            head, second = people[code]
            return services.log_contact(
                kind=kind,
                starts_at=at(day, hour),
                ends_at=at(day, hour + 1)
                if kind in ("call", "visit", "meeting", "video_call")
                else None,
                place=place,
                medium=extra.pop("medium", ""),
                topics=topics,
                summary=summary,
                participants=extra.pop("participants", None)
                or [
                    Who(role="led", user=director.pk),
                    Who(role="note_taker", user=desk.pk),
                    Who(role="led", person=head.pk),
                    Who(role="attended", person=second.pk),
                ],
                outcomes=outcomes,
                by=desk,
                today=date(2020, 3, day),
                **extra,
            )

        def ours(text, owner, day):
            return OutcomeIn(
                "commitment", text, "ours", owner_user=owner.pk, due_on=date(2020, 3, day)
            )

        def theirs(text, code, day):
            return OutcomeIn(
                "commitment",
                text,
                "theirs",
                owner_person=people[code][0].pk,
                due_on=date(2020, 3, day),
            )

        info = lambda text: OutcomeIn("information", text)  # noqa: E731
        decision = lambda text: OutcomeIn("decision", text)  # noqa: E731
        building = "Foreign Affairs Building, Chongqing"
        korea = log(
            5,
            15,
            "call",
            "KR-CG-CTU",
            ["Measures against imported cases", "Korean nationals in quarantine"],
            "The director-general explained the 14-day quarantine on arrival and the hotels; "
            "the consul general asked about meals, interpreters and families.",
            [
                info("About 40 Korean nationals are in centralized quarantine in Yubei."),
                ours("Send the list of Korean nationals in quarantine", desk, 7),
                ours("Arrange a visit to a quarantine hotel", director, 20),
                theirs(
                    "Inform Korean citizens in Chongqing of the quarantine rules", "KR-CG-CTU", 9
                ),
                theirs("Give the arrival flights of Korean citizens for March", "KR-CG-CTU", 10),
            ],
            medium="Phone",
        )
        contacts = [korea]
        contacts.append(
            log(
                7,
                10,
                "letter",
                "KR-CG-CTU",
                ["Korean nationals in quarantine"],
                "The list of Korean nationals in quarantine, by hotel.",
                follows=korea,
                participants=[
                    Who(role="led", user=desk.pk),
                    Who(role="attended", person=people["KR-CG-CTU"][1].pk),
                ],
            )
        )
        contacts.append(
            log(
                9,
                10,
                "visit",
                "JP-CG-CKG",
                ["Measures against imported cases"],
                "Visited the consul general; Japanese companies ask about returning staff.",
                [
                    ours("Send the rules for business travelers in Japanese", desk, 13),
                    theirs("Circulate the rules to Japanese companies", "JP-CG-CKG", 16),
                ],
                place="Consulate-General of Japan in Chongqing",
            )
        )
        contacts.append(
            log(
                9,
                15,
                "visit",
                "IT-CG-CKG",
                ["Imported cases from Italy", "Students returning"],
                "Visited the consul general; Italian students and the Milan flight.",
                [
                    decision("Italian nationals arriving get an interpreter at the hotel."),
                    theirs("Share the list of Italian students coming back", "IT-CG-CKG", 14),
                ],
                place="Consulate General of Italy in Chongqing",
            )
        )
        for hour, code in ((9, "AU-CG-CTU"), (11, "US-CG-CTU"), (15, "DE-CG-CTU")):
            contacts.append(
                log(
                    11,
                    hour,
                    "meeting",
                    code,
                    ["Measures against imported cases", "Concerns of nationals"],
                    "Received at the Foreign Affairs Building; explained the measures, heard "
                    "concerns.",
                    [ours("Answer the questions left open in writing", desk, 18)],
                    place=building,
                )
            )
        hk_office = [Who(role="led", user=desk.pk)]
        for code in ("HK-LU-CKG", "HKTDC-CKG"):
            contacts.append(
                log(
                    13,
                    10 if code == "HK-LU-CKG" else 15,
                    "visit",
                    code,
                    ["Hong Kong residents in quarantine", "Trade fairs"],
                    "The Hong Kong and Macao office visited.",
                    [theirs("Send contacts of Hong Kong companies' staff arriving", code, 20)],
                    participants=[*hk_office, Who(role="led", person=people[code][0].pk)],
                )
            )
        contacts.append(
            log(
                16,
                9,
                "diplomatic_note",
                "KR-CG-CKG",
                ["Consular access"],
                "Note asking for consular access to two nationals in hospital.",
                [ours("Answer the note on consular access", desk, 19)],
                participants=[
                    Who(role="led", person=people["KR-CG-CKG"][0].pk),
                    Who(role="attended", user=desk.pk),
                ],
            )
        )
        contacts.append(
            log(
                18,
                14,
                "email",
                "GB-CG-CKG",
                ["Flights"],
                "Asked which flights land in Chongqing.",
                participants=[
                    Who(role="led", person=people["GB-CG-CKG"][1].pk),
                    Who(role="attended", user=desk.pk),
                ],
            )
        )
        contacts.append(
            log(
                20,
                14,
                "video_call",
                "IR-SHIRAZ",
                ["Masks and test kits", "Sister-city support"],
                "Video call with Shiraz: needs for masks and test kits.",
                [
                    ours("Ask the aid desk about masks for Shiraz", desk, 27),
                    theirs("Send the list of needs", "IR-SHIRAZ", 24),
                ],
                counterpart_time_zone="Asia/Tehran",
                medium="WeChat video",
            )
        )
        contacts.append(
            log(
                30,
                10,
                "call",
                "KR-CG-CTU",
                ["Quarantine hotel visit"],
                "Follow-up: the visit to a quarantine hotel is set for April.",
                follows=korea,
                medium="Phone",
            )
        )
        # The month's end: most promises kept, a few still open.
        for commitment in korea.commitments.all():
            if "visit" not in commitment.description:
                ledger.move_commitment(commitment=commitment, to="done", note="", by=desk)
        for contact in contacts[2:8]:
            for commitment in contact.commitments.open():
                ledger.move_commitment(commitment=commitment, to="done", note="", by=desk)
        return len(contacts)
