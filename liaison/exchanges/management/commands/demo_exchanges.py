"""The exchanges desk's demo, made through its services: the 24 March 2020 video conference of
eight of the city's experts with Ukraine and Armenia, arranged by the Ministry of Foreign Affairs
(two vice mayors; Ukraine's prime minister, health minister and a deputy minister; Armenia's
deputy health minister; China's ambassador to Ukraine, a counsellor of the embassy in Armenia and
a deputy director-general of the Ministry's Eurasian department), its questions and answers, a
material, the minutes finalized; and the conference with Belarus, next, still being planned,
with a follow-up in the commitments ledger. People's names are examples, not real people.

Organizations come from the directory's reference data (made here when it is not loaded). Run
after ``demo_accounts``; a second run changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from liaison.core import audit
from liaison.core.models import User
from liaison.core.pdf import html_to_pdf
from liaison.directory.models import Organization, OrganizationKind, Person
from liaison.exchanges import follow_ups, services
from liaison.exchanges.models import Conference
from liaison.exchanges.services import AgendaInput, CountryInput, ParticipantInput, Plan

BEIJING = ZoneInfo("Asia/Shanghai")
K = OrganizationKind
# code: kind, country, Chinese name, English name, native name
ORGANIZATIONS = {
    "CN-MFA": (
        K.CHINESE_AUTHORITY,
        "CN",
        "中华人民共和国外交部",
        "Ministry of Foreign Affairs",
        "",
    ),
    "CN-CQ-GOV": (
        K.CHINESE_AUTHORITY,
        "CN",
        "重庆市人民政府",
        "Chongqing Municipal Government",
        "",
    ),
    "CN-CQ-HEALTH": (
        K.CHINESE_AUTHORITY,
        "CN",
        "重庆市卫生健康委员会",
        "Chongqing Municipal Health Commission",
        "",
    ),
    "CN-EMB-UA": (
        K.CHINESE_AUTHORITY,
        "CN",
        "中国驻乌克兰大使馆",
        "Embassy of China in Ukraine",
        "",
    ),
    "CN-EMB-AM": (
        K.CHINESE_AUTHORITY,
        "CN",
        "中国驻亚美尼亚大使馆",
        "Embassy of China in Armenia",
        "",
    ),
    "UA-GOV": (K.GOVERNMENT, "UA", "乌克兰政府", "Cabinet of Ministers of Ukraine", ""),
    "UA-MOH": (K.MINISTRY, "UA", "乌克兰卫生部", "Ministry of Health of Ukraine", ""),
    "AM-MOH": (K.MINISTRY, "AM", "亚美尼亚卫生部", "Ministry of Health of Armenia", ""),
    "BY-MOH": (
        K.MINISTRY,
        "BY",
        "白俄罗斯卫生部",
        "Ministry of Health of Belarus",
        "Міністэрства аховы здароўя Рэспублікі Беларусь",
    ),
}
# key: organization, Chinese name, Latin name, native name, title zh, title en
PEOPLE = {
    "vice_mayor_1": (
        "CN-CQ-GOV",
        "示例副市长甲",
        "Example Vice Mayor A",
        "",
        "副市长",
        "Vice Mayor",
    ),
    "vice_mayor_2": (
        "CN-CQ-GOV",
        "示例副市长乙",
        "Example Vice Mayor B",
        "",
        "副市长",
        "Vice Mayor",
    ),
    "eurasian": (
        "CN-MFA",
        "示例副司长",
        "Example Deputy Director-General",
        "",
        "欧亚司副司长",
        "Deputy Director-General, Eurasian Department",
    ),
    "ambassador": ("CN-EMB-UA", "示例大使", "Example Ambassador", "", "大使", "Ambassador"),
    "counsellor": ("CN-EMB-AM", "示例参赞", "Example Counsellor", "", "参赞", "Counsellor"),
    "prime_minister": (
        "UA-GOV",
        "",
        "Oleksandr Kovalenko",
        "Олександр Коваленко",
        "总理",
        "Prime Minister",
    ),
    "health_minister": (
        "UA-MOH",
        "",
        "Mariia Shevchenko",
        "Марія Шевченко",
        "卫生部长",
        "Minister of Health",
    ),
    "deputy_ua": (
        "UA-MOH",
        "",
        "Ivan Bondarenko",
        "Іван Бондаренко",
        "卫生部副部长",
        "Deputy Minister of Health",
    ),
    "deputy_am": (
        "AM-MOH",
        "",
        "Ani Sargsyan",
        "Անի Սարգսյան",
        "卫生部副部长",
        "Deputy Minister of Health",
    ),
    "belarus_deputy": (
        "BY-MOH",
        "",
        "Alena Kavaliova",
        "Алена Кавалёва",
        "卫生部副部长",
        "Deputy Minister of Health",
    ),
    **{
        f"expert_{n}": (
            "CN-CQ-HEALTH",
            f"示例专家{n}",
            f"Example Expert {n}",
            "",
            "主任医师",
            "Chief physician",
        )
        for n in range(1, 9)
    },
}
TITLE_ZH = "重庆市与乌克兰、亚美尼亚新冠肺炎疫情防控专家视频会议"


class Command(BaseCommand):
    help = "The 24 March 2020 expert video conference with Ukraine and Armenia, and Belarus next."

    def add_arguments(self, parser):
        parser.add_argument("--prefix", default="demo-", help="Demo usernames' prefix.")

    @transaction.atomic
    def handle(self, *args, prefix, **options):
        officer = User.objects.filter(username=f"{prefix}exchange").first()
        if officer is None:
            self.stderr.write("Run demo_accounts first (no demo exchange account).")
            return
        if Conference.objects.filter(title_zh=TITLE_ZH).exists():
            self.stdout.write("The March 2020 conference is there already.")
            return
        with audit.acting_as(officer):
            people = self._directory()
            self._march_24(officer, people)
            self._belarus(officer, people)
        self.stdout.write("Made the 24 March 2020 conference (finalized) and the Belarus one.")

    def _directory(self) -> dict[str, Person]:
        organizations = {}
        for code, (kind, country, zh, en, native) in ORGANIZATIONS.items():
            organizations[code], _ = Organization.objects.get_or_create(
                code=code,
                defaults={
                    "kind": kind,
                    "country": country,
                    "name_zh": zh,
                    "name_en": en,
                    "name_native": native,
                },
            )
        people = {}
        for key, (code, zh, latin, native, title_zh, title_en) in PEOPLE.items():
            people[key], _ = Person.objects.get_or_create(
                organization=organizations[code],
                name_latin=latin,
                defaults={
                    "name_zh": zh,
                    "name_native": native,
                    "title_zh": title_zh,
                    "title_en": title_en,
                },
            )
        return people

    def _march_24(self, officer: User, people: dict[str, Person]) -> None:
        seats = [
            ("ours", "official", "vice_mayor_1"),
            ("ours", "official", "vice_mayor_2"),
            ("ours", "diplomat", "eurasian"),
            ("ours", "diplomat", "ambassador"),
            ("ours", "diplomat", "counsellor"),
            *(("ours", "expert", f"expert_{n}") for n in range(1, 9)),
            ("theirs", "official", "prime_minister"),
            ("theirs", "official", "health_minister"),
            ("theirs", "official", "deputy_ua"),
            ("theirs", "official", "deputy_am"),
        ]
        starts = datetime(2020, 3, 24, 15, 0, tzinfo=BEIJING)
        conference = services.plan_conference(
            plan=Plan(
                title_zh=TITLE_ZH,
                title_en="Video conference of Chongqing's experts with Ukraine and Armenia",
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                platform="ministry",
                arranged_by_id=Organization.objects.get(code="CN-MFA").pk,
                summary_zh="我市专家介绍疫情防控做法和诊疗方案，并回答对方提问。",
                summary_en="The city's experts shared prevention practice and treatment plans "
                "and answered the other side's questions.",
                countries=(CountryInput("UA"), CountryInput("AM")),
                participants=tuple(
                    ParticipantInput(side=side, role=role, person_id=people[key].pk)
                    for side, role, key in seats
                ),
                agenda=(
                    AgendaInput(
                        title_zh="疫情防控做法",
                        title_en="Prevention and control practice",
                        presenter_id=people["expert_1"].pk,
                        minutes=40,
                    ),
                    AgendaInput(
                        title_zh="诊疗方案",
                        title_en="Treatment plans",
                        presenter_id=people["expert_2"].pk,
                        minutes=50,
                    ),
                    AgendaInput(title_zh="问答", title_en="Questions and answers", minutes=90),
                ),
            ),
            by=officer,
        )
        for asker, answerer, q_zh, q_en, a_zh, a_en in (
            (
                "health_minister",
                "expert_3",
                "如何组织集中隔离？",
                "How is centralized quarantine organized?",
                "各区县设隔离酒店，入境人员闭环转运。",
                "Every district runs quarantine hotels; arrivals are transferred in a closed loop.",
            ),
            (
                "deputy_am",
                "expert_4",
                "轻症患者如何治疗？",
                "How are mild cases treated?",
                "在定点医院集中收治，中西医结合。",
                "Together in designated hospitals, combining Chinese and Western medicine.",
            ),
        ):
            services.record_question(
                conference=conference,
                asked_by_id=people[asker].pk,
                question_zh=q_zh,
                question_en=q_en,
                answered_by_id=people[answerer].pk,
                answer_zh=a_zh,
                answer_en=a_en,
                by=officer,
            )
        plan_pdf = html_to_pdf("<h1>诊疗方案 Treatment plan</h1><p>Demo material.</p>")
        services.share_material(
            conference=conference,
            upload=SimpleUploadedFile("treatment-plan.pdf", plan_pdf),
            title="诊疗方案 Treatment plan",
            language="zh-hans",
            visibility="counterparts",
            shared_by_id=people["expert_2"].pk,
            by=officer,
        )
        services.finalize_minutes(conference=conference, by=officer)

    def _belarus(self, officer: User, people: dict[str, Person]) -> None:
        starts = (timezone.localtime() + timedelta(days=7)).replace(
            hour=15, minute=0, second=0, microsecond=0
        )
        conference = services.plan_conference(
            plan=Plan(
                title_zh="重庆市与白俄罗斯新冠肺炎疫情防控专家视频会议",
                title_en="Video conference of Chongqing's experts with Belarus",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                platform="ministry",
                arranged_by_id=Organization.objects.get(code="CN-MFA").pk,
                countries=(CountryInput("BY"),),
                participants=(
                    ParticipantInput(side="ours", role="expert", person_id=people["expert_1"].pk),
                    ParticipantInput(
                        side="theirs", role="official", person_id=people["belarus_deputy"].pk
                    ),
                ),
            ),
            by=officer,
        )
        follow_ups.record(
            conference=conference,
            side="ours",
            description="Send the treatment plans in Russian before the conference",
            due_on=timezone.localdate() + timedelta(days=5),
            owner_user_id=officer.pk,
            by=officer,
        )
