"""JSON the API cannot safely handle is a 400 with a message, never a 500, and changes nothing.

Every body goes through one reader (``liaison.core.input_guard``): the public declarations, the
laboratories' results and the operations whose body ninja parses (a batch's receipt by scan).
"""

from __future__ import annotations

import json
import uuid

import pytest

from liaison.arrivals.models import Arrival, IdempotencyRecord
from liaison.core import services as core_services
from liaison.core.input_guard import MAX_DEPTH, BadJson, load_json
from liaison.core.roles import Role
from liaison.screening.models import LabResult
from tests.arrivals.conftest import valid_payload
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

DEEP_LIST = "[" * 5000 + "]" * 5000
DEEP_OBJECT = '{"a":' * 5000 + "1" + "}" * 5000
JUST_TOO_DEEP = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)  # json parses it; we refuse it

MALFORMED = {
    "a list 5,000 deep": DEEP_LIST,
    "an object 5,000 deep": DEEP_OBJECT,
    "just past the depth": JUST_TOO_DEEP,
    "a lone surrogate": '{"barcode": "\\ud800", "surname_native": "\\udfff"}',
    "a surrogate as a key": '{"\\ud800": 1}',
    "a NUL in a text": '{"barcode": "T3\\u0000", "lab": "a\\u0000b"}',
    "NaN": '{"barcode": NaN}',
    "Infinity": '{"barcode": -Infinity}',
    "an integer past 64 bits": '{"barcode": 99999999999999999999999}',
    "an integer of 5,000 digits": '{"barcode": ' + "9" * 5000 + "}",
    "not UTF-8": b'{"barcode": "\xff\xfe"}',
    "not JSON": "{barcode",
}


def _body(value) -> bytes:
    return value if isinstance(value, bytes) else value.encode()


@pytest.mark.parametrize("text", MALFORMED.values(), ids=MALFORMED.keys())
def test_the_reader_refuses_with_a_message(text):
    with pytest.raises(BadJson) as refused:
        load_json(_body(text))
    assert refused.value.message


def test_the_reader_takes_ordinary_json():
    assert load_json(b'{"a": [1, {"b": "\\u00e9\\ud83d\\ude00"}], "c": -9223372036854775808}') == {
        "a": [1, {"b": "é😀"}],
        "c": -(2**63),
    }


@pytest.fixture
def lab_token(city):
    lab = make_user("json-lab", Role.LAB)
    _token, secret = core_services.create_api_token(name="lab", user=lab, created_by=None)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def receiving_token(city):
    """A district's receiving officer: the one role that may call ``receive``. Its body is read
    only once the role is let in (``@api_area``), so the malformed bodies reach the parser."""
    officer = make_user("json-receiving", Role.DISTRICT_RECEIVING)
    _token, secret = core_services.create_api_token(name="r", user=officer, created_by=None)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def dispatch_token(city):
    officer = make_user("json-dispatch", Role.DISPATCH)
    _token, secret = core_services.create_api_token(name="d", user=officer, created_by=None)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _declare(client, body: bytes):
    return client.post(
        "/api/v1/declarations",
        data=body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        HTTP_ACCEPT_LANGUAGE="en",
    )


def _assert_refused(response):
    assert response.status_code == 400, response.content[:300]
    errors = response.json()["errors"]
    assert errors and all(error["message"] for error in errors)


@pytest.mark.parametrize("text", MALFORMED.values(), ids=MALFORMED.keys())
def test_the_declarations_api_refuses_it(text, client, city):
    _assert_refused(_declare(client, _body(text)))
    assert not Arrival.objects.exists() and not IdempotencyRecord.objects.exists()


@pytest.mark.parametrize("text", MALFORMED.values(), ids=MALFORMED.keys())
def test_the_results_api_refuses_it(text, client, lab_token):
    response = client.post(
        "/api/v1/results", data=_body(text), content_type="application/json", **lab_token
    )
    _assert_refused(response)
    assert not LabResult.objects.exists()


@pytest.mark.parametrize("text", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_body_ninja_parses_is_refused_the_same_way(text, client, receiving_token):
    response = client.post(
        "/api/v1/handover/batches/1/receive",
        data=_body(text),
        content_type="application/json",
        **receiving_token,
    )
    _assert_refused(response)


def test_the_refusal_says_what_is_wrong(client, lab_token):
    lab_token = {**lab_token, "HTTP_ACCEPT_LANGUAGE": "en"}
    client.cookies["django_language"] = "en"
    response = client.post(
        "/api/v1/results", data=DEEP_LIST, content_type="application/json", **lab_token
    )
    assert "nested too deeply" in response.json()["errors"][0]["message"]
    response = client.post(
        "/api/v1/results",
        data='{"barcode": "\\ud800"}',
        content_type="application/json",
        **lab_token,
    )
    assert "surrogate" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    "moment",
    [
        "0001-01-01T00:00:00+08:00",
        "0001-01-01T00:00:00",
        "9999-12-31T23:59:59-12:00",
        "9999-12-31T23:59:59",
        "2020-13-45T10:00",
        "2020-03-20T25:61",
    ],
)
def test_a_result_time_at_the_calendars_ends_is_a_400(moment, client, lab_token):
    body = {"barcode": "T3-000001", "result": "negative", "tested_at": moment, "lab": "CDC"}
    response = client.post(
        "/api/v1/results", data=json.dumps(body), content_type="application/json", **lab_token
    )
    _assert_refused(response)
    assert response.json()["errors"][0]["field"] == "tested_at"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("date_of_birth", "0001-01-01"),
        ("date_of_birth", "9999-12-31"),
        ("arrival_date", "0001-01-01"),
        ("arrival_date", "9999-12-31"),
        ("onward_departure", "0001-01-01T00:00:00+08:00"),
        ("onward_departure", "9999-12-31T23:59:59-12:00"),
    ],
)
def test_a_declaration_with_dates_at_the_calendars_ends_is_a_400(field, value, client, city):
    _assert_refused(_declare(client, json.dumps(valid_payload(**{field: value})).encode()))
    assert not Arrival.objects.exists()


@pytest.mark.parametrize(
    "history",
    [
        [{"country": "KR", "date_from": "0001-01-01", "date_to": "9999-12-31"}],
        [{"country": "KR", "date_from": 1, "date_to": None}],
        "KR",
        [[[[]]]],
    ],
)
def test_a_declaration_with_a_malformed_history_is_a_400(history, client, city):
    _assert_refused(_declare(client, json.dumps(valid_payload(history=history)).encode()))
    assert not Arrival.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"barcode": 1, "result": [], "tested_at": {}, "lab": None},
        {"barcode": "T3-1", "result": "negative", "tested_at": 20200320, "lab": "CDC"},
        [],
        "text",
        None,
    ],
)
def test_wrong_types_are_a_400(body, client, lab_token, receiving_token):
    response = client.post(
        "/api/v1/results", data=json.dumps(body), content_type="application/json", **lab_token
    )
    _assert_refused(response)
    response = client.post(
        "/api/v1/handover/batches/1/receive",
        data=json.dumps(body),
        content_type="application/json",
        **receiving_token,
    )
    _assert_refused(response)
    _assert_refused(_declare(client, json.dumps(body).encode()))


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2020-13-45", "9" * 30])
def test_a_query_date_out_of_the_calendar_is_a_400(day, client, city):
    officer = make_user("json-board", Role.LEADERSHIP)
    _token, secret = core_services.create_api_token(name="b", user=officer, created_by=None)
    response = client.get(
        f"/api/v1/handover/board?day={day}", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    _assert_refused(response)


@pytest.mark.parametrize("batch", [0, -1, 2**63, 2**64, "9" * 30])
def test_a_path_id_beyond_64_bits_is_a_4xx(batch, client, dispatch_token):
    response = client.get(f"/api/v1/handover/batches/{batch}", **dispatch_token)
    assert 400 <= response.status_code < 500
    assert response.json()["errors"]


def test_a_body_past_the_size_limit_is_a_400_where_ninja_parses_it(
    client, receiving_token, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        "/api/v1/handover/batches/1/receive",
        data=json.dumps({"code": "x" * 5000}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **receiving_token,
    )
    _assert_refused(response)


def test_a_refused_value_is_named_by_its_place(client, city):
    body = valid_payload(surname_native="Kim\x00")
    body["history"][0]["city"] = "\ud800"
    response = _declare(client, json.dumps(body).encode())
    _assert_refused(response)
    assert response.json()["errors"][0]["field"] in {"surname_native", "history.0.city"}
    with pytest.raises(BadJson) as refused:
        load_json(b'{"a": [1, {"b": 99999999999999999999999}]}')
    assert refused.value.field == "a.1.b"
