"""The arrivals list: the shared filters, and its export as CSV and XLSX of exactly the rows the
filter selects, in the reader's language, audited once, safe to open in a spreadsheet."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from liaison.core.models import AuditEntry
from tests.handover.conftest import declare, onward, to_disposition

pytestmark = pytest.mark.django_db

ZH_HEADER = [
    "申报码",
    "姓名（拉丁字母）",
    "姓名（本国文字）",
    "国籍",
    "证件号码",
    "航班",
    "入境日期",
    "状态",
    "目的地",
    "处置方式",
    "申报时间",
    "匿名化日期",
]


@pytest.fixture
def travelers(city):
    """A Korean to Yubei, a Japanese to Jiangbei (home quarantine), a German leaving for a
    place whose name a spreadsheet would run as a formula, and a Korean landing tomorrow."""
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    return {
        "korean": declare(),
        "japanese": to_disposition(
            declare(
                nationality="JP", jurisdiction="500105", surname_native="", given_names_native=""
            ),
            "home_quarantine",
        ),
        "formula": declare(
            nationality="DE",
            surname_native="",
            given_names_native="",
            **onward(onward_destination='=HYPERLINK("http://x")'),
        ),
        "tomorrow": declare(arrival_date=tomorrow),
    }


def _last_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


@pytest.fixture
def desk(airport_desk_officer, signed_in):
    return signed_in(airport_desk_officer)  # zh-hans, the staff's default language


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"nationality": "JP"}, {"japanese"}),
        ({"jurisdiction": "500105"}, {"japanese"}),
        ({"disposition": "home_quarantine"}, {"japanese"}),
        ({"state": "declared"}, {"korean", "formula", "tomorrow"}),
        ({"nationality": "KR", "state": "declared"}, {"korean", "tomorrow"}),
        ({"q": "M9"}, set()),
    ],
)
def test_each_filter_narrows_the_arrivals_list(travelers, desk, query, expected):
    response = desk.get("/arrivals/", query)
    assert response.status_code == 200
    shown = {a.pk for a in response.context["listing"].shown}
    assert shown == {travelers[name].pk for name in expected}


def test_the_day_filter_keeps_that_days_arrivals(travelers, desk):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = desk.get("/arrivals/", {"day": tomorrow})
    assert [a.pk for a in response.context["listing"].shown] == [travelers["tomorrow"].pk]


def test_the_days_from_and_until_keep_the_arrivals_of_those_days(travelers, desk):
    today = timezone.localdate()
    tomorrow = (today + timedelta(days=1)).isoformat()
    later = desk.get("/arrivals/", {"since": tomorrow})
    assert [a.pk for a in later.context["listing"].shown] == [travelers["tomorrow"].pk]
    earlier = desk.get("/arrivals/", {"until": today.isoformat(), "nationality": "KR"})
    assert [a.pk for a in earlier.context["listing"].shown] == [travelers["korean"].pk]
    both = desk.get("/arrivals/", {"since": today.isoformat(), "until": tomorrow})
    assert len(both.context["listing"].shown) == 4
    api = desk.get("/api/v1/arrivals", {"since": tomorrow})
    assert [r["id"] for r in api.json()["results"]] == [travelers["tomorrow"].pk]
    assert desk.get("/arrivals/", {"since": "2020-02-30"}).status_code == 400
    assert desk.get("/api/v1/arrivals", {"until": "someday"}).status_code == 400


def test_the_search_box_is_a_filter_too(travelers, desk):
    code = travelers["japanese"].code
    response = desk.get("/arrivals/", {"q": code})
    assert [a.pk for a in response.context["listing"].shown] == [travelers["japanese"].pk]


def test_the_csv_export_is_the_filtered_list_in_the_readers_language_audited_once(travelers, desk):
    before = _last_id()
    response = desk.get("/arrivals/", {"format": "csv", "nationality": "JP"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="arrivals-')
    assert response["Content-Disposition"].endswith('.csv"')
    rows = _csv(response)
    assert rows[0] == ZH_HEADER
    (row,) = rows[1:]
    japanese = travelers["japanese"]
    assert row[0] == japanese.display_code
    assert row[3] == "日本"  # the country's name, not "JP"
    assert row[7] == "已分类处置"  # the state's label, not "disposition"
    assert row[9] == "居家隔离"
    (entry,) = AuditEntry.objects.filter(id__gt=before, action="export")
    assert entry.object_ids == [str(japanese.pk)] and entry.object_type == "arrivals.arrival"
    assert "nationality=JP" in entry.note
    assert not AuditEntry.objects.filter(id__gt=before, action="read").exists()


def test_a_cell_a_spreadsheet_would_run_is_made_inert(travelers, desk):
    rows = _csv(desk.get("/arrivals/", {"format": "csv", "nationality": "DE"}))
    assert rows[1][8] == '\'=HYPERLINK("http://x")'
    response = desk.get("/arrivals/", {"format": "xlsx", "nationality": "DE"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = list(sheet.iter_rows(min_row=2))[0][8]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"  # text, not a formula


def test_the_xlsx_export_parses_back_with_the_same_rows(travelers, desk):
    before = _last_id()
    response = desk.get("/arrivals/", {"format": "xlsx", "state": "declared"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ZH_HEADER
    expected = {travelers[n].display_code for n in ("korean", "formula", "tomorrow")}
    assert {row[0] for row in values[1:]} == expected
    assert {row[7] for row in values[1:]} == {"已申报"}
    (entry,) = AuditEntry.objects.filter(id__gt=before, action="export")
    assert {int(i) for i in entry.object_ids} == {
        travelers[n].pk for n in ("korean", "formula", "tomorrow")
    }


def test_a_bad_filter_refuses_the_export_and_writes_nothing(travelers, desk):
    before = _last_id()
    for query in ({"format": "csv", "day": "2026-13-01"}, {"format": "pdf"}):
        response = desk.get("/arrivals/", query)
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()
    answer = desk.get("/api/v1/arrivals", {"format": "csv", "state": "lost"})
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "state"
    assert not AuditEntry.objects.filter(id__gt=before, action__in=["read", "export"]).exists()


def test_the_api_lists_and_exports_the_same_rows_as_the_page(travelers, desk):
    query = {"nationality": "KR"}
    shown = [a.pk for a in desk.get("/arrivals/", query).context["listing"].shown]
    answer = desk.get("/api/v1/arrivals", query)
    assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]
    assert [r["id"] for r in answer.json()["results"]] == shown
    before = _last_id()
    rows = _csv(desk.get("/api/v1/arrivals", {**query, "format": "csv"}))
    assert rows[0] == ZH_HEADER
    assert {r[0] for r in rows[1:]} == {travelers[n].display_code for n in ("korean", "tomorrow")}
    (entry,) = AuditEntry.objects.filter(id__gt=before, action="export")
    assert {int(i) for i in entry.object_ids} == set(shown)


def test_a_district_officer_has_no_arrivals_list(travelers, yubei_receiving_officer, signed_in):
    client = signed_in(yubei_receiving_officer)
    assert client.get("/arrivals/", {"format": "csv"}).status_code == 403
    assert client.get("/api/v1/arrivals").status_code == 403


def test_the_filters_are_documented_in_the_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/arrivals"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"flight", "day", "state", "nationality", "jurisdiction", "disposition"} <= names
    assert {"200", "400", "401", "403"} <= set(operation["responses"])
    assert "400" in operation["description"]
