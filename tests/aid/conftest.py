"""Named officers of the aid desk and the counterparts of spring 2020.

The city government and its districts are organizations of the directory (made here as the demo
makes them, through the directory's services); foreign governments and sister cities too. The
item catalogue is the one the migration seeds.
"""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.utils import translation

from liaison.aid import services, shipping
from liaison.aid.models import Item
from liaison.aid.services import LineIn
from liaison.core import audit
from liaison.core.models import User
from liaison.core.roles import Role
from liaison.directory import services as directory
from liaison.directory.models import Organization, OrganizationKind
from tests.conftest import make_user

K = OrganizationKind


@pytest.fixture(autouse=True)
def _messages_in_english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def catalogue(request):
    """The catalogue the migration seeds, seeded again after a transactional test's flush."""
    if "django_db" not in {m.name for m in request.node.iter_markers()}:
        yield
        return
    request.getfixturevalue("city")
    seed = importlib.import_module("liaison.aid.migrations.0001_donations_shipments_catalogue")
    seed.seed_catalogue(apps, None)
    yield


@pytest.fixture
def aid_officer(city):
    return make_user("he-aid", Role.AID)


@pytest.fixture
def second_aid_officer(city):
    return make_user("lu-aid", Role.AID)


@pytest.fixture
def director_general(city):
    return make_user("zhou-director", Role.LEADERSHIP)


@pytest.fixture
def liaison_officer(city):
    return make_user("sun-liaison", Role.LIAISON)


def organization(code, kind, country, name_zh, name_en, parent=None):
    found = Organization.objects.filter(code=code).first()
    if found:
        return found
    by = User.objects.filter(username="ma-directory").first() or make_user(
        "ma-directory", Role.LIAISON
    )
    with audit.acting_as(username="test"):
        return directory.create_organization(
            by=by,
            code=code,
            kind=kind,
            country=country,
            name_zh=name_zh,
            name_en=name_en,
            parent=parent,
        )


@pytest.fixture
def city_government(city):
    return organization(
        "CN-CQ-GOV", K.CHINESE_AUTHORITY, "CN", "重庆市人民政府", "Chongqing Municipal Government"
    )


@pytest.fixture
def yuzhong(city_government):
    return organization(
        "CN-CQ-YUZHONG",
        K.CHINESE_AUTHORITY,
        "CN",
        "渝中区人民政府",
        "Yuzhong District Government",
        parent=city_government,
    )


@pytest.fixture
def italy(city):
    return organization("IT-GOV", K.GOVERNMENT, "IT", "意大利政府", "Government of Italy")


@pytest.fixture
def iran(city):
    return organization("IR-GOV", K.GOVERNMENT, "IR", "伊朗政府", "Government of Iran")


@pytest.fixture
def shiraz(city):
    return organization("IR-SHIRAZ", K.SISTER_CITY, "IR", "伊朗设拉子市", "Shiraz")


@pytest.fixture
def jeollanam(city):
    return organization("KR-JEONNAM", K.FRIENDSHIP_PROVINCE, "KR", "韩国全罗南道", "Jeollanam-do")


@pytest.fixture
def dusseldorf(city):
    return organization("DE-DUSSELDORF", K.SISTER_CITY, "DE", "德国杜塞尔多夫市", "Düsseldorf")


def item(code: str) -> Item:
    return Item.objects.get(code=code)


def donate(by, donor, recipient, *lines, on=date(2020, 3, 19), **extra):
    return services.record_donation(
        donor=donor.pk,
        recipient=recipient.pk,
        occasion=extra.pop("occasion", "COVID-19, spring 2020"),
        pledged_on=on,
        lines=[LineIn(item=item(code).pk, quantity=q, unit=u) for code, q, u in lines],
        by=by,
        **extra,
    )


def committed(donation, by):
    return services.move_donation(donation=donation, to="committed", by=by)


def ship(donation, by, *quantities, sent_on=date(2020, 3, 19), **extra):
    """A batch of ``quantities`` (units) of the donation's lines, in order; 0 skips a line."""
    lines = [
        shipping.ShippedIn(line=line.pk, quantity=q)
        for line, q in zip(donation.lines.all(), quantities, strict=False)
        if q
    ]
    return shipping.send_batch(donation=donation, sent_on=sent_on, lines=lines, by=by, **extra)


def receive(batch, by, arrived_on, *received):
    """``received``: (accepted, rejected, reason) per batch line, in order; default all accepted."""
    rows = list(batch.lines.all())
    given = received or [(row.units, 0, "") for row in rows]
    return shipping.receive_batch(
        batch=batch,
        arrived_on=arrived_on,
        lines=[
            shipping.ReceivedIn(line=row.pk, accepted=a, rejected=r, reason=why)
            for row, (a, r, why) in zip(rows, given, strict=True)
        ],
        by=by,
    )
