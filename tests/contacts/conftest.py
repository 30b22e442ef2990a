"""Named officers of the liaison desk and the counterparts of March 2020."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from liaison.contacts import services
from liaison.contacts.services import OutcomeIn, Who
from liaison.core import audit
from liaison.core.roles import Role
from liaison.directory.models import Organization, OrganizationKind, Person
from tests.conftest import make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _messages_in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def liaison_officer(city):
    return make_user("sun-liaison", Role.LIAISON)


@pytest.fixture
def second_liaison_officer(city):
    return make_user("qian-liaison", Role.LIAISON)


@pytest.fixture
def director_general(city):
    """The office's director-general: leadership, reads the log, owns commitments."""
    with audit.acting_as(username="test"):
        user = make_user("zhou-director", Role.LEADERSHIP)
    return user


@pytest.fixture
def exchange_officer(city):
    return make_user("wu-exchanges", Role.EXCHANGES)


@pytest.fixture
def korea_chengdu(city):
    with audit.acting_as(username="test"):
        return Organization.objects.get_or_create(
            code="KR-CG-CTU",
            defaults={
                "kind": OrganizationKind.CONSULATE_GENERAL,
                "name_zh": "大韩民国驻成都总领事馆",
                "name_en": "Consulate General of the Republic of Korea in Chengdu",
                "name_native": "주청두 대한민국 총영사관",
                "country": "KR",
                "city": "Chengdu",
            },
        )[0]


@pytest.fixture
def japan_chongqing(city):
    with audit.acting_as(username="test"):
        return Organization.objects.get_or_create(
            code="JP-CG-CKG",
            defaults={
                "kind": OrganizationKind.CONSULATE_GENERAL,
                "name_zh": "日本国驻重庆总领事馆",
                "name_en": "Consulate General of Japan in Chongqing",
                "country": "JP",
                "city": "Chongqing",
            },
        )[0]


@pytest.fixture
def consul_general(korea_chengdu):
    with audit.acting_as(username="test"):
        return Person.objects.create(
            organization=korea_chengdu,
            name_native="김민준",
            name_latin="KIM Minjun",
            title_en="Consul General",
            title_zh="总领事",
            phone="+86 28 8616 5800",
            email="consul@example.kr",
        )


@pytest.fixture
def consul(korea_chengdu):
    with audit.acting_as(username="test"):
        return Person.objects.create(
            organization=korea_chengdu, name_latin="PARK Jiwoo", title_en="Consul"
        )


@pytest.fixture
def japan_consul_general(japan_chongqing):
    with audit.acting_as(username="test"):
        return Person.objects.create(
            organization=japan_chongqing, name_latin="SATO Hiroshi", title_en="Consul General"
        )


def march(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2020, 3, day, hour, minute, tzinfo=SHANGHAI)


def in_days(days: int):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def korea_call(director_general, liaison_officer, consul_general, consul, korea_chengdu):
    """The director-general's call with the Korean consul general, two commitments each side."""
    with audit.acting_as(liaison_officer):
        return services.log_contact(
            kind="call",
            starts_at=march(20, 15),
            ends_at=march(20, 15, 40),
            place="Foreign Affairs Building, Chongqing",
            medium="Phone",
            topics=["Measures against imported cases", "Korean nationals in quarantine"],
            summary="Explained the 14-day quarantine on arrival; heard the consulate's concerns.",
            participants=[
                Who(role="led", user=director_general.pk),
                Who(role="note_taker", user=liaison_officer.pk),
                Who(role="led", person=consul_general.pk, organization=korea_chengdu.pk),
                Who(role="attended", person=consul.pk),
            ],
            outcomes=[
                OutcomeIn(kind="information", text="Korea asks about quarantine hotel meals."),
                OutcomeIn(
                    kind="commitment",
                    text="Send the list of Korean nationals in quarantine",
                    side="ours",
                    owner_user=liaison_officer.pk,
                    due_on=in_days(3),
                ),
                OutcomeIn(
                    kind="commitment",
                    text="Arrange a visit to the quarantine hotel",
                    side="ours",
                    owner_user=director_general.pk,
                    due_on=in_days(10),
                ),
                OutcomeIn(
                    kind="commitment",
                    text="Inform Korean citizens of the quarantine rules",
                    side="theirs",
                    owner_person=consul_general.pk,
                    due_on=in_days(5),
                ),
                OutcomeIn(
                    kind="commitment",
                    text="Give the arrival flights of Korean citizens",
                    side="theirs",
                    owner_organization=korea_chengdu.pk,
                    due_on=in_days(2),
                ),
            ],
            by=liaison_officer,
        )
