"""Named officers of the media desk and the foreign media of spring 2020."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from liaison.core import audit
from liaison.core.roles import Role
from liaison.directory.models import Accreditation, Organization, OrganizationKind, Person
from liaison.media import services
from tests.conftest import make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")
K = OrganizationKind


@pytest.fixture(autouse=True)
def _messages_in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def media_officer(city):
    """The liaison officer who serves the foreign media."""
    return make_user("he-media", Role.LIAISON)


@pytest.fixture
def second_media_officer(city):
    return make_user("lin-media", Role.LIAISON)


@pytest.fixture
def director_general(city):
    return make_user("zhou-director", Role.LEADERSHIP)


@pytest.fixture
def exchange_officer(city):
    return make_user("wu-exchanges", Role.EXCHANGES)


def organization(code: str, kind: str, country: str, name_en: str, name_zh: str, parent=None):
    with audit.acting_as(username="test"):
        return Organization.objects.get_or_create(
            code=code,
            defaults={
                "kind": kind,
                "country": country,
                "name_en": name_en,
                "name_zh": name_zh,
                "parent": parent,
                "city": "Beijing",
            },
        )[0]


@pytest.fixture
def kyodo(city):
    group = organization("JP-KYODO", K.MEDIA, "JP", "Kyodo News", "日本共同社")
    return organization(
        "JP-KYODO-BJ",
        K.MEDIA_BUREAU,
        "JP",
        "Kyodo News Beijing bureau",
        "日本共同社北京分社",
        group,
    )


@pytest.fixture
def yonhap(city):
    group = organization("KR-YONHAP", K.MEDIA, "KR", "Yonhap News Agency", "韩国联合通讯社")
    return organization(
        "KR-YONHAP-BJ",
        K.MEDIA_BUREAU,
        "KR",
        "Yonhap News Agency Beijing bureau",
        "韩国联合通讯社北京分社",
        group,
    )


@pytest.fixture
def dpa(city):
    return organization("DE-DPA-BJ", K.MEDIA_BUREAU, "DE", "dpa Beijing bureau", "德新社北京分社")


@pytest.fixture
def korea_consulate(city):
    return organization(
        "KR-CG-CTU",
        K.CONSULATE_GENERAL,
        "KR",
        "Consulate General of the Republic of Korea in Chengdu",
        "大韩民国驻成都总领事馆",
    )


@pytest.fixture
def the_office(city):
    return organization(
        "CN-CQ-FAO",
        K.CHINESE_AUTHORITY,
        "CN",
        "Chongqing Foreign Affairs Office",
        "重庆市人民政府外事办公室",
    )


def person(org, **fields) -> Person:
    with audit.acting_as(username="test"):
        return Person.objects.create(organization=org, **fields)


def in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def kyodo_correspondent(kyodo):
    return person(
        kyodo,
        name_native="田中 美咲",
        name_latin="TANAKA Misaki",
        title_en="Correspondent",
        accreditation=Accreditation.PRESS,
        accreditation_number="J2020-0173",
        until=in_days(200),
    )


@pytest.fixture
def expired_correspondent(kyodo):
    return person(
        kyodo,
        name_latin="SUZUKI Kenji",
        title_en="Former correspondent",
        accreditation=Accreditation.PRESS,
        accreditation_number="J2018-0042",
        until=date(2019, 12, 31),
    )


@pytest.fixture
def yonhap_correspondent(yonhap):
    return person(
        yonhap,
        name_native="이서연",
        name_latin="LEE Seoyeon",
        accreditation=Accreditation.PRESS,
        accreditation_number="K2019-0311",
    )


@pytest.fixture
def consul(korea_consulate):
    return person(korea_consulate, name_latin="PARK Jiwoo", title_en="Consul")


@pytest.fixture
def spokesperson(the_office):
    return person(the_office, name_zh="王涛", name_latin="WANG Tao", title_en="Spokesperson")


def april(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2020, 4, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def interview(media_officer, kyodo, kyodo_correspondent):
    """Kyodo asks for an interview about the measures for foreigners, due in two days."""
    with audit.acting_as(media_officer):
        return services.receive_request(
            kind="interview",
            bureau_id=kyodo.pk,
            correspondent_id=kyodo_correspondent.pk,
            received_at=april(2, 9, 30),
            deadline=april(4, 18),
            subject="Measures for foreigners arriving in Chongqing",
            question="How are foreign residents quarantined, and in which languages are they told?",
            assigned_to_id=media_officer.pk,
            by=media_officer,
        )
