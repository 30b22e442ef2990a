"""Laboratory results files: a preview listing each bad row, then the good rows at once."""

import io
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from liaison.arrivals.models import Arrival
from liaison.arrivals.states import ArrivalState
from liaison.core.refusals import Refused
from liaison.handover.services import transfer_to_hospital
from liaison.screening import dispositions, results, results_import
from liaison.screening.models import Disposition, ImportStatus, LabResult, ResultsImport
from tests.conftest import make_user
from tests.screening.conftest import declare, sampled, screened

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_waiting(arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site):
    travelers = [arrival] + [declare(document_number=f"M0000000{i}") for i in (1, 2)]
    for number, traveler in enumerate(travelers, start=1):
        sampled(traveler, airport_desk_officer, sampler_at_t3, t3_sampling_site, f"T3-{number:06d}")
    return travelers


def when(minutes_ago=5):
    return (timezone.localtime() - timedelta(minutes=minutes_ago)).strftime("%Y-%m-%d %H:%M")


def csv_file(*rows, header="barcode,result,tested_at"):
    return ("\n".join([header, *rows]) + "\n").encode()


def test_preview_lists_each_bad_row_with_its_line_and_saves_nothing(three_waiting):
    content = (
        csv_file(
            f"T3-000001,negative,{when()}",
            f"NOPE-9,negative,{when()}",  # line 3: unknown barcode
            f"T3-000002,maybe,{when()}",  # line 4: unknown value
            f"T3-000003,negative,{when(-600)}",  # line 5: in the future
        )
        + "T3-000003,阴性,2020-01-01 10:00\n".encode()
        + b"T3-000003,\xff\xfe,x\n"
    )
    preview = results_import.preview_results_file(file=content, filename="results.csv")
    assert [r.barcode for r in preview.good_rows] == ["T3-000001"]
    bad = {row.line: row.reason for row in preview.bad_rows}
    assert sorted(bad) == [3, 4, 5, 6, 7]
    assert "Unknown tube barcode" in bad[3]
    assert "Unknown result" in bad[4]
    assert "future" in bad[5]
    assert "before the sample was collected" in bad[6]
    assert "UTF-8" in bad[7]
    assert not LabResult.objects.exists() and not ResultsImport.objects.exists()


def test_good_rows_are_saved_at_once_and_the_same_file_again_changes_nothing(
    three_waiting, lab_user
):
    content = csv_file(
        f"T3-000001,negative,{when()}",
        f"T3-000002,positive,{when()}",
        f"NOPE-9,negative,{when()}",
    )
    outcome = results_import.import_results_file(
        file=content, filename="results.csv", lab="Jiangbei CDC", reported_by=lab_user
    )
    assert (outcome.saved, len(outcome.bad_rows)) == (2, 1)
    assert outcome.batch.status == ImportStatus.SAVED
    assert LabResult.objects.filter(batch=outcome.batch, source="file").count() == 2
    states = dict(Arrival.objects.values_list("document_number", "state"))
    assert states["M12345678"] == ArrivalState.DISPOSED
    assert states["M00000001"] == ArrivalState.DISPOSED
    assert states["M00000002"] == ArrivalState.SAMPLED
    before = (LabResult.objects.count(), Disposition.objects.count(), ResultsImport.objects.count())

    again = results_import.import_results_file(
        file=content, filename="results.csv", lab="Jiangbei CDC", reported_by=lab_user
    )
    assert again.already_imported and again.saved == 0
    assert before == (
        LabResult.objects.count(),
        Disposition.objects.count(),
        ResultsImport.objects.count(),
    )
    # The same rows in another file are recognised row by row.
    preview = results_import.preview_results_file(file=content + b"\n", filename="results-copy.csv")
    assert len(preview.unchanged_rows) == 2 and not preview.good_rows


def test_rows_bad_when_saved_are_saved_when_the_same_file_comes_again_once_good(
    three_waiting, lab_user, airport_desk_officer, sampler_at_t3, t3_sampling_site
):
    content = csv_file(f"T3-000001,negative,{when()}", f"T3-000009,negative,{when()}")
    first = results_import.import_results_file(
        file=content, filename="results.csv", lab="Jiangbei CDC", reported_by=lab_user
    )
    assert first.saved == 1 and [bad.line for bad in first.bad_rows] == [3]  # no such tube yet
    # The tube is registered afterwards (the sampler's scanner was offline, say).
    late = declare(document_number="M00000009")
    sampled(late, airport_desk_officer, sampler_at_t3, t3_sampling_site, "T3-000009")

    second = results_import.import_results_file(
        file=content, filename="results.csv", lab="Jiangbei CDC", reported_by=lab_user
    )
    assert not second.already_imported
    assert (second.saved, second.unchanged, second.bad_rows) == (1, 1, [])
    assert second.batch.pk == first.batch.pk and ResultsImport.objects.count() == 1
    second.batch.refresh_from_db()
    assert (second.batch.saved, second.batch.bad) == (2, 0)
    assert LabResult.objects.get(sample__barcode="T3-000009").batch_id == first.batch.pk
    late.refresh_from_db()
    assert late.state == ArrivalState.DISPOSED

    before = LabResult.objects.count()
    third = results_import.import_results_file(
        file=content, filename="results.csv", lab="Jiangbei CDC", reported_by=lab_user
    )
    assert third.already_imported and third.saved == 0 and LabResult.objects.count() == before


def test_an_xlsx_file_with_chinese_headers(three_waiting, lab_user):
    book = Workbook()
    sheet = book.active
    sheet.append(["条码", "结果", "检测时间", "实验室"])
    sheet.append(["T3-000001", "阴性", timezone.localtime().replace(tzinfo=None), "市疾控"])
    sheet.append(["T3-000002", "不确定", when(), ""])
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = results_import.import_results_file(
        file=buffer.getvalue(), filename="结果.xlsx", lab="Jiangbei CDC", reported_by=lab_user
    )
    assert outcome.saved == 2, outcome.bad_rows
    assert LabResult.objects.get(sample__barcode="T3-000001").lab == "市疾控"
    assert LabResult.objects.get(sample__barcode="T3-000002").result == "inconclusive"


def test_a_file_without_the_columns_is_refused_whole(three_waiting):
    preview = results_import.preview_results_file(file=b"code,value\nA,B\n", filename="x.csv")
    assert not preview.good_rows and preview.bad_rows[0].line == 1
    preview = results_import.preview_results_file(file=b"PK\x03\x04junk", filename="x.xlsx")
    assert "XLSX" in preview.bad_rows[0].reason
    preview = results_import.preview_results_file(file=b"hello", filename="x.pdf")
    assert "CSV or XLSX" in preview.bad_rows[0].reason


# --- the set-based save: the same end state as one result at a time ----------------------------


def _waiting_for_results(desk, sampler, site):
    """One traveler of each kind a laboratory's file mixes, all sampled; (barcode, result) rows.

    The last two were decided at screening under the old table of moves (a fever; one of them
    then overridden by an officer) and sampled all the same: their result decides again.
    """
    today = timezone.localdate()
    home = [
        {
            "country": "CN",
            "city": "Shanghai",
            "date_from": (today - timedelta(days=10)).isoformat(),
            "date_to": today.isoformat(),
        }
    ]
    kinds = [
        ("negative", {}),  # Korean, high-risk history: centralized quarantine, consulate told
        ("positive", {}),  # Korean: hospital, consulate told
        ("inconclusive", {}),  # back to re-sampling, the tube replaced
        ("negative", {"nationality": "CN", "document_type": "passport"}),  # nobody to tell
        ("negative", {"category": "diplomat", "accreditation_number": "DIP-0042"}),
        ("negative", {"nationality": "JP", "history": home, "language": "ja"}),  # home quarantine
        ("negative", {"legacy": "fever"}),
        ("negative", {"legacy": "fever, overridden"}),
    ]
    rows = []
    for number, (value, changes) in enumerate(kinds, start=1):
        legacy = changes.pop("legacy", "")
        traveler = declare(document_number=f"M2000000{number}", **changes)
        barcode = f"T3-{number:06d}"
        if legacy:
            screened(traveler, desk, celsius="38.4")
            Arrival.objects.filter(pk=traveler.pk).update(state=ArrivalState.SCREENED)
            traveler.refresh_from_db()
            if "overridden" in legacy:
                dispositions.override_disposition(
                    arrival=traveler,
                    disposition="centralized_quarantine",
                    reason="Thermometer fault; 36.6 on the second device",
                    officer=desk,
                )
        sampled(traveler, desk, sampler, site, barcode, screen=not legacy)
        rows.append((barcode, value))
    return rows


def _end_state(since_audit: int) -> dict:
    """Everything the pipeline wrote, keyed by what both runs share (codes, barcodes)."""
    from collections import Counter

    from liaison.arrivals.models import ArrivalEvent
    from liaison.assistance.models import ConsularNotification
    from liaison.core.models import AuditEntry
    from liaison.screening.models import Sample

    code = dict(Arrival.objects.values_list("pk", "code"))
    barcode = dict(Sample.objects.values_list("pk", "barcode"))
    dispositions = list(Disposition.objects.order_by("arrival_id", "decided_at", "id"))
    place = {}  # a disposition by its traveler and its place among theirs
    for d in dispositions:
        place[d.pk] = (
            code[d.arrival_id],
            sum(1 for k in place.values() if k[0] == code[d.arrival_id]),
        )
    natural = {
        "arrivals.arrival": code,
        "screening.sample": barcode,
        "screening.labresult": {r.pk: barcode[r.sample_id] for r in LabResult.objects.all()},
        "screening.disposition": place,
        "assistance.consularnotification": dict(
            ConsularNotification.objects.values_list("pk", "source_key")
        ),
    }
    events: dict[str, list] = {}
    for e in ArrivalEvent.objects.order_by("arrival_id", "at", "id"):
        events.setdefault(code[e.arrival_id], []).append(
            (e.from_state, e.to_state, e.actor_id, e.where, e.why, e.data)
        )
    return {
        "arrivals": {
            code[pk]: (state, facts)
            for pk, state, facts in Arrival.objects.values_list("pk", "state", "facts")
        },
        "samples": dict(Sample.objects.values_list("barcode", "superseded")),
        "results": sorted(
            (barcode[r.sample_id], r.result, r.lab, r.tested_at, r.reported_by_id)
            for r in LabResult.objects.all()
        ),
        "dispositions": [
            (
                place[d.pk],
                d.disposition,
                d.decision,
                d.rule_id,
                d.rules_version_id,
                d.risk_list_version_id,
                d.decided_by_id,
                d.overridden_by_id,
                d.override_reason,
                d.is_current,
            )
            for d in dispositions
        ],
        "events": events,
        "notifications": sorted(
            (
                n.source_key,
                n.mission_id,
                n.reason,
                n.status,
                n.person_name,
                n.person_name_latin,
                str(n.nationality),
                n.document_number,
                n.language,
                n.subject,
                n.body,
                n.drafted_by_id,
            )
            for n in ConsularNotification.objects.all()
        ),
        # Which records were audited as what: one result at a time writes an entry per record,
        # the file one entry per table and kind of change naming its records (object_ids).
        "audit": Counter(
            (
                e.action,
                e.object_type,
                natural.get(e.object_type, {}).get(int(record)) if record else None,
                tuple(e.fields),
                e.note,
                e.actor_id,
                e.actor_username,
                e.ip_address,
                e.path,
            )
            for e in AuditEntry.objects.filter(pk__gt=since_audit)
            for record in (e.object_ids or [e.object_id])
        ),
    }


def _rolled_back(write) -> dict:
    """What ``write`` leaves behind, after which the database is as it was before."""
    from django.db import transaction

    from liaison.core.models import AuditEntry

    savepoint = transaction.savepoint()
    mark = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    write()
    state = _end_state(mark)
    transaction.savepoint_rollback(savepoint)
    return state


def test_the_set_based_save_ends_where_one_result_at_a_time_ends(
    city, airport_desk_officer, sampler_at_t3, t3_sampling_site, lab_user
):
    rows = _waiting_for_results(airport_desk_officer, sampler_at_t3, t3_sampling_site)
    tested = timezone.localtime().replace(second=0, microsecond=0) - timedelta(minutes=5)
    content = csv_file(
        *(f"{barcode},{value},{tested:%Y-%m-%d %H:%M}" for barcode, value in rows),
        f"NOPE-9,negative,{tested:%Y-%m-%d %H:%M}",
    )

    def one_at_a_time():
        for barcode, value in rows:
            results.record_result(
                barcode=barcode,
                result=value,
                lab="Jiangbei CDC",
                tested_at=tested,
                reported_by=lab_user,
                source="file",
            )

    def the_file():
        outcome = results_import.import_results_file(
            file=content, filename="results.csv", lab="Jiangbei CDC", reported_by=lab_user
        )
        assert (outcome.saved, len(outcome.bad_rows)) == (len(rows), 1)

    single, bulk = _rolled_back(one_at_a_time), _rolled_back(the_file)
    for part in single:
        assert bulk[part] == single[part], part
    # The inputs covered what they should: each kind of decision, a re-sample, a step-down.
    states = [state for state, _facts in single["arrivals"].values()]
    assert states.count(ArrivalState.DISPOSED) == 7 and states.count(ArrivalState.RESULT) == 1
    decided = {d[1] for d in single["dispositions"] if d[-1]}
    assert decided == {
        "centralized_quarantine",
        "hospital",
        "diplomatic_arrangement",
        "home_quarantine",
    }
    assert sum(1 for d in single["dispositions"] if not d[-1]) == 2  # fever, then the override
    assert [n[0].split(":")[-1] for n in single["notifications"]].count("hospital") == 3
    assert len(single["notifications"]) == 6
    assert sum(single["samples"].values()) == 1


def _pipeline_counts():
    from liaison.arrivals.models import ArrivalEvent
    from liaison.assistance.models import ConsularNotification
    from liaison.core.models import AuditEntry

    return (
        LabResult.objects.count(),
        Disposition.objects.count(),
        ArrivalEvent.objects.count(),
        ConsularNotification.objects.count(),
        AuditEntry.objects.exclude(action="read").count(),
        sorted(Arrival.objects.values_list("state", "facts")),
    )


@pytest.mark.parametrize("moment", ["_sort", "_current_dispositions"])
def test_a_traveler_moved_meanwhile_refuses_the_whole_file(
    three_waiting, lab_user, airport_desk_officer, monkeypatch, moment
):
    """Someone sends a traveler of the file to hospital while it is being saved: after the save
    sorted the rows (its lock then finds the traveler moved), or after it locked them (the
    conditional UPDATE then moves fewer rows than expected; on PostgreSQL the lock prevents it).
    Either way nothing of the file is saved, and the officer is told to preview it again.

    Here the other officer's move runs in the save's own transaction, so it is rolled back with
    it; tests/screening/test_concurrency.py races two real transactions on PostgreSQL.
    """
    content = csv_file(*(f"T3-00000{n},negative,{when()}" for n in (1, 2, 3)))
    staged = results_import.stage_results_file(
        file=content, filename="results.csv", lab="Jiangbei CDC", uploaded_by=lab_user
    )
    assert len(results_import.preview_results_file(file=content, filename="r.csv").good_rows) == 3
    before = _pipeline_counts()
    original = getattr(results_import, moment)

    def then_someone_moves_one(*args, **kwargs):
        found = original(*args, **kwargs)
        Arrival.objects.filter(pk=three_waiting[1].pk).update(state=ArrivalState.IN_HOSPITAL)
        return found

    monkeypatch.setattr(results_import, moment, then_someone_moves_one)
    with pytest.raises(Refused) as refused:
        results_import.import_results_file(
            file=content,
            filename="results.csv",
            lab="Jiangbei CDC",
            reported_by=lab_user,
            staged=staged,
        )
    assert refused.value.field == "state"
    assert "1 traveler of this file was moved by someone else" in refused.value.message
    assert "nothing was saved" in refused.value.message
    assert _pipeline_counts() == before
    assert ResultsImport.objects.get().status == ImportStatus.PREVIEWED


def test_a_file_of_bad_rows_changes_nothing(three_waiting, lab_user):
    content = csv_file(
        f"NOPE-9,negative,{when()}",  # unknown tube
        f"T3-000001,maybe,{when()}",  # unknown value
        f"T3-000002,negative,{when(-600)}",  # in the future
        "T3-000003,negative,2020-01-01 10:00",  # before the sample
    )
    before = _pipeline_counts()
    outcome = results_import.import_results_file(
        file=content, filename="bad.csv", lab="Jiangbei CDC", reported_by=lab_user
    )
    assert (outcome.saved, len(outcome.bad_rows)) == (0, 4)
    assert _pipeline_counts() == before
    # The file itself is kept, with its counts, like any saved file.
    assert (outcome.batch.rows, outcome.batch.saved, outcome.batch.bad) == (4, 0, 4)


# --- the page that saves a previewed file -----------------------------------------------------


@pytest.fixture
def lab_page(signed_in, lab_user):
    client = signed_in(lab_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _stage(client, content: bytes) -> ResultsImport:
    response = client.post(
        "/screening/lab/",
        {"action": "file", "lab": "Jiangbei CDC", "file": _upload(content)},
    )
    staged = ResultsImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{staged.pk}/")
    return staged


def _upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("results.csv", content, content_type="text/csv")


def _text(response, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', response.content.decode())
    assert found, response.content.decode()[:2000]
    return found.group(1).strip()


def test_saving_a_previewed_file_saves_its_good_rows_and_says_so(three_waiting, lab_page):
    content = csv_file(
        f"T3-000001,negative,{when()}", f"T3-000002,negative,{when()}", f"NOPE-1,negative,{when()}"
    )
    staged = _stage(lab_page, content)

    response = lab_page.post(f"/screening/lab/files/{staged.pk}/save/")

    assert response.status_code == 200
    assert not response.streaming
    assert _text(response, "saved") == "2 results saved; 0 were already recorded."
    assert _text(response, "bad-count") == "1 bad row was not saved."
    staged.refresh_from_db()
    assert (staged.status, staged.saved, staged.bad) == (ImportStatus.SAVED, 2, 1)
    assert LabResult.objects.filter(batch=staged).count() == 2
    # Saving it again changes nothing, and says so.
    again = lab_page.post(f"/screening/lab/files/{staged.pk}/save/")
    assert _text(again, "saved") == "This file was already imported; nothing changed."
    assert LabResult.objects.count() == 2


def test_a_traveler_moved_while_the_file_is_saved_refuses_the_whole_save(
    three_waiting, lab_page, airport_desk_officer, monkeypatch
):
    """Another officer's move lands after the save sorted the rows, before it locked them."""
    content = csv_file(f"T3-000001,negative,{when()}", f"T3-000002,negative,{when()}")
    staged = _stage(lab_page, content)
    sort = results_import._sort

    def sort_then_someone_moves_one(*args, **kwargs):
        found = sort(*args, **kwargs)
        transfer_to_hospital(
            arrival=three_waiting[1], officer=airport_desk_officer, reason="Collapsed"
        )
        return found

    monkeypatch.setattr(results_import, "_sort", sort_then_someone_moves_one)

    response = lab_page.post(f"/screening/lab/files/{staged.pk}/save/")

    assert response.status_code == 409
    assert _text(response, "failed") == (
        "1 traveler of this file was moved by someone else while the file was being saved; "
        "nothing was saved. Preview the file again."
    )
    # Nothing of the save stays, the other officer's move included (it ran inside the save's
    # transaction here; tests/screening/test_concurrency.py races two real ones).
    assert not LabResult.objects.exists()
    assert ResultsImport.objects.get().status == ImportStatus.PREVIEWED
    assert set(Arrival.objects.values_list("state", flat=True)) == {ArrivalState.SAMPLED}


def test_only_the_uploader_saves_their_staged_file(three_waiting, lab_page, signed_in):
    staged = _stage(lab_page, csv_file(f"T3-000001,negative,{when()}"))
    other = signed_in(make_user("other-lab", "lab"))
    response = other.post(f"/screening/lab/files/{staged.pk}/save/")
    assert response.status_code == 404
    assert not LabResult.objects.exists()
