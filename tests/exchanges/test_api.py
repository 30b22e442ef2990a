"""The exchanges API: the same services and rules as the pages, one error shape."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from liaison.contacts.models import Commitment
from liaison.exchanges.models import Conference, Material, Question
from tests.exchanges.conftest import ARMENIAN_DEPUTY, PNG_BYTES, pdf_upload

pytestmark = pytest.mark.django_db
BASE = "/api/v1/exchanges/conferences"


def body(directory, **changes) -> dict:
    people, orgs = directory["people"], directory["orgs"]
    data = {
        "title_zh": "重庆市与亚美尼亚专家视频会议",
        "title_en": "Video conference with Armenia",
        "starts_at": "2020-03-24T15:00:00+08:00",
        "ends_at": "2020-03-24T18:00:00+08:00",
        "platform": "ministry",
        "arranged_by": orgs["mfa"].pk,
        "countries": [{"country": "AM"}],
        "participants": [
            {"side": "ours", "role": "expert", "person": people["expert_1"].pk},
            {"side": "theirs", "role": "official", "person": people["deputy_am"].pk},
        ],
        "agenda": [{"title_en": "Treatment", "presenter": people["expert_1"].pk, "minutes": 30}],
    }
    data.update(changes)
    return data


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_plan_read_list_and_finalize(directory, exchange_officer, signed_in):
    client = signed_in(exchange_officer)
    created = post(client, BASE, body(directory))
    assert created.status_code == 201, created.content
    conference = created.json()
    assert conference["participants"][1]["name_native"] == ARMENIAN_DEPUTY
    zones = {t["time_zone"]: t["starts_at"] for t in conference["times"]}
    assert zones["Asia/Yerevan"].startswith("2020-03-24T11:00:00+04:00")

    url = f"{BASE}/{conference['id']}"
    people = directory["people"]
    question = post(
        client,
        f"{url}/questions",
        {
            "asked_by": people["deputy_am"].pk,
            "question_en": "How are mild cases treated?",
            "answered_by": people["expert_1"].pk,
            "answer_en": "In designated hospitals.",
        },
    )
    assert question.status_code == 201, question.content
    material = client.post(
        f"{url}/materials",
        {"file": pdf_upload(), "title": "Plan", "language": "ru", "visibility": "counterparts"},
    )
    assert material.status_code == 201, material.content
    assert material.json()["content_type"] == "application/pdf"
    follow_up = post(
        client,
        f"{url}/follow-ups",
        {
            "side": "theirs",
            "description": "Send the number of cases each week",
            "due_on": str(timezone.localdate() + timedelta(days=7)),
            "owner_person_id": people["deputy_am"].pk,
        },
    )
    assert follow_up.status_code == 201, follow_up.content
    assert Commitment.objects.get().source_id == conference["id"]

    assert [c["id"] for c in client.get(f"{BASE}?when=past").json()] == [conference["id"]]
    assert client.get(f"{BASE}?when=upcoming").json() == []
    # Ended on 24 March 2020 (office days): in a range that holds the day, not in one after it.
    held = {"ended_from": "2020-03-24", "ended_until": "2020-03-24"}
    assert [c["id"] for c in client.get(BASE, held).json()] == [conference["id"]]
    assert client.get(BASE, {"ended_from": "2020-03-25"}).json() == []
    assert client.get(BASE, {"ended_until": "2020-03-23"}).json() == []
    assert client.get(BASE, {"ended_from": "2020-02-30"}).status_code == 400
    page = client.get("/exchanges/", {"when": "past", **held})
    assert [c.pk for c in page.context["conferences"]] == [conference["id"]]
    assert client.get("/exchanges/", {"ended_until": "someday"}).status_code == 400
    finalized = post(client, f"{url}/finalize", {})
    assert finalized.status_code == 200 and finalized.json()["status"] == "finalized"
    detail = client.get(url).json()
    assert len(detail["questions"]) == 1 and len(detail["materials"]) == 1
    assert detail["follow_ups"][0]["description"] == "Send the number of cases each week"


def test_finalized_minutes_edited_is_a_409_and_nothing_changes(
    directory, exchange_officer, signed_in
):
    client = signed_in(exchange_officer)
    conference = post(client, BASE, body(directory)).json()
    url = f"{BASE}/{conference['id']}"
    assert post(client, f"{url}/finalize", {}).status_code == 200
    revised = client.put(
        url, json.dumps(body(directory, platform="zoom")), content_type="application/json"
    )
    assert revised.status_code == 409
    [error] = revised.json()["errors"]
    assert "定稿，不能再修改" in error["message"]  # in the office's language
    asked = post(
        client,
        f"{url}/questions",
        {"asked_by": directory["people"]["deputy_am"].pk, "question_en": "?"},
    )
    assert asked.status_code == 409
    shared = client.post(
        f"{url}/materials",
        {"file": pdf_upload(), "title": "Late", "language": "en", "visibility": "public"},
    )
    assert shared.status_code == 409
    assert Conference.objects.get().platform == "ministry"
    assert not Question.objects.exists() and not Material.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": "2020-03-24T14:00:00+08:00"}, "ends_at"),
        ({"ends_at": "2020-03-24T18:00:00"}, "ends_at"),  # no time zone
        ({"arranged_by": 987654}, "arranged_by"),
        (
            {
                "participants": [
                    {
                        "side": "theirs",
                        "role": "expert",
                        "organization": 987654,
                        "name_latin": "Nobody",
                    }
                ]
            },
            "participants",
        ),
        ({"countries": [{"country": "AM", "time_zone": "Mars/Olympus"}]}, "countries"),
    ],
    ids=["end-before-start", "naive-time", "unknown-arranger", "unknown-organization", "bad-zone"],
)
def test_a_bad_plan_is_a_400_in_the_error_shape(
    directory, exchange_officer, signed_in, change, field
):
    response = post(signed_in(exchange_officer), BASE, body(directory, **change))
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == field
    assert not Conference.objects.exists()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("plan.pdf", PNG_BYTES),
        SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + b"\x00" * 60),
    ],
    ids=["png-as-pdf", "exe"],
)
def test_a_material_that_is_not_what_its_name_says_is_a_400(
    conference, exchange_officer, signed_in, upload
):
    response = signed_in(exchange_officer).post(
        f"{BASE}/{conference.pk}/materials",
        {"file": upload, "title": "Plan", "language": "en", "visibility": "public"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"
    assert not Material.objects.exists()


def test_an_oversized_material_is_a_400(conference, exchange_officer, signed_in, settings):
    settings.LIAISON_EXCHANGES_MATERIAL_MAX_BYTES = 10
    response = signed_in(exchange_officer).post(
        f"{BASE}/{conference.pk}/materials",
        {"file": pdf_upload(), "title": "Plan", "language": "en", "visibility": "public"},
    )
    assert response.status_code == 400 and not Material.objects.exists()


def test_leadership_reads_and_other_desks_are_refused(
    conference, directory, leader, liaison_officer, signed_in
):
    reader = signed_in(leader)
    assert reader.get(BASE).status_code == 200
    assert reader.get(f"{BASE}/{conference.pk}").status_code == 200
    assert post(reader, BASE, body(directory)).status_code == 403
    assert post(reader, f"{BASE}/{conference.pk}/finalize", {}).status_code == 403
    outsider = signed_in(liaison_officer)
    assert outsider.get(BASE).status_code == 403
    assert outsider.get(f"{BASE}/{conference.pk}/minutes.pdf").status_code == 403
    assert Conference.objects.count() == 1


def test_malformed_parameters_are_4xx(conference, directory, exchange_officer, signed_in):
    client = signed_in(exchange_officer)
    assert client.get(f"{BASE}?when=tomorrow").status_code == 400
    assert client.get(f"{BASE}/0").status_code == 400
    assert client.get(f"{BASE}/999999").status_code == 404
    year_one = post(client, BASE, body(directory, starts_at="0001-01-01T00:00:00+00:00"))
    assert year_one.status_code == 400 and Conference.objects.count() == 1


def test_a_title_too_long_is_a_400_on_both_databases(directory, exchange_officer, signed_in):
    response = post(signed_in(exchange_officer), BASE, body(directory, title_en="x" * 301))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "title_en"
    assert not Conference.objects.exists()
