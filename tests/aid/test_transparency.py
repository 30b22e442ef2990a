"""The public transparency page (issue 15, point 6): no account, donors named only with consent,
no person's name; per day received and allocated, outbound by country and item; the same rows as
CSV and XLSX with an HXL hashtag row; never stale after a receipt; bad parameters 400."""

import io
from datetime import date

import pytest
from django.test import Client
from openpyxl import load_workbook

from liaison.aid import allocation, transparency
from liaison.core.models import Jurisdiction, Site
from tests.aid.conftest import committed, donate, receive, ship

pytestmark = pytest.mark.django_db


@pytest.fixture
def spring(aid_officer, city_government, italy, dusseldorf, iran, shiraz):
    """Masks to Italy; KF94 to Iran, a batch addressed to Shiraz; N95 from Düsseldorf (named)
    and gloves from an anonymous donor (Iran's government, asking not to be named), allocated."""
    to_italy = donate(aid_officer, city_government, italy, ("FFP2", 4000, ""))
    committed(to_italy, aid_officer)
    ship(to_italy, aid_officer, 4000)
    to_iran = donate(aid_officer, city_government, iran, ("KF94", 3000, ""))
    committed(to_iran, aid_officer)
    ship(to_iran, aid_officer, 1000, consignee=shiraz.pk)
    named = donate(
        aid_officer, dusseldorf, city_government, ("N95", 1000, ""), on=date(2020, 3, 22),
        donor_may_be_named=True,
    )  # fmt: skip
    committed(named, aid_officer)
    receive(
        ship(named, aid_officer, 1000, sent_on=date(2020, 3, 23)), aid_officer, date(2020, 3, 25)
    )
    line = named.lines.get()
    allocation.allocate(
        line=line, units=600, site=Site.objects.get(code="HOSP-PHMC").pk,
        allocated_on=date(2020, 3, 26), by=aid_officer,
    )  # fmt: skip
    allocation.allocate(
        line=line, units=400, jurisdiction=Jurisdiction.objects.get(code="500112").pk,
        allocated_on=date(2020, 3, 27), by=aid_officer,
    )  # fmt: skip
    anonymous = donate(
        aid_officer, iran, city_government, ("GLOVES-NITRILE", 500, ""), on=date(2020, 3, 24)
    )
    committed(anonymous, aid_officer)
    receive(
        ship(anonymous, aid_officer, 500, sent_on=date(2020, 3, 24)), aid_officer, date(2020, 3, 26)
    )
    return {"named": named, "anonymous": anonymous}


def get(path, language="en", **params):
    return Client().get(path, params, headers={"accept-language": language})


def test_the_page_needs_no_account_and_names_only_consenting_donors(spring, aid_officer):
    response = get("/aid/transparency/")
    assert response.status_code == 200
    html = response.content.decode()
    received = html[html.index('data-testid="received"') : html.index('data-testid="allocated"')]
    assert "Düsseldorf" in received and "an anonymous donor" in received
    assert "Government of Iran" not in received
    allocated = html[html.index('data-testid="allocated"') : html.index('data-testid="outbound"')]
    assert "600" in allocated and "400" in allocated and "2020-03-27" in allocated
    outbound = html[html.index('data-testid="outbound"') :]
    assert "Italy" in outbound and "Iran" in outbound and "4000" in outbound
    # No person: no officer's user name on the page.
    assert aid_officer.username not in html and "ma-directory" not in html


def test_the_page_in_chinese(spring):
    html = get("/aid/transparency/", "zh-hans").content.decode()
    assert "匿名捐赠方" in html and "杜塞尔多夫" in html


def test_csv_and_xlsx_carry_the_hxl_row(spring):
    csv = b"".join(get("/aid/transparency/", format="csv").streaming_content).decode("utf-8-sig")
    lines = csv.splitlines()
    assert lines[1].split(",") == list(transparency.HXL)
    assert "an anonymous donor" in csv and "Government of Iran" not in csv
    assert any(",shipped," in row and "Shiraz" in row for row in lines)
    response = get("/aid/transparency/", format="xlsx", since="2020-03-25", until="2020-03-26")
    sheet = load_workbook(io.BytesIO(response.content)).active
    table = [[c.value for c in row] for row in sheet.iter_rows()]
    assert table[1] == list(transparency.HXL)
    assert {row[0] for row in table[2:]} == {"2020-03-25", "2020-03-26"}


def test_never_stale_after_a_receipt(spring, aid_officer, city_government, dusseldorf):
    first = get("/aid/transparency/")
    tag = first["ETag"]
    assert "no-cache" in first["Cache-Control"]
    again = Client().get(
        "/aid/transparency/", headers={"accept-language": "en", "if-none-match": tag}
    )
    assert again.status_code == 304
    more = donate(
        aid_officer, dusseldorf, city_government, ("N95", 200, ""), donor_may_be_named=True
    )
    committed(more, aid_officer)
    receive(ship(more, aid_officer, 200, sent_on=date(2020, 3, 28)), aid_officer, date(2020, 3, 29))
    fresh = Client().get(
        "/aid/transparency/", headers={"accept-language": "en", "if-none-match": tag}
    )
    assert fresh.status_code == 200 and fresh["ETag"] != tag
    assert "2020-03-29" in fresh.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"since": "2020-13-01"},
        {"until": "yesterday"},
        {"since": "2020-03-20", "until": "2020-03-01"},
        {"format": "pdf"},
        {"donor": "1"},
    ],
)
def test_bad_parameters_are_400(spring, params):
    assert get("/aid/transparency/", **params).status_code == 400


def test_the_public_api(spring):
    response = Client().get(
        "/api/v1/public/aid-donations?since=2020-03-25", headers={"accept-language": "en"}
    )
    assert response.status_code == 200
    rows = response.json()
    assert {r["flow"] for r in rows} == {"received", "allocated"}
    assert all(r["donor"] in ("Düsseldorf", "an anonymous donor") for r in rows)
    assert (
        Client().get("/api/v1/public/aid-donations?since=2020-03-25&until=2020-03-01").status_code
        == 400
    )
    assert Client().get("/api/v1/public/aid-donations?since=nope").status_code == 400
