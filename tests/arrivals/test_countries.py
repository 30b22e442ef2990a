"""Nationality, places and the mainland travel permits in the declaration (issue 13): a
resident of Hong Kong, Macao or Taiwan declares Chinese nationality with their own permit, and
their region is a place they travel from, named as a region of China."""

import importlib
import json
import re
import uuid

import pytest
from django.apps import apps

from liaison.arrivals import services
from liaison.arrivals.models import Arrival, DeclarationRevision, DocumentType, Source
from tests.arrivals.conftest import valid_payload
from tests.arrivals.test_pages import form_data

pytestmark = pytest.mark.django_db
API = "/api/v1/declarations"


def hong_kong_resident(**changes) -> dict:
    """A Hong Kong resident on their 港澳居民来往内地通行证, coming from Hong Kong."""
    body = valid_payload(
        surname_native="陳",
        given_names_native="大文",
        surname_latin="CHAN",
        given_names_latin="TAI MAN",
        nationality="CN",
        document_type="mainland_travel_permit_hk_mo",
        document_number="H12345678",
        phone="+852 9123 4567",
        language="zh-hant",
        flight_number="CX 382",
    )
    body["history"][0].update(country="HK", city="Hong Kong")
    body.update(changes)
    return body


def post(client, body, language="en"):
    return client.post(
        API,
        data=json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )


def stored() -> tuple[int, int]:
    return Arrival.objects.count(), DeclarationRevision.objects.count()


def options(html: str, name: str) -> dict[str, str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select))


def test_the_form_offers_the_regions_as_places_not_as_nationalities(client, city):
    html = client.get("/declare/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    nationality = options(html, "nationality")
    place = options(html, "history-0-country")
    assert nationality["CN"] == "中国" and nationality["NP"] == "尼泊尔"
    assert not {"TW", "HK", "MO"} & set(nationality)
    assert (place["TW"], place["HK"], place["MO"]) == ("中国台湾", "中国香港", "中国澳门")
    # In pinyin order: Albania first, China after Chile.
    codes = [code for code in place if code]
    assert codes[0] == "AL" and codes.index("CL") < codes.index("CN") < codes.index("HK")
    document = options(html, "document_type")
    assert document["mainland_travel_permit_hk_mo"] == "港澳居民来往内地通行证"
    assert document["mainland_travel_permit_tw"] == "台湾居民来往大陆通行证"
    assert "travel_permit" not in document


@pytest.mark.parametrize(
    ("language", "hk_mo", "hong_kong"),
    [
        ("en", "Mainland Travel Permit for Hong Kong and Macao Residents", "Hong Kong SAR, China"),
        ("ja", "港澳居民来往内地通行証（香港・マカオ住民用）", "中国香港特別行政区"),
        (
            "ru",
            "Разрешение на въезд в материковый Китай для жителей Гонконга и Макао",
            "САР Гонконг, Китай",
        ),
    ],
)
def test_permits_and_regions_are_in_the_traveler_language(client, city, language, hk_mo, hong_kong):
    html = client.get("/declare/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert options(html, "document_type")["mainland_travel_permit_hk_mo"] == hk_mo
    assert options(html, "history-0-country")["HK"] == hong_kong


def test_a_hong_kong_resident_declares_through_the_form(client, city):
    response = client.post("/declare/", form_data(client, **hong_kong_resident()))
    assert response.status_code == 302, response.content.decode()
    arrival = Arrival.objects.get()
    assert arrival.nationality == "CN"
    assert arrival.document_type == DocumentType.MAINLAND_TRAVEL_PERMIT_HK_MO
    assert arrival.history[0]["country"] == "HK"


def test_a_hong_kong_resident_declares_through_the_api(client, city):
    response = post(client, hong_kong_resident())
    assert response.status_code == 201, response.content
    arrival = Arrival.objects.get()
    assert (arrival.nationality, arrival.document_type) == ("CN", "mainland_travel_permit_hk_mo")


def test_a_taiwan_resident_declares_on_their_permit(client, city):
    body = hong_kong_resident(document_type="mainland_travel_permit_tw", document_number="01234567")
    body["history"][0].update(country="TW", city="Taipei")
    assert post(client, body).status_code == 201
    assert Arrival.objects.get().document_type == DocumentType.MAINLAND_TRAVEL_PERMIT_TW


@pytest.mark.parametrize("region", ["HK", "MO", "TW"])
def test_a_region_as_nationality_is_refused_with_what_to_choose(client, city, region):
    response = post(client, hong_kong_resident(nationality=region))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors == [
        {
            "field": "nationality",
            "message": "Taiwan, Hong Kong and Macao are regions of China: choose China as the "
            "nationality and, as the travel document, the Mainland Travel Permit of your region.",
        }
    ]
    assert stored() == (0, 0)


def test_the_refusal_is_in_the_traveler_language_on_the_form(client, city):
    data = form_data(client, **hong_kong_resident(nationality="HK"))
    response = client.post("/declare/", data, HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert response.status_code == 400
    assert "國籍請選擇「中國」" in response.content.decode()
    assert stored() == (0, 0)


def test_a_permit_with_another_nationality_is_refused(client, city):
    response = post(client, hong_kong_resident(nationality="GB"))
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "nationality",
            "message": "A Mainland Travel Permit is held by Chinese nationals only: choose China "
            "as the nationality.",
        }
    ]
    assert stored() == (0, 0)


def test_the_old_vague_permit_is_no_longer_accepted(client, city):
    response = post(client, hong_kong_resident(document_type="travel_permit"))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "document_type"
    assert stored() == (0, 0)


def test_the_api_schema_lists_the_two_permits(client):
    schema = client.get("/api/v1/openapi.json").json()
    text = json.dumps(schema)
    assert "mainland_travel_permit_hk_mo" in text and "mainland_travel_permit_tw" in text
    assert '"travel_permit"' not in text


def test_the_desk_cannot_enter_a_region_as_nationality(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    data = form_data(client, "/arrivals/declare/", **hong_kong_resident(nationality="MO"))
    response = client.post("/arrivals/declare/", data)
    assert response.status_code == 400
    assert "国籍请选择“中国”" in response.content.decode()
    assert stored() == (0, 0)


def test_the_staff_page_names_the_places_in_the_officers_language(airport_desk_officer, signed_in):
    with_history = hong_kong_resident()
    with_history["history"].append(dict(with_history["history"][0], country="NP", city="Kathmandu"))
    arrival = services.declare(data=with_history, source=Source.API).arrival
    client = signed_in(airport_desk_officer)
    html = client.get(f"/arrivals/{arrival.pk}/").content.decode()
    assert "中国香港 Hong Kong" in html and "尼泊尔 Kathmandu" in html
    assert "港澳居民来往内地通行证 H12345678" in html


def test_the_data_migration_splits_the_old_permit(city):
    one = services.declare(data=hong_kong_resident(), source=Source.API).arrival
    body = hong_kong_resident(document_number="01234567", flight_number="CI 551")
    two = services.declare(data=body, source=Source.API).arrival
    body = hong_kong_resident(document_number="T98765432", flight_number="BR 751")
    three = services.declare(data=body, source=Source.API).arrival
    Arrival.objects.filter(pk=one.pk).update(document_type="travel_permit", nationality="HK")
    Arrival.objects.filter(pk=two.pk).update(document_type="travel_permit")
    Arrival.objects.filter(pk=three.pk).update(document_type="travel_permit", nationality="TW")

    migration = importlib.import_module("liaison.arrivals.migrations.0005_document_types")
    migration.to_two_permits(apps, None)

    rows = dict(Arrival.objects.values_list("pk", "document_type"))
    assert rows[one.pk] == "mainland_travel_permit_hk_mo"  # H… is Hong Kong's and Macao's
    assert rows[two.pk] == "mainland_travel_permit_tw"  # eight digits: Taiwan's
    assert rows[three.pk] == "mainland_travel_permit_tw"  # recorded as from Taiwan
    assert set(Arrival.objects.values_list("nationality", flat=True)) == {"CN"}
