"""Named officers of the exchanges desk and the 24 March 2020 video conference with Ukraine and
Armenia, arranged by the Ministry of Foreign Affairs (domain.md). People's names are examples,
not real people."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from liaison.core import audit
from liaison.core.roles import Role
from liaison.directory.models import Organization, OrganizationKind, Person
from liaison.exchanges import services
from liaison.exchanges.services import AgendaInput, CountryInput, ParticipantInput, Plan
from tests.conftest import make_user

BEIJING = ZoneInfo("Asia/Shanghai")
# 15:00 to 18:00 in Chongqing: "about three hours".
STARTS = datetime(2020, 3, 24, 15, 0, tzinfo=BEIJING)
ENDS = datetime(2020, 3, 24, 18, 0, tzinfo=BEIJING)
TITLE_ZH = "重庆市与乌克兰、亚美尼亚新冠肺炎疫情防控专家视频会议"
TITLE_EN = "Video conference of Chongqing's experts with Ukraine and Armenia on COVID-19"
UKRAINIAN_MINISTER = "Марія Шевченко"
ARMENIAN_DEPUTY = "Անի Սարգսյան"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _messages_in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def exchange_officer(city):
    return make_user("zhou-exchanges", Role.EXCHANGES)


@pytest.fixture
def leader(city):
    return make_user("gao-leadership", Role.LEADERSHIP)


@pytest.fixture
def liaison_officer(city):
    return make_user("sun-liaison", Role.LIAISON)


def _org(code, kind, zh, en, country, **extra) -> Organization:
    """The city's reference data holds some of them (the Ministry, the embassies); the test
    adds the others."""
    return Organization.objects.get_or_create(
        code=code,
        defaults={"kind": kind, "name_zh": zh, "name_en": en, "country": country, **extra},
    )[0]


def _person(organization, **names) -> Person:
    return Person.objects.create(organization=organization, **names)


@pytest.fixture
def directory(city):
    return build_directory()


def build_directory() -> dict:
    """The organizations and people of 24 March 2020, as the directory holds them."""
    ours = OrganizationKind.CHINESE_AUTHORITY
    with audit.acting_as(username="test"):
        orgs = {
            "mfa": _org("CN-MFA", ours, "外交部", "Ministry of Foreign Affairs", "CN"),
            "city": _org(
                "CN-CQ-GOV", ours, "重庆市人民政府", "Chongqing Municipal Government", "CN"
            ),
            "health": _org(
                "CN-CQ-HEALTH", ours, "重庆市卫生健康委员会", "Chongqing Health Commission", "CN"
            ),
            "embassy_ua": _org(
                "CN-EMB-UA", ours, "中国驻乌克兰大使馆", "Embassy of China in Ukraine", "CN"
            ),
            "embassy_am": _org(
                "CN-EMB-AM", ours, "中国驻亚美尼亚大使馆", "Embassy of China in Armenia", "CN"
            ),
            "ua_gov": _org(
                "UA-GOV",
                OrganizationKind.GOVERNMENT,
                "乌克兰政府",
                "Cabinet of Ministers of Ukraine",
                "UA",
                name_native="Кабінет Міністрів України",
            ),
            "ua_health": _org(
                "UA-MOH",
                OrganizationKind.MINISTRY,
                "乌克兰卫生部",
                "Ministry of Health of Ukraine",
                "UA",
                name_native="Міністерство охорони здоров'я України",
            ),
            "am_health": _org(
                "AM-MOH",
                OrganizationKind.MINISTRY,
                "亚美尼亚卫生部",
                "Ministry of Health of Armenia",
                "AM",
                name_native="Հայաստանի առողջապահության նախարարություն",
            ),
        }
        people = {
            "vice_mayor_1": _person(
                orgs["city"],
                name_zh="李副市长",
                name_latin="LI Ming",
                title_zh="副市长",
                title_en="Vice Mayor",
            ),
            "vice_mayor_2": _person(
                orgs["city"],
                name_zh="王副市长",
                name_latin="WANG Fang",
                title_zh="副市长",
                title_en="Vice Mayor",
            ),
            "eurasian": _person(
                orgs["mfa"],
                name_zh="赵副司长",
                name_latin="ZHAO Lei",
                title_zh="欧亚司副司长",
                title_en="Deputy Director-General, Eurasian Department",
            ),
            "ambassador_ua": _person(
                orgs["embassy_ua"],
                name_zh="钱大使",
                name_latin="QIAN Hong",
                title_zh="大使",
                title_en="Ambassador",
            ),
            "counsellor_am": _person(
                orgs["embassy_am"],
                name_zh="孙参赞",
                name_latin="SUN Yu",
                title_zh="参赞",
                title_en="Counsellor",
            ),
            "prime_minister": _person(
                orgs["ua_gov"],
                name_native="Олександр Коваленко",
                name_latin="Oleksandr Kovalenko",
                title_en="Prime Minister",
                title_zh="总理",
            ),
            "health_minister": _person(
                orgs["ua_health"],
                name_native=UKRAINIAN_MINISTER,
                name_latin="Mariia Shevchenko",
                title_en="Minister of Health",
                title_zh="卫生部长",
            ),
            "deputy_ua": _person(
                orgs["ua_health"],
                name_native="Іван Бондаренко",
                name_latin="Ivan Bondarenko",
                title_en="Deputy Minister of Health",
                title_zh="卫生部副部长",
            ),
            "deputy_am": _person(
                orgs["am_health"],
                name_native=ARMENIAN_DEPUTY,
                name_latin="Ani Sargsyan",
                title_en="Deputy Minister of Health",
                title_zh="卫生部副部长",
            ),
        }
        people.update(
            {
                f"expert_{n}": _person(
                    orgs["health"],
                    name_zh=f"专家{n}",
                    name_latin=f"Expert {n}",
                    title_zh="主任医师",
                    title_en="Chief physician",
                )
                for n in range(1, 9)
            }
        )
    return {"orgs": orgs, "people": people}


def march_24_plan(directory, **changes) -> Plan:
    people, orgs = directory["people"], directory["orgs"]
    ours = [
        ("vice_mayor_1", "official"),
        ("vice_mayor_2", "official"),
        ("eurasian", "diplomat"),
        ("ambassador_ua", "diplomat"),
        ("counsellor_am", "diplomat"),
        *((f"expert_{n}", "expert") for n in range(1, 9)),
    ]
    theirs = [
        ("prime_minister", "official"),
        ("health_minister", "official"),
        ("deputy_ua", "official"),
        ("deputy_am", "official"),
    ]
    participants = tuple(
        ParticipantInput(side=side, role=role, person_id=people[key].pk)
        for side, rows in (("ours", ours), ("theirs", theirs))
        for key, role in rows
    )
    values = {
        "title_zh": TITLE_ZH,
        "title_en": TITLE_EN,
        "starts_at": STARTS,
        "ends_at": ENDS,
        "platform": "ministry",
        "arranged_by_id": orgs["mfa"].pk,
        "countries": (CountryInput("UA"), CountryInput("AM")),
        "participants": participants,
        "agenda": (
            AgendaInput(
                title_zh="重庆市疫情防控做法",
                title_en="Chongqing's prevention and control practice",
                presenter_id=people["expert_1"].pk,
                minutes=30,
            ),
            AgendaInput(
                title_zh="诊疗方案",
                title_en="Treatment plans",
                presenter_id=people["expert_2"].pk,
                minutes=45,
            ),
            AgendaInput(title_zh="问答", title_en="Questions and answers", minutes=90),
        ),
    }
    values.update(changes)
    return Plan(**values)


@pytest.fixture
def conference(directory, exchange_officer):
    with audit.acting_as(exchange_officer):
        return services.plan_conference(plan=march_24_plan(directory), by=exchange_officer)


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf_upload(name="treatment-plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def pptx_upload(name="practice.pptx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<presentation/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def record_the_questions(conference, directory, by):
    people = directory["people"]
    services.record_question(
        conference=conference,
        asked_by_id=people["health_minister"].pk,
        question_zh="如何组织集中隔离？",
        question_en="How is centralized quarantine organized?",
        answered_by_id=people["expert_3"].pk,
        answer_zh="按区县设立隔离酒店，闭环转运。",
        answer_en="Quarantine hotels in every district, with closed-loop transfer.",
        by=by,
    )
    services.record_question(
        conference=conference,
        asked_by_id=people["deputy_am"].pk,
        question_zh="轻症患者如何治疗？",
        question_en="How are mild cases treated?",
        answered_by_id=people["expert_4"].pk,
        answer_zh="在定点医院集中收治。",
        answer_en="They are treated together in designated hospitals.",
        by=by,
    )
