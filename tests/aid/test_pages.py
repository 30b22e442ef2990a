"""The aid desk's pages, in Chinese and English: the queue with its filters and exports, a
donation's detail, the forms (no JavaScript: formsets), and bad input as a 400 changing nothing."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from liaison.aid.models import Allocation, Batch, Donation, DonationStatus
from liaison.core.models import AuditEntry, Site
from liaison.core.roles import Role
from tests.aid.conftest import committed, donate, item, receive, ship
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def page(client, path, language="en", **params):
    return client.get(path, params, headers={"accept-language": language})


def rows(client, **params) -> str:
    """The queue's table alone (the filters' lists name every organization)."""
    text = page(client, "/aid/", **params).content.decode()
    return text[text.index('data-testid="donations"') :]


@pytest.fixture
def italy_masks(aid_officer, city_government, italy):
    donation = donate(
        aid_officer, city_government, italy, ("FFP2", 4000, ""), ("SURGICAL-EN14683", 50000, "")
    )
    committed(donation, aid_officer)
    ship(donation, aid_officer, 2000, 30000, waybill="781-0001")
    return donation


@pytest.fixture
def dusseldorf_n95(aid_officer, dusseldorf, city_government):
    donation = donate(
        aid_officer, dusseldorf, city_government, ("N95", 1000, ""), on=date(2020, 3, 22)
    )
    committed(donation, aid_officer)
    receive(
        ship(donation, aid_officer, 1000, sent_on=date(2020, 3, 23)), aid_officer, date(2020, 3, 25)
    )
    return donation


def test_the_queue_filters_and_speaks_both_languages(
    signed_in, aid_officer, italy_masks, dusseldorf_n95
):
    client = signed_in(aid_officer)
    english = page(client, "/aid/")
    assert english.status_code == 200
    text = english.content.decode()
    assert "Government of Italy" in text and "Shipped in part" in text and "Düsseldorf" in text
    chinese = page(client, "/aid/", "zh-hans").content.decode()
    assert "意大利政府" in chinese and "部分发运" in chinese and "捐赠" in chinese
    only_in = rows(client, direction="inbound")
    assert "Düsseldorf" in only_in and "Government of Italy" not in only_in
    by_country = rows(client, country="IT")
    assert "Government of Italy" in by_country and "Düsseldorf" not in by_country
    by_item = rows(client, item=item("N95").pk)
    assert "Düsseldorf" in by_item and "Government of Italy" not in by_item
    by_days = rows(client, since="2020-03-20", until="2020-03-31")
    assert "Düsseldorf" in by_days and "Government of Italy" not in by_days
    assert AuditEntry.objects.filter(object_type="aid.donation", action="read").exists()


@pytest.mark.parametrize(
    "params",
    [
        {"status": "lost"},
        {"since": "yesterday"},
        {"item": "abc"},
        {"donor": "999999"},
        {"country": "XX"},
        {"format": "pdf"},
    ],
)
def test_a_bad_filter_is_a_400(signed_in, aid_officer, italy_masks, params):
    assert page(signed_in(aid_officer), "/aid/", **params).status_code == 400


def test_the_export_is_the_filtered_list_line_by_line(
    signed_in, aid_officer, italy_masks, dusseldorf_n95
):
    client = signed_in(aid_officer)
    response = page(client, "/aid/", direction="outbound", format="csv")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("No.,Direction,Status")
    assert len(lines) == 3  # the header and the two lines of the Italian donation
    assert ",FFP2 respirator,EN 149:2001+A1:2009 FFP2,4000,2000,0,0,0," in lines[1]
    workbook = page(client, "/aid/", format="xlsx")
    sheet = load_workbook(filename=io.BytesIO(workbook.content)).active
    assert sheet.max_row == 4  # header, two Italian lines, one from Düsseldorf
    assert AuditEntry.objects.filter(object_type="aid.donation", action="export").count() == 2


def test_the_detail_shows_items_batches_ledger_and_history(signed_in, aid_officer, dusseldorf_n95):
    client = signed_in(aid_officer)
    english = page(client, f"/aid/{dusseldorf_n95.pk}/").content.decode()
    assert "N95 respirator" in english and "NIOSH 42 CFR 84 N95" in english
    assert "Batch 1 received: 1000 units accepted, 0 rejected" in english
    assert "Pledged → Committed" in english
    chinese = page(client, f"/aid/{dusseldorf_n95.pk}/", "zh-hans").content.decode()
    assert "第 1 批已签收：接收 1000 个单位，拒收 0 个" in chinese
    assert "已承诺 → 已确认" in chinese and "台账" in chinese


def _new_donation(donor, recipient, quantity="10", unit=""):
    return {
        "donor": donor.pk,
        "recipient": recipient.pk,
        "occasion": "COVID-19",
        "pledged_on": "2020-03-19",
        "line-TOTAL_FORMS": "4",
        "line-INITIAL_FORMS": "0",
        "line-MIN_NUM_FORMS": "0",
        "line-MAX_NUM_FORMS": "50",
        "line-0-item": item("KF94").pk,
        "line-0-quantity": quantity,
        "line-0-unit": unit,
    }


def test_recording_a_donation_through_the_form(signed_in, aid_officer, city_government, iran):
    client = signed_in(aid_officer)
    assert page(client, "/aid/new/").status_code == 200
    response = client.post("/aid/new/", _new_donation(city_government, iran, "100", "box"))
    assert response.status_code == 302, response.content.decode()[:3000]
    donation = Donation.objects.get()
    assert [ln.units for ln in donation.lines.all()] == [5000]


@pytest.mark.parametrize(
    ("quantity", "unit", "message"),
    [
        ("-3", "", "Give a number of units: a whole number above zero."),
        ("2.5", "", "Units are counted whole: no fractions."),
        ("3", "pair", "KF94 mask is counted in piece; it has no pack of that kind."),
    ],
)
def test_a_bad_line_is_a_400_with_its_message(
    signed_in, aid_officer, city_government, iran, quantity, unit, message
):
    response = signed_in(aid_officer).post(
        "/aid/new/",
        _new_donation(city_government, iran, quantity, unit),
        headers={"accept-language": "en"},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Donation.objects.exists()


def test_sending_and_receiving_a_batch_through_the_forms(
    signed_in, aid_officer, dusseldorf, city_government
):
    donation = donate(aid_officer, dusseldorf, city_government, ("N95", 100, ""))
    committed(donation, aid_officer)
    client = signed_in(aid_officer)
    line = donation.lines.get()
    form = {
        "sent_on": "2020-03-20",
        "waybill": "LH-1",
        "ship-TOTAL_FORMS": "1",
        "ship-INITIAL_FORMS": "1",
        "ship-MIN_NUM_FORMS": "0",
        "ship-MAX_NUM_FORMS": "50",
        "ship-0-line": line.pk,
        "ship-0-quantity": "100",
    }
    assert page(client, f"/aid/{donation.pk}/batches/new/").status_code == 200
    assert client.post(f"/aid/{donation.pk}/batches/new/", form).status_code == 302
    batch = Batch.objects.get()
    row = batch.lines.get()
    receipt = {
        "arrived_on": "2020-03-19",
        "receive-TOTAL_FORMS": "1",
        "receive-INITIAL_FORMS": "1",
        "receive-MIN_NUM_FORMS": "0",
        "receive-MAX_NUM_FORMS": "50",
        "receive-0-line": row.pk,
        "receive-0-accepted": "90",
        "receive-0-rejected": "10",
        "receive-0-reason": "",
    }
    path = f"/aid/{donation.pk}/batches/1/receipt/"
    early = client.post(path, receipt, headers={"accept-language": "en"})
    assert early.status_code == 400
    assert "A batch cannot arrive before it was sent." in early.content.decode()
    receipt["arrived_on"] = "2020-03-24"
    no_reason = client.post(path, receipt, headers={"accept-language": "en"})
    assert no_reason.status_code == 400
    assert "Say why units were rejected." in no_reason.content.decode()
    receipt["receive-0-reason"] = "Ten cartons wet"
    assert client.post(path, receipt).status_code == 302
    batch.refresh_from_db()
    assert batch.arrived_on == date(2020, 3, 24)
    donation.refresh_from_db()
    assert donation.status == DonationStatus.DELIVERED
    hospital = Site.objects.get(code="HOSP-PHMC")
    allocation = {"line": line.pk, "units": "91", "site": hospital.pk, "allocated_on": "2020-03-25"}
    refused = client.post(
        f"/aid/{donation.pk}/allocations/", allocation, headers={"accept-language": "en"}
    )
    # The donation's page again, with why, and a 400: nothing allocated.
    assert refused.status_code == 400
    assert "Only 90 units of N95 respirator remain in stock." in refused.content.decode()
    assert 'data-testid="ledger"' in refused.content.decode()
    assert not Allocation.objects.filter(line=line).exists()
    allocation["units"] = "90"
    client.post(f"/aid/{donation.pk}/allocations/", allocation)
    detail = page(client, f"/aid/{donation.pk}/").content.decode()
    assert "Chongqing Public Health Medical Center: 90" in detail


def test_a_correction_records_its_reason(signed_in, aid_officer, city_government, italy):
    donation = donate(aid_officer, city_government, italy, ("FFP2", 10, ""))
    client = signed_in(aid_officer)
    form = {"occasion": "COVID-19, first batch", "pledged_on": "2020-03-19", "reason": ""}
    assert client.post(f"/aid/{donation.pk}/correct/", form).status_code == 400
    form["reason"] = "The consulate's letter names it so"
    assert client.post(f"/aid/{donation.pk}/correct/", form).status_code == 302
    event = donation.events.get(code="corrected")
    assert event.data["occasion"]["after"] == "COVID-19, first batch"
    history = page(client, f"/aid/{donation.pk}/").content.decode()
    assert "Corrected: occasion: COVID-19, spring 2020 → COVID-19, first batch" in history


def test_the_catalogue_page_shows_standards_and_equivalence(signed_in, director_general):
    text = page(signed_in(director_general), "/aid/catalogue/").content.decode()
    assert "KMOIS-0001 KF94 (MFDS)" in text and "FFP2 ≈ KN95 ≈ N95 ≈ KF94" in text
    assert "Add a lot" not in text  # leadership reads
    chinese = page(signed_in(director_general), "/aid/catalogue/", "zh-hans").content.decode()
    assert "物资目录" in chinese and "医用外科口罩（YY 0469）" in chinese


def test_the_aid_officer_s_home_counts_what_waits(
    signed_in, aid_officer, italy_masks, dusseldorf_n95
):
    home = page(signed_in(aid_officer), "/").content.decode()
    assert "not built yet" not in home
    assert "Batches in transit" in home and "Received goods not yet allocated" in home
    other = signed_in(make_user("home-liaison", Role.LIAISON))
    assert "Batches in transit" not in page(other, "/").content.decode()
