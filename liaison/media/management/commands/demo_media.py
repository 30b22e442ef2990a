"""A realistic month of the media desk, April 2020, made through the desk's services.

Foreign bureaus covering the city ask for interviews about the measures for foreigners, for
figures, to visit the airport desk and to film in a quarantine hotel; most are answered within
their deadline (by the desk or the office's spokesperson), one filming request is declined with
its reason, one is withdrawn, two are still open (overdue by now). Three press releases: two
published and sent to bureaus and correspondents, one still a draft. The bureaus and their
people are the directory's (made here when the reference data has not loaded them). Run after
``demo_accounts``; a second run changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand
from django.db import transaction

from liaison.core import audit
from liaison.core.models import User
from liaison.directory.models import Accreditation, Organization, OrganizationKind, Person
from liaison.media import releases, services
from liaison.media.models import MediaRequest

ZONE = ZoneInfo("Asia/Shanghai")
K = OrganizationKind
# code: kind, country, parent code, English name, Chinese name, city
ORGANIZATIONS = {
    "JP-KYODO": (K.MEDIA, "JP", "", "Kyodo News", "日本共同社", "Tokyo"),
    "JP-KYODO-BJ": (
        K.MEDIA_BUREAU,
        "JP",
        "JP-KYODO",
        "Kyodo News Beijing bureau",
        "日本共同社北京分社",
        "Beijing",
    ),
    "KR-YONHAP": (K.MEDIA, "KR", "", "Yonhap News Agency", "韩国联合通讯社", "Seoul"),
    "KR-YONHAP-BJ": (
        K.MEDIA_BUREAU,
        "KR",
        "KR-YONHAP",
        "Yonhap News Agency Beijing bureau",
        "韩国联合通讯社北京分社",
        "Beijing",
    ),
    "DE-DPA-BJ": (K.MEDIA_BUREAU, "DE", "", "dpa Beijing bureau", "德新社北京分社", "Beijing"),
    "FR-AFP-BJ": (
        K.MEDIA_BUREAU,
        "FR",
        "",
        "Agence France-Presse Beijing bureau",
        "法新社北京分社",
        "Beijing",
    ),
    "CN-CQ-FAO": (
        K.CHINESE_AUTHORITY,
        "CN",
        "",
        "Foreign Affairs Office of the Chongqing Municipal Government",
        "重庆市人民政府外事办公室",
        "Chongqing",
    ),
}
# code: (Latin name, native name, title, press card number, card valid until)
PEOPLE = {
    "JP-KYODO-BJ": [
        ("TANAKA Misaki", "田中美咲", "Correspondent", "J2020-0173", date(2020, 12, 31)),
        ("SUZUKI Kenji", "鈴木健二", "Correspondent", "J2018-0042", date(2020, 3, 31)),
    ],
    "KR-YONHAP-BJ": [
        ("KIM Jisoo", "김지수", "Correspondent", "K2019-0311", date(2021, 6, 30)),
    ],
    "DE-DPA-BJ": [("Lena FISCHER", "", "Correspondent", "D2019-0077", date(2021, 3, 31))],
    "FR-AFP-BJ": [("Julien MARTIN", "", "Bureau chief", "F2017-0020", date(2021, 1, 31))],
    "CN-CQ-FAO": [("WANG Tao", "王涛", "Spokesperson", "", None)],
}


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2020, 4, day, hour, minute, tzinfo=ZONE)


class Command(BaseCommand):
    help = "Record a realistic month of the media desk (April 2020): requests and releases."

    def add_arguments(self, parser):
        parser.add_argument("--prefix", default="demo-", help="Demo usernames' prefix.")

    @transaction.atomic
    def handle(self, *args, prefix, **options):
        desk = User.objects.filter(username=f"{prefix}liaison").first()
        if desk is None:
            self.stderr.write("Run demo_accounts first (no demo liaison account).")
            return
        if MediaRequest.objects.filter(recorded_by=desk).exists():
            self.stdout.write("The April 2020 media desk is there already.")
            return
        with audit.acting_as(username="demo_media"):
            people = self._directory()
            count = self._requests(desk, people)
            self._releases(desk, people)
        self.stdout.write(f"Recorded {count} media requests and 3 press releases of April 2020.")

    def _directory(self) -> dict[str, list[Person]]:
        organizations, people = {}, {}
        for code, (kind, country, parent, name_en, name_zh, city) in ORGANIZATIONS.items():
            organizations[code], _ = Organization.objects.get_or_create(
                code=code,
                defaults={
                    "kind": kind,
                    "country": country,
                    "parent": organizations.get(parent),
                    "name_en": name_en,
                    "name_zh": name_zh,
                    "city": city,
                },
            )
        for code, rows in PEOPLE.items():
            people[code] = [
                Person.objects.get_or_create(
                    organization=organizations[code],
                    name_latin=latin,
                    defaults={
                        "name_native": native,
                        "title_en": title,
                        "accreditation": Accreditation.PRESS if card else "",
                        "accreditation_number": card,
                        "until": until,
                    },
                )[0]
                for latin, native, title, card, until in rows
            ]
            people[code].insert(0, organizations[code])  # the bureau first, then its people
        return people

    def _requests(self, desk: User, people: dict) -> int:
        spokesperson = people["CN-CQ-FAO"][1]

        def ask(code, person, kind, received, deadline, subject, question=""):
            bureau = people[code][0]
            return services.receive_request(
                kind=kind,
                bureau_id=bureau.pk,
                correspondent_id=people[code][person].pk if person else None,
                received_at=received,
                deadline=deadline,
                subject=subject,
                question=question,
                assigned_to_id=desk.pk,
                by=desk,
            )

        def answer(request, text, when, by_spokesperson=False):
            services.answer_request(
                request=request,
                answer=text,
                answered_by_user_id=None if by_spokesperson else desk.pk,
                answered_by_person_id=spokesperson.pk if by_spokesperson else None,
                answered_at=when,
                by=desk,
            )

        interview = ask(
            "JP-KYODO-BJ",
            1,
            "interview",
            at(1, 9, 30),
            at(3, 18),
            "Measures for foreigners arriving in Chongqing",
            "How are foreign residents quarantined, and in which languages are they informed?",
        )
        answer(
            interview,
            "Arrivals are quarantined for 14 days in designated hotels of their district; notices "
            "and the health declaration are in 14 languages; the office's hotline answers in "
            "English, Japanese and Korean.",
            at(3, 15),
            by_spokesperson=True,
        )
        figures = ask(
            "KR-YONHAP-BJ",
            1,
            "information",
            at(2, 10),
            at(2, 17),
            "Korean nationals in quarantine in Chongqing",
        )
        answer(figures, "Figures given in aggregate, as published by the city.", at(2, 16, 30))
        filming = ask(
            "KR-YONHAP-BJ",
            1,
            "filming",
            at(6, 11),
            at(8, 12),
            "Filming inside a quarantine hotel",
        )
        services.decline_request(
            request=filming,
            reason="Filming inside quarantine sites is not allowed, to protect the people there; "
            "an interview with the hotel's medical team was offered instead.",
            by=desk,
        )
        visit = ask(
            "DE-DPA-BJ",
            1,
            "visit",
            at(9, 9),
            at(14, 18),
            "Visit to the airport health desk",
            "Would a visit to the arrivals hall be possible, without filming travelers?",
        )
        answer(visit, "Visit arranged on 13 April with the airport working group.", at(10, 11))
        late = ask(
            "FR-AFP-BJ",
            1,
            "information",
            at(15, 14),
            at(16, 12),
            "Flights from Europe and onward transfers",
        )
        answer(late, "Schedules and transfer arrangements sent by e-mail.", at(17, 10))
        withdrawn = ask(
            "JP-KYODO-BJ", 1, "interview", at(20, 9), at(24, 18), "Reopening of schools"
        )
        services.withdraw_request(
            request=withdrawn, reason="The bureau covered the story from Beijing.", by=desk
        )
        ask(
            "DE-DPA-BJ",
            1,
            "interview",
            at(27, 10),
            at(30, 18),
            "German companies resuming work in Chongqing",
        )
        ask("FR-AFP-BJ", 1, "information", at(28, 15), at(29, 17), "Figures of imported cases")
        return MediaRequest.objects.filter(recorded_by=desk).count()

    def _releases(self, desk: User, people: dict) -> None:
        first = releases.draft_release(
            title_zh="重庆市进一步加强境外输入疫情防控",
            title_en="Chongqing steps up its measures against imported cases",
            body_zh="自3月起，所有入境来渝人员实行14天集中隔离医学观察，并免费进行核酸检测。",
            body_en="From March, every traveler arriving in Chongqing from abroad spends 14 days "
            "in centralized medical observation and is tested free of charge.",
            by=desk,
        )
        releases.publish_release(release=first, published_at=at(3, 10), by=desk)
        releases.send_release(
            release=first,
            bureau_ids=[
                people[code][0].pk for code in ("JP-KYODO-BJ", "KR-YONHAP-BJ", "DE-DPA-BJ")
            ],
            sent_at=at(3, 10, 30),
            by=desk,
        )
        second = releases.draft_release(
            title_zh="外籍人员健康申报已开通14种语言",
            title_en="The health declaration is open in 14 languages",
            body_zh="入境旅客可在抵达前用手机填写健康申报，支持14种语言。",
            body_en="Arriving travelers may fill in the health declaration on their phone before "
            "landing, in 14 languages.",
            by=desk,
        )
        releases.publish_release(release=second, published_at=at(16, 9), by=desk)
        releases.send_release(
            release=second,
            correspondent_ids=[people["FR-AFP-BJ"][1].pk, people["KR-YONHAP-BJ"][1].pk],
            sent_at=at(16, 9, 15),
            by=desk,
        )
        releases.draft_release(
            title_zh="五一假期入境人员防控安排",
            body_zh="（草稿）",
            by=desk,
        )
