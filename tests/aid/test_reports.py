"""The office's report (issue 15, point 7): for a period, shipped and received by country,
recipient and item, as a page with a server-rendered SVG chart and as XLSX; aid desk and
leadership only; a malformed period is 400."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from liaison.aid import reports
from liaison.aid.period import Query
from tests.aid.conftest import committed, donate, receive, ship

pytestmark = pytest.mark.django_db


@pytest.fixture
def spring(aid_officer, city_government, italy, iran, shiraz, dusseldorf):
    to_italy = donate(aid_officer, city_government, italy, ("FFP2", 4000, ""))
    committed(to_italy, aid_officer)
    ship(to_italy, aid_officer, 2500)
    ship(to_italy, aid_officer, 1500, sent_on=date(2020, 3, 21))
    to_iran = donate(aid_officer, city_government, iran, ("KF94", 3000, ""))
    committed(to_iran, aid_officer)
    ship(to_iran, aid_officer, 2000)
    ship(to_iran, aid_officer, 1000, consignee=shiraz.pk)
    gift = donate(aid_officer, dusseldorf, city_government, ("N95", 1000, ""), on=date(2020, 3, 22))
    committed(gift, aid_officer)
    receive(
        ship(gift, aid_officer, 1000, sent_on=date(2020, 3, 23)), aid_officer, date(2020, 3, 25),
        (950, 50, "Expired"),
    )  # fmt: skip


def test_lines_by_country_recipient_and_item(spring):
    found = {(r.section, r.country, r.counterpart, r.units) for r in reports.lines(Query())}
    assert ("shipped", "IT", "Government of Italy", 4000) in found
    assert ("shipped", "IR", "Government of Iran", 2000) in found
    assert ("shipped", "IR", "Shiraz", 1000) in found
    assert ("received", "DE", "Düsseldorf", 950) in found
    only_the_21st = reports.lines(Query(since=date(2020, 3, 21), until=date(2020, 3, 21)))
    assert [(r.country, r.units) for r in only_the_21st] == [("IT", 1500)]


@pytest.mark.parametrize(("language", "word"), [("zh-hans", "意大利"), ("en", "Italy")])
def test_the_page_with_its_chart(spring, aid_officer, signed_in, language, word):
    response = signed_in(aid_officer).get("/aid/reports/", headers={"accept-language": language})
    assert response.status_code == 200
    html = response.content.decode()
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert word in chart and "<rect" in chart and "4000" in chart and "950" in chart


def test_the_xlsx(spring, director_general, signed_in):
    response = signed_in(director_general).get(
        "/aid/reports/",
        {"format": "xlsx", "since": "2020-03-19"},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    rows = [
        [c.value for c in r] for r in load_workbook(io.BytesIO(response.content)).active.iter_rows()
    ]
    assert rows[0][0] == "Section" and any(r[3] == "Shiraz" and r[5] == "1000" for r in rows)


def test_access_and_bad_periods(spring, aid_officer, liaison_officer, signed_in):
    assert signed_in(liaison_officer).get("/aid/reports/").status_code == 403
    assert signed_in(liaison_officer).get("/api/v1/aid/report").status_code == 403
    client = signed_in(aid_officer)
    for params in (
        {"since": "2020-02-30"},
        {"since": "2020-03-20", "until": "2020-03-19"},
        {"x": "1"},
    ):
        assert client.get("/aid/reports/", params).status_code == 400, params
    api = client.get("/api/v1/aid/report?since=2020-03-19&until=2020-03-19")
    assert api.status_code == 200 and {r["country"] for r in api.json()} == {"IT", "IR"}
    assert client.get("/api/v1/aid/report?until=soon").status_code == 400
