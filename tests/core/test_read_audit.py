"""Sensitive reads are audited without noise: every page, export and API operation that shows
people's identity or health data writes one entry per request naming the records shown; the
audit page names record types, filters (a malformed filter is a 400) and exports, itself audited.
"""

import csv
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from liaison.arrivals import services as arrivals
from liaison.arrivals.models import Arrival, ManifestEntry
from liaison.assistance import consular
from liaison.assistance import services as assistance
from liaison.core import audit
from liaison.core.models import AuditEntry
from liaison.core.roles import Role
from liaison.directory.models import Organization as Mission
from liaison.handover import services as handover
from tests.conftest import make_user
from tests.handover.conftest import ready
from tests.screening.conftest import declare

pytestmark = pytest.mark.django_db

MANIFEST = (
    "name,document,seat\n"
    "KIM MINJUN,M12345678,32A\nLEE SEOYEON,M22345678,32B\nPARK JIHO,M32345678,33C\n"
)


def _last_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def one_read(call, *, action: str = "read") -> tuple:
    """Run one request; exactly one read (or export) entry was written by it. Returns both."""
    before = _last_id()
    response = call()
    entries = list(AuditEntry.objects.filter(id__gt=before, action__in=["read", "export"]))
    assert [e.action for e in entries] == [action], [
        (e.action, e.object_type, e.note) for e in entries
    ]
    return response, entries[0]


def ids(*records) -> set[str]:
    return {str(r.pk) for r in records}


# --- the airport side ---------------------------------------------------------------------------


@pytest.fixture
def kims(city):
    """Three travelers of one flight named Kim; the airline listed two of them and a third."""
    travelers = [
        declare(),
        declare(document_number="M22345678", surname_latin="KIMLEE", given_names_latin="SEO"),
        declare(document_number="M99999999", surname_latin="KIMOH", given_names_latin="JI"),
    ]
    with audit.acting_as(username="test"):
        result = arrivals.import_manifest(
            flight_number="KE147",
            day=timezone.localdate(),
            content=MANIFEST.encode(),
            filename="ke147.csv",
        )
    assert not result.problems
    return travelers, result.flight


def test_arrivals_list_and_passenger_list_write_one_entry_each(
    kims, airport_desk_officer, signed_in
):
    travelers, flight = kims
    client = signed_in(airport_desk_officer)
    response, entry = one_read(lambda: client.get("/arrivals/"))
    assert response.status_code == 200
    assert entry.object_type == "arrivals.arrival" and set(entry.object_ids) == ids(*travelers)
    assert entry.actor_username == "li-desk" and entry.path == "/arrivals/"
    response, entry = one_read(lambda: client.get(f"/arrivals/flights/{flight.pk}/"))
    assert response.status_code == 200 and "PARK JIHO" in response.content.decode()
    assert entry.object_type == "arrivals.arrival" and set(entry.object_ids) == ids(*travelers)
    assert "1 listed, not declared" in entry.note
    assert "PARK" not in entry.note  # what, not whose


def test_desk_search_and_flight_lists_write_one_entry_each(kims, airport_desk_officer, signed_in):
    travelers, _flight = kims
    client = signed_in(airport_desk_officer)
    response, entry = one_read(lambda: client.get("/screening/desk/", {"q": "kim"}))
    assert response.status_code == 200
    assert set(entry.object_ids) == ids(*travelers) and entry.note == "desk search"
    day = timezone.localdate().isoformat()
    response, entry = one_read(lambda: client.get("/screening/desk/flights/", {"date": day}))
    assert "PARK JIHO" in response.content.decode()
    park = ManifestEntry.objects.get(document_number="M32345678")
    assert entry.object_type == "arrivals.manifestentry" and entry.object_ids == [str(park.pk)]
    before = _last_id()
    assert client.get("/screening/desk/flights/", {"date": "2026-02-31"}).status_code == 400
    assert not AuditEntry.objects.filter(id__gt=before, action="read").exists()


# --- dispatch, receipt, the board and the handover API ------------------------------------------


@pytest.fixture
def dispatcher(city):
    return make_user("sun-dispatch", Role.DISPATCH)


@pytest.fixture
def batch(yubei, dispatcher):
    travelers = [ready() for _ in range(3)]
    made = handover.make_batch(
        destination=yubei,
        disposition="centralized_quarantine",
        vehicle="渝A·12345",
        escort="Officer Liu",
        planned_departure=timezone.now(),
        arrivals=travelers,
        dispatcher=dispatcher,
    )
    return handover.mark_departed(batch=made, dispatcher=dispatcher)


def _members(batch) -> set[str]:
    return {str(m.arrival_id) for m in batch.members.all()}


def test_dispatch_pages_write_one_entry_each(batch, dispatcher, yubei, signed_in):
    waiting = [ready(), ready()]
    client = signed_in(dispatcher)
    url = f"/handover/dispatch/ready/{yubei.pk}/centralized_quarantine/"
    response, entry = one_read(lambda: client.get(url))
    assert response.status_code == 200
    assert set(entry.object_ids) == ids(*waiting) and entry.object_type == "arrivals.arrival"
    _response, entry = one_read(lambda: client.get(f"/handover/dispatch/batches/{batch.pk}/"))
    assert set(entry.object_ids) == _members(batch)
    url = f"/handover/dispatch/batches/{batch.pk}/manifest/"
    _response, entry = one_read(lambda: client.get(url), action="export")
    assert set(entry.object_ids) == _members(batch)


def test_receiving_pages_write_one_entry_each(batch, yubei_receiving_officer, signed_in):
    first = batch.members.select_related("arrival").order_by("id").first().arrival
    handover.receive(batch=batch, arrival_code=first.code, officer=yubei_receiving_officer)
    client = signed_in(yubei_receiving_officer)
    response, entry = one_read(lambda: client.get("/handover/receiving/"))
    # The one received, and the two still on the road (the page opens on its queue).
    assert response.status_code == 200 and set(entry.object_ids) == _members(batch)
    url = f"/handover/receiving/batches/{batch.pk}/"
    _response, entry = one_read(lambda: client.get(url))
    assert set(entry.object_ids) == _members(batch)
    url = f"/handover/receiving/arrivals/{first.pk}/"
    _response, entry = one_read(lambda: client.get(url))
    assert (entry.object_id, entry.object_ids) == (str(first.pk), [str(first.pk)])


def test_the_board_list_writes_one_entry(batch, signed_in):
    leader = make_user("zhou-leader", Role.LEADERSHIP)
    client = signed_in(leader)
    response, entry = one_read(lambda: client.get("/handover/board/in_transit/"))
    assert response.status_code == 200 and set(entry.object_ids) == _members(batch)


def test_the_board_alerts_write_one_entry(city, settings, signed_in):
    settings.LIAISON_UNSCREENED_HOURS = 0
    settings.LIAISON_RESULT_WAIT_HOURS = 0
    travelers = [declare(), declare(document_number="M22345678")]
    client = signed_in(make_user("zhou-leader", Role.LEADERSHIP))
    response, entry = one_read(lambda: client.get("/handover/board/"))
    shown = [*response.context["waiting"], *response.context["unscreened"]]
    assert ids(*shown) == ids(*travelers) == set(entry.object_ids)


def test_the_handover_api_writes_one_entry_naming_the_members(batch, dispatcher, signed_in):
    client = signed_in(dispatcher)
    response, entry = one_read(lambda: client.get(f"/api/v1/handover/batches/{batch.pk}"))
    assert response.status_code == 200 and len(response.json()["members"]) == 3
    assert set(entry.object_ids) == _members(batch)
    assert entry.actor_username == "sun-dispatch"


# --- the assistance desk: a list is one entry, not one per row ----------------------------------


def test_the_notifications_and_cases_lists_write_one_entry_each(city, signed_in):
    officer = make_user("liu-assistance", Role.ASSISTANCE)
    mission = Mission.objects.get(code="IT-CG-CKG")
    cases, drafts = [], []
    with audit.acting_as(officer):
        for n in range(3):
            case = assistance.open_case(
                person_name=f"王小明{n}",
                person_name_latin=f"WANG Xiaoming{n}",
                nationality="CN",
                document_number=f"E1234567{n}",
                phone="+39 312 345 6789",
                category="stranded",
                priority="high",
                summary="Flight cancelled; needs a way home.",
                requester="family",
                location_country="IT",
                location_city="Milan",
                opened_by=officer,
            )
            cases.append(case)
            drafts.append(consular.draft_notification(case=case, mission=mission, by=officer))
    client = signed_in(officer)
    response, entry = one_read(lambda: client.get("/assistance/notifications/"))
    assert response.status_code == 200
    assert entry.object_type == "assistance.consularnotification"
    assert set(entry.object_ids) == ids(*drafts)
    _response, entry = one_read(lambda: client.get("/assistance/", {"view": "all"}))
    assert set(entry.object_ids) == ids(*cases)


def test_record_many_of_reads_writes_one_entry(city):
    before = _last_id()
    audit.record_many("read", Arrival, [1, 2, 3], note="list")
    entries = list(AuditEntry.objects.filter(id__gt=before))
    assert [(e.object_ids, e.object_id) for e in entries] == [(["1", "2", "3"], "")]


# --- the audit page -----------------------------------------------------------------------------


@pytest.fixture
def trail(city):
    """A read of three travelers by one officer, a read of one by another, a sign-in failure."""
    with audit.acting_as(username="li-desk"):
        audit.record_reads(Arrival, [7, 12, 120], note="arrivals list")
    with audit.acting_as(username="wang-yubei"):
        audit.record_reads(Arrival, [1], note="receiving")
    with audit.acting_as(username="=HYPERLINK(1)"):
        audit.record("login_failed", object_type="core.user", note="wrong credentials")


@pytest.fixture
def admin_page(administrator, signed_in):
    client = signed_in(administrator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def _notes(response) -> list[str]:
    return [row["entry"].note for row in response.context["rows"]]


def test_the_audit_page_names_record_types_in_the_readers_language(trail, administrator, signed_in):
    client = signed_in(administrator)
    html = client.get("/audit/").content.decode()
    assert "arrivals.arrival</" not in html and 'title="arrivals.arrival">' in html
    assert "3 条记录" in html  # Chinese by default
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/audit/").content.decode()
    assert ">Arrival</span> (3 records: 7, 12, 120)" in html
    assert ">User</span>" in html
    choices = dict(client.get("/audit/").context["form"].fields["object_type"].choices)
    assert choices["arrivals.arrival"] == "Arrival"


def test_the_audit_page_filters_by_action_type_user_record_and_dates(trail, admin_page):
    def notes(**query):
        response = admin_page.get("/audit/", query)
        assert response.status_code == 200, query
        return _notes(response)

    assert notes(actor="li-desk") == ["arrivals list"]
    assert notes(actor="WANG-YUBEI") == ["receiving"]
    assert notes(action="login_failed") == ["wrong credentials"]
    assert set(notes(object_type="arrivals.arrival")) == {"arrivals list", "receiving"}
    assert notes(object_type="arrivals.arrival", object_id="12") == ["arrivals list"]
    assert notes(object_type="arrivals.arrival", object_id="1") == ["receiving"]  # not 12, 120
    today = timezone.localdate()
    assert len(notes(since=today.isoformat(), until=today.isoformat(), actor="li-desk")) == 1
    assert notes(until=(today - timezone.timedelta(days=1)).isoformat()) == []


@pytest.mark.parametrize(
    "query",
    [
        {"since": "2020-02-31"},
        {"until": "yesterday"},
        {"action": "steal"},
        {"object_type": "no.such"},
        {"since": "2026-03-02", "until": "2026-03-01"},
        {"actor": "x" * 200},
    ],
)
def test_a_malformed_filter_is_a_400_with_a_message(trail, admin_page, query):
    response = admin_page.get("/audit/", query)
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert response.context["rows"] == []
    assert admin_page.get("/audit/export/", {**query, "format": "csv"}).status_code == 400


def test_the_trail_exports_as_csv_and_xlsx_and_the_export_is_audited(trail, admin_page):
    before = _last_id()
    response = admin_page.get("/audit/export/", {"format": "csv", "action": "read"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["Time", "User", "Action", "Record type"]
    shown = {(r[1], r[3], r[5]) for r in rows[1:]}
    assert ("li-desk", "Arrival", "7 12 120") in shown and ("wang-yubei", "Arrival", "1") in shown
    export = AuditEntry.objects.get(id__gt=before, action="export")
    assert export.object_type == "core.auditentry" and export.actor_username == "ada-admin"

    response = admin_page.get("/audit/export/", {"format": "xlsx"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:4] == ["Time", "User", "Action", "Record type"]
    failed = next(v for v in values if v[2] == "Failed sign-in")
    assert failed[1] == "=HYPERLINK(1)"  # kept as text, not run as a formula
    assert (
        next(c for c in sheet.iter_rows(min_row=2) if c[2].value == "Failed sign-in")[1].data_type
        == "s"
    )
    assert AuditEntry.objects.filter(id__gt=before, action="export").count() == 2


def test_the_streamed_csv_keeps_the_readers_language(trail, administrator, signed_in):
    response = signed_in(administrator).get("/audit/export/", {"format": "csv", "action": "read"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "时间" and {r[3] for r in rows[1:]} == {"入境人员"}


def test_a_csv_cell_that_looks_like_a_formula_is_made_inert(trail, admin_page):
    response = admin_page.get("/audit/export/", {"format": "csv", "action": "login_failed"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][1] == "'=HYPERLINK(1)"


def test_an_unknown_export_format_is_a_400_and_only_administrators_export(
    trail, admin_page, airport_desk_officer, signed_in
):
    before = _last_id()
    assert admin_page.get("/audit/export/", {"format": "pdf"}).status_code == 400
    assert not AuditEntry.objects.filter(id__gt=before, action="export").exists()
    desk = signed_in(airport_desk_officer)
    assert desk.get("/audit/export/", {"format": "csv"}).status_code == 403
    assert desk.get("/audit/").status_code == 403
