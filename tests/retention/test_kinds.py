"""Every kind of record ends on its rule's day: assistance cases and their files, consular
notifications, manifests, results files, directory people who left their post, shift handover
notes; and each says when on its page and in the travelers export."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from liaison.arrivals.models import Flight, ManifestEntry
from liaison.assistance import services as assistance
from liaison.assistance.models import AssistanceCase, CaseAttachment
from liaison.core.models import PortOfEntry
from liaison.core.roles import Role
from liaison.directory.models import Organization, Person
from liaison.incidents.models import Handover
from liaison.retention import runs
from liaison.retention.models import Kind
from liaison.retention.rules import read_rules
from liaison.screening.models import ResultsImport
from tests.conftest import make_user
from tests.retention.conftest import LANDING, declare, on_day, open_stranded_case

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def assistance_officer(city):
    return make_user("liu-assistance", Role.ASSISTANCE)


def _receipt(receipts, rule):
    return next(r for r in receipts if r.rule == rule)


def test_a_closed_case_and_its_files_go_a_year_after_closing(
    clock, assistance_officer, signed_in, django_capture_on_commit_callbacks
):
    case = open_stranded_case(assistance_officer)
    attachment = assistance.add_attachment(
        case=case, upload=SimpleUploadedFile("ticket.pdf", PDF), by=assistance_officer
    )
    stored = Path(attachment.file.path)
    assert stored.exists()
    AssistanceCase.objects.filter(pk=case.pk).update(status="closed", closed_at=timezone.now())

    page = signed_in(assistance_officer).get(f"/assistance/cases/{case.pk}/")
    # 365 days after 20 March 2020 (a leap year), in the office's language.
    assert "将于 2021-03-20 匿名化。" in page.content.decode()

    on_day(clock, 364)
    assert _receipt(runs.run(), "case.closed").anonymized == 0
    on_day(clock, 365)
    with django_capture_on_commit_callbacks(execute=True):
        receipt = _receipt(runs.run(), "case.closed")
    assert (receipt.anonymized, receipt.files_removed) == (1, 1)
    case.refresh_from_db()
    assert (case.person_name, case.person_name_latin, case.document_number, case.phone) == (
        "",
        "",
        "",
        "",
    )
    assert case.summary == "" and case.nationality.code == "CN"  # kept for statistics
    assert not stored.exists()
    assert CaseAttachment.objects.get(pk=attachment.pk).file.name == ""


def test_people_who_left_their_post_manifests_and_results_files_end(city, clock):
    organization = Organization.objects.order_by("pk").first()
    person = Person.objects.create(
        organization=organization,
        name_latin="Jane EXAMPLE",
        phone="+86 23 0000 0000",
        email="jane@example.org",
        title_en="Consul",
        until=LANDING.date(),
    )
    flight = Flight.objects.create(
        number="OZ323", date=LANDING.date(), port=PortOfEntry.objects.first()
    )
    entry = ManifestEntry.objects.create(
        flight=flight, name="KIM MINJUN", document_number="M12345678", seat="12A", line=1
    )
    uploader = make_user("hu-lab", Role.LAB)
    results = ResultsImport.objects.create(
        digest="0" * 64,
        filename="results-kim.csv",
        content=b"M12345678,negative",
        lab="CDC",
        uploaded_by=uploader,
    )
    on_day(clock, 28)
    receipts = runs.run()
    assert _receipt(receipts, "manifest.flight").anonymized == 1
    assert _receipt(receipts, "results_file.uploaded").files_removed == 1
    assert _receipt(receipts, "person.left_post").anonymized == 0  # two years after
    entry.refresh_from_db()
    results.refresh_from_db()
    assert (entry.name, entry.seat, entry.document_number) == ("", "", f"~{entry.pk}")
    assert (bytes(results.content), results.filename) == (b"", "")

    on_day(clock, 730)
    assert _receipt(runs.run(), "person.left_post").anonymized == 1
    person.refresh_from_db()
    assert (person.phone, person.email, person.name_latin) == ("", "", f"~{person.pk}")
    assert person.title_en == "Consul"  # kept: the post, not the person


def test_a_shift_handover_note_goes_90_days_after_the_handover(clock, signed_in):
    """The note is free text that may name travelers without a link to them, so their own
    anonymization cannot reach it; the duty record (who, when, what was shown) stays."""
    outgoing, incoming = make_user("he-duty", Role.DUTY), make_user("ma-duty", Role.DUTY)
    handover = Handover.objects.create(
        outgoing=outgoing,
        incoming=incoming,
        note="KIM MINJUN of KE147 refused the swab: incident 3.",
        written_at=timezone.now(),
        countersigned_at=timezone.now() + timedelta(minutes=20),
        incidents_shown=[3],
    )
    client = signed_in(incoming)
    page = client.get(f"/incidents/handovers/{handover.pk}/").content.decode()
    # 90 days after 20 March 2020, in the office's language.
    assert "将于 2020-06-18 匿名化。" in page and "KIM MINJUN" in page

    on_day(clock, 89)
    assert _receipt(runs.run(), "handover.written").anonymized == 0
    on_day(clock, 90)
    assert _receipt(runs.run(), "handover.written").anonymized == 1
    kept = Handover.objects.get(pk=handover.pk)
    assert kept.note == ""
    assert (kept.outgoing, kept.incoming, kept.incidents_shown) == (outgoing, incoming, [3])
    assert (kept.written_at, kept.countersigned_at) == (
        handover.written_at,
        handover.countersigned_at,
    )
    page = signed_in(incoming).get(f"/incidents/handovers/{handover.pk}/").content.decode()
    assert "KIM MINJUN" not in page and 'data-testid="anonymized"' in page
    assert "已于 2020-06-18 匿名化。" in page
    # A second run finds it done: nothing anonymized twice.
    assert _receipt(runs.run(), "handover.written").anonymized == 0


def test_the_travelers_export_says_when_each_is_anonymized(clock, airport_desk_officer, signed_in):
    traveler = declare()
    response = signed_in(airport_desk_officer).get("/arrivals/", {"format": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    (row,) = [r for r in rows[1:] if r[0] == traveler.display_code]
    assert row[-1] == (traveler.arrival_date + timedelta(days=28)).isoformat()


def test_a_city_changes_its_rules_in_its_reference_file_and_a_bad_one_is_refused(tmp_path):
    path = tmp_path / "retention.csv"
    path.write_text("rule,days,keep\narrival.released,14,sex nationality\n")
    released = next(r for r in read_rules(path) if r.code == "arrival.released")
    assert (released.days, released.keep) == (14, frozenset({"sex", "nationality"}))
    from django.core.exceptions import ImproperlyConfigured

    for bad in (
        "rule,days,keep\narrival.released,0,\n",
        "rule,days,keep\nnothing,10,\n",
        "rule,days,keep\narrival.released,10,surname_latin\n",
        "rule,days,keep\narrival.released,ten,\n",
    ):
        path.write_text(bad)
        with pytest.raises(ImproperlyConfigured):
            read_rules(path)


def test_the_shipped_rules_are_the_documented_defaults(settings):
    from liaison.retention.rules import DEFAULTS

    shipped = read_rules(Path(settings.LIAISON_REFERENCE_DIR) / "chongqing" / "retention.csv")
    assert [(r.code, r.days, r.keep) for r in shipped] == [
        (r.code, r.days, r.keep) for r in DEFAULTS
    ]
    assert Kind.ARRIVAL in {r.kind for r in shipped}


def test_a_consular_notification_goes_a_year_after_its_acknowledgement(clock, assistance_officer):
    from liaison.assistance.models import ConsularNotification

    notification = ConsularNotification.objects.create(
        mission=Organization.objects.get(code="KR-CG-CKG"),
        reason="hospital",
        status="acknowledged",
        person_name="김민준",
        person_name_latin="KIM Minjun",
        nationality="KR",
        document_number="M12345678",
        language="ko",
        subject="KIM Minjun sent to hospital",
        body="Dear consul, KIM Minjun …",
        drafted_by=assistance_officer,
        acknowledged_at=timezone.now(),
        acknowledgement="Received, thank you",
    )
    on_day(clock, 364)
    assert _receipt(runs.run(), "notification.closed").anonymized == 0
    on_day(clock, 365)
    assert _receipt(runs.run(), "notification.closed").anonymized == 1
    notification.refresh_from_db()
    assert (notification.person_name, notification.document_number, notification.body) == (
        "",
        "",
        "",
    )
    assert notification.subject == notification.acknowledgement == ""
    assert notification.nationality.code == "KR" and notification.status == "acknowledged"
