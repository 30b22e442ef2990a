"""POST /api/v1/declarations: the form's validation over HTTP, idempotent, never a 500."""

import json
import secrets
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.arrivals.models import Arrival, DeclarationRevision, IdempotencyRecord
from tests.arrivals.conftest import passport_zone, valid_payload

pytestmark = pytest.mark.django_db
URL = "/api/v1/declarations"


def post(client, body, *, key=None, language="en", raw=None, content_type="application/json"):
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    if key is not False:
        headers["HTTP_IDEMPOTENCY_KEY"] = key or str(uuid.uuid4())
    data = raw if raw is not None else json.dumps(body)
    return client.post(URL, data=data, content_type=content_type, **headers)


def stored():
    return (
        Arrival.objects.count(),
        DeclarationRevision.objects.count(),
        IdempotencyRecord.objects.count(),
    )


def test_a_valid_declaration_is_created(client, city):
    response = post(client, valid_payload())
    assert response.status_code == 201, response.content
    body = response.json()
    arrival = Arrival.objects.get()
    assert body["code"] == arrival.code and body["state"] == "declared" and body["version"] == 1
    assert body["status_url"].endswith(f"/declare/status/{arrival.status_token}/")
    assert client.get(body["qr_svg_url"]).status_code == 200


def test_the_private_links_are_the_paths_django_reverses():
    """The answer's links are built from paths reversed once (api._private_paths)."""
    from django.urls import reverse, set_script_prefix

    from liaison.arrivals.api import _private_paths

    def reversed_each(token):
        return [reverse("declare:status", args=[token]), reverse("declare:qr", args=[token])]

    for prefix in ("/", "/liaison/"):
        set_script_prefix(prefix)
        try:
            # A token as the app makes them, and one that needs quoting (not built by hand).
            for token in (secrets.token_urlsafe(24), "Ab_9-z", "a b~ü?"):
                assert _private_paths(token) == reversed_each(token), (prefix, token)
            assert _private_paths("T0k3n")[0].startswith(prefix)
        finally:
            set_script_prefix("/")


def test_a_retry_returns_the_first_answer_and_creates_nothing(client, city):
    first = post(client, valid_payload(), key="retry-key-1")
    before = stored()
    again = post(client, valid_payload(), key="retry-key-1")
    assert again.status_code == first.status_code == 201
    assert again.json() == first.json()
    assert stored() == before


def test_the_same_key_with_another_body_is_refused(client, city):
    post(client, valid_payload(), key="reused-key-1")
    before = stored()
    response = post(client, valid_payload(seat="2C"), key="reused-key-1")
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert stored() == before


def test_the_traveler_amends_with_the_token_of_their_status_link(client, city):
    one = post(client, valid_payload()).json()
    token = one["status_url"].rstrip("/").rsplit("/", 1)[1]
    two = post(client, valid_payload(address="Hotel B", status_token=token)).json()
    assert one["code"] == two["code"] and two["version"] == 2
    assert stored()[:2] == (1, 2)
    assert Arrival.objects.get().address == "Hotel B"


def test_the_same_document_again_without_the_token_is_held_for_the_desk(client, city):
    one = post(client, valid_payload()).json()
    response = post(client, valid_payload(address="Hotel B"))
    assert response.status_code == 202, response.content
    body = response.json()
    assert set(body) == {"reference", "display_reference", "state", "message"}
    assert one["code"] not in response.content.decode()
    assert stored()[:2] == (1, 1)
    assert Arrival.objects.get().address == "渝北区 1 号"


def test_errors_come_in_the_accept_language_language(client, city):
    body = valid_payload(date_of_birth="2999-01-01")
    for language, words in [
        ("ko", "미래"),
        ("fa", "آینده"),
        ("zh-hans", "不能晚于今天"),
        ("de", "Zukunft"),
    ]:
        response = post(client, body, language=language)
        assert response.status_code == 400
        (error,) = response.json()["errors"]
        assert error["field"] == "date_of_birth"
        assert words in error["message"], (language, error["message"])


def test_script_and_sql_in_native_names_are_stored_as_text(client, city):
    script = "<script>alert(1)</script>"
    sql = "Robert'); DROP TABLE arrivals_arrival;--"
    response = post(client, valid_payload(surname_native=script, given_names_native=sql))
    assert response.status_code == 201
    arrival = Arrival.objects.get()
    assert (arrival.surname_native, arrival.given_names_native) == (script, sql)
    page = client.get(response.json()["status_url"]).content.decode()
    assert script not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_names_in_any_script_are_kept_exactly(client, city):
    for index, native in enumerate(["محمدی", "Иванова", "山田", "Ελένη", "O'Brien-Łukasz"]):
        response = post(
            client, valid_payload(surname_native=native, document_number=f"X{index}23456")
        )
        assert response.status_code == 201
    assert sorted(Arrival.objects.values_list("surname_native", flat=True)) == sorted(
        ["محمدی", "Иванова", "山田", "Ελένη", "O'Brien-Łukasz"]
    )


def test_a_passport_zone_fills_identity(client, city):
    body = valid_payload(mrz=passport_zone())
    for name in ("surname_latin", "given_names_latin", "sex", "date_of_birth", "nationality"):
        body.pop(name)
    response = post(client, body)
    assert response.status_code == 201, response.content
    arrival = Arrival.objects.get()
    assert (arrival.surname_latin, arrival.nationality.code, arrival.sex) == ("KIM", "KR", "M")
    assert arrival.date_of_birth.isoformat() == "1990-01-31"


def test_the_openapi_schema_documents_the_operation(client, city):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/declarations"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert "history" in body["properties"] and "surname_latin" in body["required"]
    assert any(p["name"] == "Idempotency-Key" for p in operation["parameters"])
    assert operation.get("security") in (None, [], [{}]) or operation["security"] == []


def test_interactive_docs_are_for_staff_only(client, administrator, signed_in):
    assert client.get("/api/v1/docs").status_code in (302, 403)
    response = signed_in(administrator).get("/api/v1/docs")
    assert response.status_code == 200


def test_rate_limited_per_client_address(client, city, settings):
    settings.LIAISON_DECLARATION_RATE = "3/min"
    codes = [
        post(client, valid_payload(document_number=f"R{i}234567")).status_code for i in range(4)
    ]
    assert codes == [201, 201, 201, 429]
    refused = client.post(
        URL,
        json.dumps(valid_payload(document_number="R8234567")),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    (error,) = refused.json()["errors"]
    assert error["field"] == "" and "초" in error["message"]  # seconds, in Korean
    other = client.post(
        URL,
        json.dumps(valid_payload(document_number="R9234567")),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 201


# --- Bad input: each a 4xx with a message naming the field, and nothing stored -----------------

TODAY = timezone.localdate()


def _days(n):
    return (TODAY + timedelta(days=n)).isoformat()


def _without(name):
    body = valid_payload()
    body.pop(name)
    return body


def _history(**row):
    base = {"country": "KR", "city": "Seoul", "date_from": _days(-5), "date_to": _days(0)}
    return valid_payload(history=[{**base, **row}])


BAD_BODIES = {
    "surname as a number": (valid_payload(surname_latin=123), "surname_latin"),
    "consent as a string": (valid_payload(consent="yes"), "consent"),
    "contact as a number": (valid_payload(contact_with_cases=1), "contact_with_cases"),
    "symptoms as a string": (valid_payload(symptoms="cough"), "symptoms"),
    "history as an object": (valid_payload(history={"country": "KR"}), "history"),
    "history row as a list": (valid_payload(history=[["KR"]]), "history"),
    "history date as a number": (_history(date_from=20200301), "history[0].date_from"),
    "missing surname": (_without("surname_latin"), "surname_latin"),
    "missing date of birth": (_without("date_of_birth"), "date_of_birth"),
    "missing nationality": (_without("nationality"), "nationality"),
    "missing document number": (_without("document_number"), "document_number"),
    "missing phone": (_without("phone"), "phone"),
    "missing flight": (_without("flight_number"), "flight_number"),
    "missing arrival date": (_without("arrival_date"), "arrival_date"),
    "missing history": (_without("history"), "history"),
    "missing consent": (_without("consent"), "consent"),
    "consent refused": (valid_payload(consent=False), "consent"),
    "missing contact answer": (_without("contact_with_cases"), "contact_with_cases"),
    "unknown country": (valid_payload(nationality="XX"), "nationality"),
    "lower-case country": (valid_payload(nationality="kr"), "nationality"),
    "unknown history country": (_history(country="ZZ"), "history[0].country"),
    "unknown jurisdiction": (valid_payload(jurisdiction="999999"), "jurisdiction"),
    "city stay without jurisdiction": (valid_payload(jurisdiction=""), "jurisdiction"),
    "city stay without address": (valid_payload(address=""), "address"),
    "onward without destination": (
        valid_payload(destination_kind="onward", jurisdiction=""),
        "onward_destination",
    ),
    "birth date in the future": (valid_payload(date_of_birth=_days(1)), "date_of_birth"),
    "birth date not a date": (valid_payload(date_of_birth="31/31/1990"), "date_of_birth"),
    "arrival a year away": (valid_payload(arrival_date=_days(365)), "arrival_date"),
    "arrival a month ago": (valid_payload(arrival_date=_days(-30)), "arrival_date"),
    "history row of 30 days ago": (_history(date_from=_days(-30)), "history[0].date_from"),
    "history row after arrival": (_history(date_to=_days(1)), "history[0].date_to"),
    "history from after to": (
        _history(date_from=_days(-2), date_to=_days(-4)),
        "history[0].date_to",
    ),
    "500 history rows": (
        valid_payload(
            history=[{"country": "KR", "date_from": _days(-1), "date_to": _days(0)}] * 500
        ),
        "history",
    ),
    "transit a month ago": (
        valid_payload(transits=[{"country": "JP", "on": _days(-30)}]),
        "transits[0].on",
    ),
    "wrong MRZ check digit": (
        valid_payload(mrz=passport_zone().replace("M123456788", "M123456780")),
        "mrz",
    ),
    "MRZ of one line": (valid_payload(mrz="P<KORKIM<<MINJUN"), "mrz"),
    "document differs from MRZ": (
        valid_payload(mrz=passport_zone(), document_number="M99999999"),
        "document_number",
    ),
    "phone of letters": (valid_payload(phone="call me maybe"), "phone"),
    "phone too short": (valid_payload(phone="+82 12"), "phone"),
    "document number with symbols": (valid_payload(document_number="<M123>"), "document_number"),
    "passport number too long": (valid_payload(document_number="M1234567890"), "document_number"),
    "latin name in another script": (valid_payload(surname_latin="김"), "surname_latin"),
    "script tag as latin name": (
        valid_payload(surname_latin="<script>alert(1)</script>"),
        "surname_latin",
    ),
    "control character in a name": (valid_payload(surname_native="Kim\x07"), "surname_native"),
    "NUL byte in a name": (valid_payload(surname_native="Kim\x00"), "surname_native"),
    "flight number of words": (valid_payload(flight_number="the blue plane"), "flight_number"),
    "seat of words": (valid_payload(seat="window"), "seat"),
    "unknown category": (valid_payload(category="astronaut"), "category"),
    "diplomat without accreditation": (valid_payload(category="diplomat"), "accreditation_number"),
    "unknown symptom": (valid_payload(symptoms=["zombie"]), "symptoms"),
    "unknown language": (valid_payload(language="tlh"), "language"),
    "bad email": (valid_payload(email="not-an-email"), "email"),
    "injected field": (valid_payload(state="released"), "state"),
    "injected history field": (_history(risk="none"), "history[0].risk"),
    "surname of 10,000 characters": (valid_payload(surname_latin="A" * 10000), "surname_latin"),
}


@pytest.mark.parametrize(("body", "field"), BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_bad_body_is_refused_naming_the_field(client, city, body, field):
    response = post(client, body)
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert field in {e["field"] for e in errors}, errors
    assert all(e["message"] for e in errors)
    assert stored() == (0, 0, 0)


BAD_REQUESTS = {
    "not JSON": {"raw": "{not json", "expected": 400},
    "a JSON list": {"raw": "[1, 2]", "expected": 400},
    "a JSON string": {"raw": '"hello"', "expected": 400},
    "invalid UTF-8": {"raw": b'{"surname_latin": "\xff\xfe"}', "expected": 400},
    "empty body": {"raw": "", "expected": 400},
    "a 2 MB body": {"raw": json.dumps(valid_payload(purpose="x" * 2_000_000)), "expected": 413},
    "form-encoded": {"raw": "surname_latin=KIM", "expected": 415, "content_type": "text/plain"},
}


@pytest.mark.parametrize("case", BAD_REQUESTS.values(), ids=BAD_REQUESTS.keys())
def test_unusable_request_is_refused_with_a_message(client, city, case):
    response = post(
        client,
        None,
        raw=case["raw"],
        content_type=case.get("content_type", "application/json"),
    )
    assert response.status_code == case["expected"], response.content[:300]
    assert response.json()["errors"][0]["message"]
    assert stored() == (0, 0, 0)


@pytest.mark.parametrize("key", [False, "short", "has spaces in it", "x" * 101, "ключ-ключ-ключ"])
def test_a_missing_or_malformed_idempotency_key_is_refused(client, city, key):
    response = post(client, valid_payload(), key=key if key else False)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert stored() == (0, 0, 0)
