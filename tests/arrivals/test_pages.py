"""The traveler's pages (form, status, poster) and the desk's pages (MRZ entry, manifests)."""

import io
import re

import pytest
from django.test import Client
from openpyxl import Workbook

from liaison.arrivals import services
from liaison.arrivals.models import (
    Arrival,
    DeclarationRevision,
    Flight,
    ManifestEntry,
    Source,
)
from liaison.core.models import AuditEntry
from tests.arrivals.conftest import passport_zone, valid_payload

pytestmark = pytest.mark.django_db

ALL_LANGUAGES = [
    "zh-hans",
    "zh-hant",
    "en",
    "ko",
    "ja",
    "it",
    "de",
    "fr",
    "es",
    "pt",
    "ru",
    "uk",
    "fa",
    "ar",
]


def form_data(client, url="/declare/", **changes):
    """What a browser posts: the page's own hidden fields, plus a valid declaration."""
    page = client.get(url).content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    body = valid_payload(**changes)
    data = {"idempotency_key": key}
    for name, value in body.items():
        if name in ("history", "transits"):
            data[f"{name}-TOTAL_FORMS"] = str(len(value))
            data[f"{name}-INITIAL_FORMS"] = "0"
            for index, row in enumerate(value):
                for cell, text in row.items():
                    data[f"{name}-{index}-{cell}"] = text
        elif isinstance(value, bool):
            if name == "contact_with_cases":
                data[name] = "yes" if value else "no"
            elif value:
                data[name] = "on"
        else:
            data[name] = value
    return data


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_the_form_follows_the_browser_language(client, city, language):
    page = client.get("/declare/", HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'lang="{language}"' in html
    assert ('dir="rtl"' in html) == (language in ("fa", "ar"))
    # The switcher offers all 14 languages.
    assert all(f'<option value="{code}"' in html for code in ALL_LANGUAGES)


def test_country_names_and_labels_are_in_the_traveler_language(client, city):
    html = client.get("/declare/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "대한민국" in html and "생년월일" in html
    html = client.get("/declare/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert "آلمان" in html


def test_the_form_works_without_javascript(client, city):
    html = client.get("/declare/").content.decode()
    assert "<script" not in html


def test_a_posted_form_makes_a_declaration_and_shows_the_receipt(client, city):
    response = client.post("/declare/", form_data(client))
    assert response.status_code == 302
    arrival = Arrival.objects.get()
    assert arrival.source == Source.SELF and arrival.entered_by is None
    status = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    html = status.content.decode()
    assert arrival.display_code in html and "<svg" in html
    assert "Declared" in html or "已申报" in html or "신고" in html


def test_posting_the_same_form_twice_is_one_declaration(client, city):
    data = form_data(client)
    first = client.post("/declare/", data)
    second = client.post("/declare/", data)
    assert first["Location"] == second["Location"]
    assert (Arrival.objects.count(), DeclarationRevision.objects.count()) == (1, 1)


def test_a_mistake_is_shown_beside_the_field_in_the_traveler_language(client, city):
    data = form_data(client, date_of_birth="2999-01-01")
    response = client.post("/declare/", data, HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 400
    html = response.content.decode()
    assert "생년월일은 미래일 수 없습니다." in html  # "The date of birth cannot be in the future."
    assert Arrival.objects.count() == 0


def test_a_form_without_its_csrf_token_is_refused(city):
    client = Client(enforce_csrf_checks=True)
    data = form_data(client)
    response = client.post("/declare/", data)
    assert response.status_code == 403
    assert Arrival.objects.count() == 0


def test_a_field_the_form_does_not_have_is_refused(client, city):
    data = form_data(client)
    data["state"] = "released"
    response = client.post("/declare/", data)
    assert response.status_code == 400
    assert "“state”" in response.content.decode()
    assert Arrival.objects.count() == 0


def test_500_history_rows_posted_by_hand_are_refused(client, city):
    data = form_data(client)
    data["history-TOTAL_FORMS"] = "500"
    for index in range(1, 500):
        data[f"history-{index}-country"] = "KR"
    response = client.post("/declare/", data)
    assert response.status_code == 400
    assert Arrival.objects.count() == 0


def test_script_in_a_name_is_shown_escaped(client, city):
    response = client.post(
        "/declare/", form_data(client, surname_native="<script>alert(1)</script>")
    )
    html = client.get(response["Location"]).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_the_status_page_is_private_and_in_the_traveler_language(client, city):
    arrival = services.declare(data=valid_payload(language="ru"), source=Source.API).arrival
    html = client.get(f"/declare/status/{arrival.status_token}/").content.decode()
    assert 'lang="ru"' in html and arrival.display_code in html
    assert client.get("/declare/status/not-a-real-token/").status_code == 404
    svg = client.get(f"/declare/status/{arrival.status_token}/code.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert "attachment" in svg["Content-Disposition"]


def test_the_poster_has_the_form_address_in_every_language(client, city):
    html = client.get("/declare/poster/").content.decode()
    assert "size:A4" in html and "<svg" in html and "http://testserver/declare/" in html
    assert html.count("<tr ") == 14
    assert 'dir="rtl"' in html and "건강" in html


# --- Staff: assisted entry with the passport zone ------------------------------------------------


def test_the_desk_reads_the_passport_zone_into_the_form(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    data = form_data(client, "/arrivals/declare/", mrz=passport_zone())
    for name in ("surname_latin", "given_names_latin", "date_of_birth", "nationality"):
        data.pop(name)
    data["read_mrz"] = "1"
    html = client.post("/arrivals/declare/", data).content.decode()
    assert 'value="KIM"' in html and 'value="1990-01-31"' in html
    assert Arrival.objects.count() == 0


def test_the_desk_is_told_of_a_wrong_check_digit(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    bad = passport_zone().replace("M123456788", "M123456780")
    data = form_data(client, "/arrivals/declare/", mrz=bad)
    html = client.post("/arrivals/declare/", {**data, "read_mrz": "1"}).content.decode()
    assert "校验位错误" in html
    response = client.post("/arrivals/declare/", data)
    assert response.status_code == 400 and "校验位错误" in response.content.decode()
    assert Arrival.objects.count() == 0


def test_a_staff_declaration_records_the_officer(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    response = client.post(
        "/arrivals/declare/", form_data(client, "/arrivals/declare/", mrz=passport_zone())
    )
    assert response.status_code == 302
    arrival = Arrival.objects.get()
    assert arrival.entered_by == airport_desk_officer and arrival.source == Source.STAFF
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert AuditEntry.objects.filter(action="read", object_id=str(arrival.pk)).exists()


def test_only_the_desk_opens_the_staff_pages(yubei_receiving_officer, signed_in, client):
    assert signed_in(yubei_receiving_officer).get("/arrivals/declare/").status_code == 403
    assert client.get("/arrivals/").status_code == 302


def test_a_district_officer_sees_only_arrivals_bound_for_their_district(
    city, yubei_receiving_officer, jiangbei_receiving_officer, airport_desk_officer
):
    from liaison.arrivals.selectors import arrivals_visible_to

    services.declare(data=valid_payload(), source=Source.API)  # Yubei
    services.declare(
        data=valid_payload(document_number="J1234567", jurisdiction="500105"), source=Source.API
    )
    services.declare(
        data=valid_payload(
            document_number="O1234567",
            destination_kind="onward",
            jurisdiction="",
            address="",
            onward_destination="Chengdu",
        ),
        source=Source.API,
    )
    assert arrivals_visible_to(airport_desk_officer).count() == 3
    assert [a.jurisdiction.code for a in arrivals_visible_to(yubei_receiving_officer)] == ["500112"]
    assert [a.jurisdiction.code for a in arrivals_visible_to(jiangbei_receiving_officer)] == [
        "500105"
    ]


# --- Flight manifests -----------------------------------------------------------------------------

CSV = (
    "name,document,seat\n"
    "KIM MINJUN,M12345678,32A\nLEE SEOYEON,M22345678,32B\nPARK JIHO,M32345678,33C\n"
)


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _import(client, content, name, number="KE147"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    return client.post(
        "/arrivals/flights/import/",
        {
            "flight_number": number,
            "date": timezone.localdate().isoformat(),
            "file": SimpleUploadedFile(name, content),
        },
    )


def test_a_manifest_is_matched_with_declarations(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    services.declare(data=valid_payload(), source=Source.API)  # M12345678, on the list
    services.declare(data=valid_payload(document_number="M99999999"), source=Source.API)
    response = _import(client, CSV.encode(), "ke147.csv")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    not_declared = re.search(r'data-testid="not-declared">(.*?)</ul>', page, re.S).group(1)
    assert "LEE SEOYEON" in not_declared and "PARK JIHO" in not_declared
    assert "KIM" not in not_declared
    off_list = re.search(r'data-testid="not-on-manifest">(.*?)</ul>', page, re.S).group(1)
    assert "M99999999" in off_list and "M12345678" not in off_list


def test_reimporting_the_same_file_changes_nothing(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    _import(client, CSV.encode(), "ke147.csv")
    before = list(ManifestEntry.objects.values_list("pk", "name", "seat", "line"))
    audit_before = AuditEntry.objects.filter(object_type="arrivals.manifestentry").count()
    _import(client, CSV.encode(), "ke147.csv")
    assert list(ManifestEntry.objects.values_list("pk", "name", "seat", "line")) == before
    assert AuditEntry.objects.filter(object_type="arrivals.manifestentry").count() == audit_before


def test_a_corrected_manifest_replaces_the_list(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    _import(client, CSV.encode(), "ke147.csv")
    kept = ManifestEntry.objects.get(document_number="M12345678")
    before_correction = list(ManifestEntry.objects.values_list("pk", flat=True))
    corrected = "name,document,seat\nKIM MINJUN,M12345678,40C\nCHOI YUNA,M55555555,41A\n"
    response = _import(client, corrected.encode(), "ke147-corrected.csv")
    assert response.status_code == 302
    entries = dict(ManifestEntry.objects.values_list("document_number", "seat"))
    assert entries == {"M12345678": "40C", "M55555555": "41A"}
    assert ManifestEntry.objects.get(document_number="M12345678").pk == kept.pk
    # LEE SEOYEON and PARK JIHO are no longer on the list: removed, and the removal audited (one
    # entry naming both).
    before_ids = set(before_correction)
    deleted = AuditEntry.objects.get(object_type="arrivals.manifestentry", action="delete")
    assert set(map(int, deleted.object_ids)) == before_ids - set(
        ManifestEntry.objects.values_list("pk", flat=True)
    )
    assert len(deleted.object_ids) == 2


def test_an_xlsx_manifest_is_read(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    content = _xlsx([["Name", "Document", "Seat"], ["KIM MINJUN", "M12345678", "32A"]])
    assert _import(client, content, "ke147.xlsx").status_code == 302
    assert ManifestEntry.objects.get().document_number == "M12345678"


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    bad = (
        "name,document,seat\n"
        "KIM MINJUN,M12345678,32A\n,M22345678,32B\nPARK,??,33C\nLEE,M12345678,1A\n"
    )
    response = _import(client, bad.encode(), "bad.csv")
    assert response.status_code == 400
    problems = re.search(r'data-testid="problems">(.*?)</ul>', response.content.decode(), re.S)
    lines = re.findall(r"<li>(.*?)</li>", problems.group(1))
    # Staff pages are in the office language.
    assert [line.split(":")[0] for line in lines] == ["第 3 行", "第 4 行", "第 5 行"]
    assert ManifestEntry.objects.count() == 0
    # Refused before anything is written: not even the flight.
    assert not Flight.objects.exists()


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"\xff\xfe\x00garbage", "x.csv"), (b"not a zip", "x.xlsx"), (b"a,b\n1,2\n", "x.csv")],
)
def test_unreadable_manifests_are_refused(airport_desk_officer, signed_in, content, name):
    response = _import(signed_in(airport_desk_officer), content, name)
    assert response.status_code == 400
    assert 'data-testid="problems"' in response.content.decode()
    assert ManifestEntry.objects.count() == 0
    assert not Flight.objects.exists()


def test_declaration_forms_share_their_fields_and_keep_their_own_data():
    """SharedFieldsForm: no per-instance copies of the fields, and nothing leaks between forms."""
    from liaison.arrivals.forms import DeclarationForm, StayForm

    first = DeclarationForm({"surname_latin": "KIM", "seat": "99Z"})
    second = DeclarationForm()
    assert first.fields is second.fields is DeclarationForm.base_fields
    assert StayForm().fields is StayForm.base_fields
    first.is_valid()
    html = str(second)
    assert "KIM" not in html and "99Z" not in html
    assert "errorlist" not in html and "errorlist" in str(first)


@pytest.mark.parametrize(
    "row",
    [
        {},
        {"country": "", "city": "", "date_from": "", "date_to": ""},
        {"country": "  ", "city": " "},
        {"city": "Seoul"},
        {"country": "KR"},
        {"date_from": "2020-02-31"},
        {"date_from": "not a date", "country": "ZZ"},
        {"date_to": "2020-03-01"},
    ],
)
def test_a_rows_has_changed_is_djangos(row):
    """SharedFieldsForm.has_changed (no bound fields) decides as Django's own, which skips a row
    left empty."""
    from django import forms as django_forms

    from liaison.arrivals.forms import StayForm, TransitForm

    prefixed = {f"history-0-{name}": value for name, value in row.items()}
    for form_class in (StayForm, TransitForm):
        for initial in (None, {"country": "KR"}):
            for data, prefix in ((row, None), (prefixed, "history-0")):  # as a formset binds
                form = form_class(data, initial=initial, prefix=prefix)
                twin = form_class(data, initial=initial, prefix=prefix)
                djangos = django_forms.BaseForm.has_changed(twin)
                assert form.has_changed() is djangos, (form_class.__name__, data, initial)


def _typed_form(**extra):
    payload = valid_payload()
    data = {k: v for k, v in payload.items() if k not in {"history", "transits", "symptoms"}}
    data["contact_with_cases"] = "no"
    data["consent"] = "on"
    data["history-TOTAL_FORMS"], data["history-INITIAL_FORMS"] = "4", "0"
    for name, value in payload["history"][0].items():
        data[f"history-0-{name}"] = value
    data["transits-TOTAL_FORMS"], data["transits-INITIAL_FORMS"] = "0", "0"
    data["idempotency_key"] = "add-row-key-1"
    return {**data, **extra}


def test_another_history_row_comes_back_with_what_was_typed(client, city):
    response = client.post("/declare/", _typed_form(add_history="1"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="history-TOTAL_FORMS" value="2"' in page
    assert 'id="id_history-1-country"' in page and 'id="id_history-2-country"' not in page
    assert 'value="KIM"' in page and 'class="errorlist' not in page
    assert 'name="transits-TOTAL_FORMS" value="1"' in page
    assert Arrival.objects.count() == 0


def test_the_staff_form_adds_a_transit_row_too(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    response = client.post("/arrivals/declare/", _typed_form(add_transit="1"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_transits-0-country"' in page and 'value="KIM"' in page
    assert 'class="errorlist' not in page and Arrival.objects.count() == 0
