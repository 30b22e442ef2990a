"""The aid desk's API: the same services and rules as the pages, the one error shape, and the
issue's bad-input list answered 4xx with nothing written."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liaison.aid.models import Batch, Certificate, Donation, Lot
from liaison.core.models import Jurisdiction, Site
from tests.aid.conftest import item

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def post(client, path, body):
    """In English: an API client's messages follow its Accept-Language (the office's is zh-hans)."""
    return client.post(
        path, json.dumps(body), content_type="application/json", headers={"accept-language": "en"}
    )


def _donation(client, donor, recipient, *lines, **extra):
    body = {
        "donor_id": donor.pk,
        "recipient_id": recipient.pk,
        "occasion": "COVID-19, spring 2020",
        "pledged_on": "2020-03-19",
        "lines": [{"item_id": item(code).pk, "quantity": q, "unit": u} for code, q, u in lines],
        **extra,
    }
    return post(client, "/api/v1/aid/donations", body)


def test_an_inbound_donation_from_pledge_to_allocation(
    signed_in, aid_officer, dusseldorf, city_government
):
    client = signed_in(aid_officer)
    created = _donation(
        client,
        dusseldorf,
        city_government,
        ("N95", 50, "box"),
        estimated_value="1200.50",
        currency="EUR",
        donor_may_be_named=True,
    )
    assert created.status_code == 201, created.content
    donation = created.json()
    assert (donation["direction"], donation["status"], donation["country"]) == (
        "inbound",
        "pledged",
        "DE",
    )
    assert donation["lines"][0]["units"] == 1000  # 50 boxes of 20
    path = f"/api/v1/aid/donations/{donation['id']}"
    assert post(client, f"{path}/moves", {"to": "committed"}).status_code == 200
    line = donation["lines"][0]["id"]
    sent = post(
        client,
        f"{path}/batches",
        {
            "sent_on": "2020-03-20",
            "waybill": "LH-8421",
            "lines": [{"line_id": line, "quantity": 1000}],
        },
    )
    assert sent.status_code == 201, sent.content
    batch = sent.json()["batches"][0]
    assert sent.json()["status"] == "shipped"
    received = post(
        client,
        f"{path}/batches/1/receipt",
        {
            "arrived_on": "2020-03-24",
            "lines": [
                {
                    "batch_line_id": batch["lines"][0]["id"],
                    "accepted": 980,
                    "rejected": 20,
                    "reason": "Cartons crushed",
                }
            ],
        },
    )
    assert received.status_code == 200, received.content
    assert received.json()["status"] == "delivered"
    hospital = Site.objects.get(code="HOSP-PHMC")
    allocated = post(
        client,
        f"{path}/allocations",
        {"line_id": line, "units": 980, "site_id": hospital.pk, "allocated_on": "2020-03-25"},
    )
    assert allocated.status_code == 201, allocated.content
    (ledger,) = allocated.json()["ledger"]
    assert (ledger["accepted"], ledger["rejected"], ledger["allocated"], ledger["remaining"]) == (
        980,
        20,
        980,
        0,
    )
    listed = client.get("/api/v1/aid/donations?direction=inbound&country=DE").json()
    assert [d["id"] for d in listed] == [donation["id"]]
    assert client.get("/api/v1/aid/donations?direction=outbound").json() == []
    detail = client.get(path, headers={"accept-language": "en"}).json()
    assert [e["code"] for e in detail["events"]] == [
        "recorded",
        "moved",
        "batch_sent",
        "moved",
        "batch_received",
        "moved",
        "allocated",
    ]
    assert detail["events"][-1]["text"] == (
        "980 units of N95 respirator allocated to Chongqing Public Health Medical Center"
    )


@pytest.mark.parametrize(
    ("quantity", "unit"),
    [(-5, ""), (1.5, ""), ("1.5", ""), (0, ""), (10, "pair")],
)
def test_bad_quantities_are_400_and_nothing_written(
    signed_in, aid_officer, city_government, italy, quantity, unit
):
    response = _donation(signed_in(aid_officer), city_government, italy, ("FFP2", quantity, unit))
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"].startswith("lines.0.")
    assert not Donation.objects.exists()


def test_an_unknown_donor_is_400(signed_in, aid_officer, city_government):
    client = signed_in(aid_officer)
    body = {
        "donor_id": 987654,
        "recipient_id": city_government.pk,
        "occasion": "x",
        "pledged_on": "2020-03-19",
        "lines": [{"item_id": item("N95").pk, "quantity": 1}],
    }
    response = post(client, "/api/v1/aid/donations", body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "donor"
    assert not Donation.objects.exists()


def _shipped(client, donor, recipient, units=100):
    donation = _donation(client, donor, recipient, ("N95", units, "")).json()
    path = f"/api/v1/aid/donations/{donation['id']}"
    post(client, f"{path}/moves", {"to": "committed"})
    sent = post(
        client,
        f"{path}/batches",
        {
            "sent_on": "2020-03-20",
            "lines": [{"line_id": donation["lines"][0]["id"], "quantity": units}],
        },
    ).json()
    return path, sent["batches"][0]["lines"][0]["id"], donation["lines"][0]["id"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"arrived_on": "2020-03-19", "accepted": 100}, "arrived_on"),
        ({"arrived_on": "2020-03-24", "accepted": 120}, "lines.0.accepted"),
        (
            {"arrived_on": "2020-03-24", "accepted": 90, "rejected": 5, "reason": "Wet"},
            "lines.0.rejected",
        ),
        ({"arrived_on": "2020-03-24", "accepted": 90, "rejected": 10}, "lines.0.reason"),
    ],
)
def test_bad_receipts_are_400_and_nothing_written(
    signed_in, aid_officer, dusseldorf, city_government, body, field
):
    client = signed_in(aid_officer)
    path, batch_line, _line = _shipped(client, dusseldorf, city_government)
    arrived = body.pop("arrived_on")
    response = post(
        client,
        f"{path}/batches/1/receipt",
        {"arrived_on": arrived, "lines": [{"batch_line_id": batch_line, **body}]},
    )
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == field
    assert Batch.objects.get().arrived_on is None


def test_allocation_above_stock_is_400(signed_in, aid_officer, dusseldorf, city_government):
    client = signed_in(aid_officer)
    path, batch_line, line = _shipped(client, dusseldorf, city_government)
    post(
        client,
        f"{path}/batches/1/receipt",
        {"arrived_on": "2020-03-24", "lines": [{"batch_line_id": batch_line, "accepted": 100}]},
    )
    yubei = Jurisdiction.objects.get(code="500112")
    response = post(
        client,
        f"{path}/allocations",
        {"line_id": line, "units": 101, "jurisdiction_id": yubei.pk, "allocated_on": "2020-03-25"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "units",
        "message": "Only 100 units of N95 respirator remain in stock.",
    }


def test_a_move_the_table_does_not_allow_is_409(signed_in, aid_officer, city_government, italy):
    client = signed_in(aid_officer)
    donation = _donation(client, city_government, italy, ("FFP2", 10, "")).json()
    response = post(client, f"/api/v1/aid/donations/{donation['id']}/moves", {"to": "acknowledged"})
    assert response.status_code == 409


def test_certificates_are_pdfs_or_images(signed_in, aid_officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = signed_in(aid_officer)
    lot = post(client, "/api/v1/aid/lots", {"item_id": item("KF94").pk, "number": "KF-2003-17"})
    assert lot.status_code == 201, lot.content
    path = f"/api/v1/aid/lots/{lot.json()['id']}/certificates"
    refused = client.post(
        path, {"kind": "mfds", "file": SimpleUploadedFile("cert.pdf", b"MZ\x90\x00not a pdf")}
    )
    assert refused.status_code == 400, refused.content
    assert refused.json()["errors"][0]["field"] == "file"
    renamed = client.post(
        path, {"kind": "mfds", "file": SimpleUploadedFile("cert.docx", b"PK\x03\x04xx")}
    )
    assert renamed.status_code == 400
    assert not Certificate.objects.exists()
    accepted = client.post(
        path, {"kind": "mfds", "number": "MFDS-20-113", "file": SimpleUploadedFile("cert.pdf", PDF)}
    )
    assert accepted.status_code == 201, accepted.content
    (certificate,) = accepted.json()["certificates"]
    assert (certificate["content_type"], certificate["number"]) == (
        "application/pdf",
        "MFDS-20-113",
    )
    assert Lot.objects.get().certificates.count() == 1


def test_the_catalogue_shows_the_equivalences(signed_in, director_general):
    items = {i["code"]: i for i in signed_in(director_general).get("/api/v1/aid/items").json()}
    assert sorted(items["FFP2"]["equivalents"]) == ["KF94", "KN95", "N95"]
    assert items["SURGICAL-YY0469"]["equivalents"] == []
    assert items["GLOVES-NITRILE"]["unit"] == "pair"
    assert {"unit": "box", "units": 20} in items["N95"]["packs"]
