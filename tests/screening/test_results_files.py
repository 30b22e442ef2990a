"""Laboratory results files: a preview listing each bad row, then the good rows at once."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import Workbook

from liaison.arrivals.models import Arrival
from liaison.arrivals.states import ArrivalState
from liaison.screening import services
from liaison.screening.models import Disposition, ImportStatus, LabResult, ResultsImport
from tests.screening.conftest import declare, sampled

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
    preview = services.preview_results_file(file=content, filename="results.csv")
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
    seen = []
    outcome = services.import_results_file(
        file=content,
        filename="results.csv",
        lab="Jiangbei CDC",
        reported_by=lab_user,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert (outcome.saved, len(outcome.bad_rows)) == (2, 1) and seen[-1] == (2, 2)
    assert outcome.batch.status == ImportStatus.SAVED
    assert LabResult.objects.filter(batch=outcome.batch, source="file").count() == 2
    states = dict(Arrival.objects.values_list("document_number", "state"))
    assert states["M12345678"] == ArrivalState.DISPOSED
    assert states["M00000001"] == ArrivalState.DISPOSED
    assert states["M00000002"] == ArrivalState.SAMPLED
    before = (LabResult.objects.count(), Disposition.objects.count(), ResultsImport.objects.count())

    again = services.import_results_file(
        file=content, filename="results.csv", lab="Jiangbei CDC", reported_by=lab_user
    )
    assert again.already_imported and again.saved == 0
    assert before == (
        LabResult.objects.count(),
        Disposition.objects.count(),
        ResultsImport.objects.count(),
    )
    # The same rows in another file are recognised row by row.
    preview = services.preview_results_file(file=content + b"\n", filename="results-copy.csv")
    assert len(preview.unchanged_rows) == 2 and not preview.good_rows


def test_an_xlsx_file_with_chinese_headers(three_waiting, lab_user):
    book = Workbook()
    sheet = book.active
    sheet.append(["条码", "结果", "检测时间", "实验室"])
    sheet.append(["T3-000001", "阴性", timezone.localtime().replace(tzinfo=None), "市疾控"])
    sheet.append(["T3-000002", "不确定", when(), ""])
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = services.import_results_file(
        file=buffer.getvalue(), filename="结果.xlsx", lab="Jiangbei CDC", reported_by=lab_user
    )
    assert outcome.saved == 2, outcome.bad_rows
    assert LabResult.objects.get(sample__barcode="T3-000001").lab == "市疾控"
    assert LabResult.objects.get(sample__barcode="T3-000002").result == "inconclusive"


def test_a_file_without_the_columns_is_refused_whole(three_waiting):
    preview = services.preview_results_file(file=b"code,value\nA,B\n", filename="x.csv")
    assert not preview.good_rows and preview.bad_rows[0].line == 1
    preview = services.preview_results_file(file=b"PK\x03\x04junk", filename="x.xlsx")
    assert "XLSX" in preview.bad_rows[0].reason
    preview = services.preview_results_file(file=b"hello", filename="x.pdf")
    assert "CSV or XLSX" in preview.bad_rows[0].reason
