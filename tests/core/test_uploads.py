"""Uploads are capped by what they unpack to, refused with a message, and parsed once.

The files here are the real shapes of the attacks: an XLSX whose sheet unpacks to far more than
it weighs (a compression bomb), XML declaring entities ("billion laughs"), a sheet read as a
million empty rows (the trial's 144 KB file that held a worker for 28 s), and a CSV field past
the csv module's limit. Each is sent the way an officer sends it (the lab page, the manifest
import, an assistance attachment) and must come back a 4xx with the reason, storing nothing.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from liaison.arrivals.models import Flight, ManifestEntry
from liaison.assistance.attachments import XLSX, sniff
from liaison.core import uploads
from liaison.screening import results_files
from liaison.screening.models import LabResult, ResultsImport
from liaison.screening.results_import import import_results_file
from tests.conftest import make_user
from tests.screening.conftest import declare, sampled

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = b"</sheetData></worksheet>"


def workbook(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_parts(content: bytes, **parts: bytes) -> bytes:
    """The workbook with some of its parts replaced (``sheet=`` is the first sheet)."""
    names = {SHEET if name == "sheet" else name.replace("__", "/"): v for name, v in parts.items()}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for member in source.infolist():
            target.writestr(member.filename, names.pop(member.filename, source.read(member)))
        for name, value in names.items():
            target.writestr(name, value)
    return out.getvalue()


def sheet_of(rows: bytes) -> bytes:
    return _SHEET_HEAD + rows + _SHEET_TAIL


def inline_row(number: int, *values: str) -> bytes:
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'.encode()


HEADER = inline_row(1, "barcode", "result", "tested_at")


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages are read in English here (the staff pages default to Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def in_english(client):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def opened_workbooks(monkeypatch):
    """A spy on openpyxl's loader (it calls through): how many workbooks were parsed."""
    calls = []
    real = openpyxl.load_workbook

    def spy(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    return calls


@pytest.fixture
def lab_officer(signed_in, city):
    from liaison.core.roles import Role

    return in_english(signed_in(make_user("upload-lab", Role.LAB)))


def upload_results(client, content: bytes, name: str):
    return client.post(
        "/screening/lab/",
        {"action": "file", "lab": "CDC", "file": SimpleUploadedFile(name, content)},
    )


# --- compression bombs ------------------------------------------------------------------------


def test_a_compression_bomb_is_refused_from_its_zip_directory_without_parsing(
    lab_officer, opened_workbooks
):
    # 80 MB of sheet XML (the default cap is 64 MiB) in a file of ~100 KB.
    padding = b"<!--" + b"0" * (80 * 1024 * 1024) + b"-->"
    bomb = with_parts(workbook(["barcode"]), sheet=sheet_of(HEADER + padding))
    assert len(bomb) < 200 * 1024
    response = upload_results(lab_officer, bomb, "results.xlsx")
    assert response.status_code == 400
    assert "unpacks to" in response.content.decode()
    assert opened_workbooks == []  # refused before openpyxl read a byte of it
    assert not ResultsImport.objects.exists()


def test_a_member_compressed_beyond_any_spreadsheet_is_refused(settings):
    padding = b"<!--" + b" " * (8 * 1024 * 1024) + b"-->"  # 8 MB: under the size cap
    bomb = with_parts(workbook(["barcode"]), sheet=sheet_of(HEADER + padding))
    parsed = results_files.read(bomb, "results.xlsx")
    assert "compressed beyond" in parsed.refused
    assert parsed.problems[0].line == 0


def test_the_caps_are_settings(settings):
    content = workbook(["barcode", "result", "tested_at"])
    settings.LIAISON_UPLOAD_MAX_UNPACKED_BYTES = 1000
    assert "unpacks to" in results_files.read(content, "r.xlsx").refused
    del settings.LIAISON_UPLOAD_MAX_UNPACKED_BYTES
    assert results_files.read(content, "r.xlsx").refused == ""


def test_an_attachment_that_is_a_bomb_is_not_taken_for_a_spreadsheet():
    padding = b"<!--" + b"0" * (80 * 1024 * 1024) + b"-->"
    bomb = with_parts(workbook(["x"]), sheet=sheet_of(padding))
    assert sniff(bomb[:16], io.BytesIO(bomb)) is None
    assert sniff(workbook(["x"])[:16], io.BytesIO(workbook(["x"]))) == XLSX


# --- entity expansion -------------------------------------------------------------------------

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % ("" if i == 1 else i - 1)) * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]>"
)


@pytest.mark.parametrize(
    "part",
    ["sheet", "xl__sharedStrings.xml", "xl__workbook.xml"],
)
def test_xml_declaring_entities_is_refused(part, lab_officer, opened_workbooks):
    body = BILLION_LAUGHS + sheet_of(inline_row(1, "&lol9;"))[len(_SHEET_HEAD.split(b"\n")[0]) :]
    laughs = with_parts(workbook(["barcode", "result", "tested_at"]), **{part: body})
    response = upload_results(lab_officer, laughs, "results.xlsx")
    assert response.status_code == 400
    assert "declares entities" in response.content.decode()
    assert opened_workbooks == []
    assert not ResultsImport.objects.exists()


def test_openpyxl_itself_refuses_entities_when_a_dtd_slips_past_the_prolog(opened_workbooks):
    # A DTD after 64 KB of whitespace: not seen by the prolog check; defusedxml refuses it.
    body = b'<?xml version="1.0"?>' + b" " * (70 * 1024) + BILLION_LAUGHS.split(b"\n", 1)[1]
    body += sheet_of(inline_row(1, "&lol9;")).split(b"\n", 1)[1]
    laughs = with_parts(workbook(["barcode"]), sheet=body)
    parsed = results_files.read(laughs, "results.xlsx")
    assert parsed.refused  # "not a readable workbook": the entity was never expanded
    assert parsed.rows == []


# --- a million empty rows ---------------------------------------------------------------------


def test_a_sheet_of_a_million_empty_rows_stops_at_the_cap(lab_officer):
    # One header, then a cell at row 1,000,000: read-only openpyxl yields every row between.
    far = b'<row r="1000000"><c r="A1000000"><v>1</v></c></row>'
    sparse = with_parts(workbook(["barcode"]), sheet=sheet_of(HEADER + far))
    assert len(sparse) < 20 * 1024
    response = upload_results(lab_officer, sparse, "results.xlsx")
    assert response.status_code == 400
    assert f"more than {results_files.MAX_LINES:,} lines" in response.content.decode()
    assert not ResultsImport.objects.exists()


def test_a_million_written_empty_rows_stop_at_the_cap_too(settings):
    # So dense a file is refused by its ratio (667 to 1) first; without that, the cap stops it.
    settings.LIAISON_UPLOAD_MAX_RATIO = 10_000
    empty = with_parts(workbook(["barcode"]), sheet=sheet_of(HEADER + b"<row/>" * 999_999))
    assert len(empty) < 150 * 1024  # the trial's was 144 KB
    lines = uploads.xlsx_lines(empty, max_lines=1000)
    read = []
    with pytest.raises(uploads.UploadRefused, match="more than 1,000 lines"):
        for number, _cells in lines:
            read.append(number)
    assert len(read) == 1000  # stopped at the cap: nothing past it was read


def test_a_sheet_wider_than_the_cap_is_read_only_that_wide(settings):
    settings.LIAISON_UPLOAD_MAX_COLUMNS = 3
    wide = with_parts(workbook(["x"]), sheet=sheet_of(b'<row r="1"><c r="XFD1"><v>1</v></c></row>'))
    assert list(uploads.xlsx_lines(wide, max_lines=10)) == [(1, [])]  # XFD1 was not read


def test_cells_are_capped(settings):
    settings.LIAISON_UPLOAD_MAX_CELLS = 10
    text = "\n".join(["a,b,c"] * 5)
    with pytest.raises(uploads.UploadRefused, match="more than 10 cells"):
        list(uploads.csv_lines(text, max_lines=100))


# --- CSV fields past the csv module's limit ---------------------------------------------------


def test_a_results_csv_field_over_the_field_limit_is_a_clean_400(lab_officer):
    huge = b"barcode,result,tested_at\n" + b"T3-1," + b"x" * 200_000 + b",2020-01-01 10:00\n"
    response = upload_results(lab_officer, huge, "results.csv")
    assert response.status_code == 400
    assert "cannot be read as CSV" in response.content.decode()
    assert not ResultsImport.objects.exists()


def test_a_manifest_csv_field_over_the_field_limit_is_a_clean_400(airport_desk_officer, signed_in):
    huge = b"name,document,seat\n" + b'"' + b"x" * 200_000 + b'",E1234567,1A\n'
    response = in_english(signed_in(airport_desk_officer)).post(
        "/arrivals/flights/import/",
        {
            "flight_number": "MU5001",
            "date": "2020-03-20",
            "file": SimpleUploadedFile("manifest.csv", huge),
        },
    )
    assert response.status_code == 400
    assert "cannot be read as CSV" in response.content.decode()
    assert not ManifestEntry.objects.exists()


def test_a_manifest_bomb_is_refused(airport_desk_officer, signed_in, opened_workbooks):
    padding = b"<!--" + b"0" * (80 * 1024 * 1024) + b"-->"
    bomb = with_parts(workbook(["name", "document", "seat"]), sheet=sheet_of(padding))
    response = in_english(signed_in(airport_desk_officer)).post(
        "/arrivals/flights/import/",
        {
            "flight_number": "MU5001",
            "date": "2020-03-20",
            "file": SimpleUploadedFile("m.xlsx", bomb),
        },
    )
    assert response.status_code == 400
    assert "unpacks to" in response.content.decode()
    assert opened_workbooks == []
    assert not ManifestEntry.objects.exists()
    assert Flight.objects.count() <= 1


# --- one parse per upload ---------------------------------------------------------------------


@pytest.fixture
def parses(monkeypatch):
    """A spy on the results file parser (it calls through): the files it parsed."""
    calls = []
    real = results_files.read

    def spy(content, filename):
        calls.append(filename)
        return real(content, filename)

    monkeypatch.setattr(results_files, "read", spy)
    return calls


def test_upload_preview_and_save_share_one_parse(
    parses, lab_officer, airport_desk_officer, sampler_at_t3
):
    from liaison.core.models import Site

    site = Site.objects.get(code="SAMP-CKG-T3")
    traveler = declare()
    sampled(traveler, airport_desk_officer, sampler_at_t3, site, "T3-000001")
    from django.utils import timezone

    when = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    content = f"barcode,result,tested_at\nT3-000001,negative,{when}\n".encode()

    response = upload_results(lab_officer, content, "results.csv")
    assert response.status_code == 302
    staged = ResultsImport.objects.get()
    assert parses == ["results.csv"]  # parsed once, when it came
    assert lab_officer.get(f"/screening/lab/files/{staged.pk}/").status_code == 200
    assert lab_officer.get(f"/screening/lab/files/{staged.pk}/").status_code == 200
    outcome = import_results_file(
        file=bytes(staged.content),
        filename=staged.filename,
        lab=staged.lab,
        reported_by=staged.uploaded_by,
        staged=staged,
    )
    assert outcome.saved == 1
    assert LabResult.objects.count() == 1
    assert parses == ["results.csv"]  # the previews and the save used that parse


def test_another_file_is_parsed_on_its_own(parses):
    results_files.read_once(b"barcode,result,tested_at\n", "a.csv")
    results_files.read_once(b"barcode,result,tested_at\n", "a.csv")
    results_files.read_once(b"barcode,result,tested_at\n\n", "a.csv")
    assert parses == ["a.csv", "a.csv"]


@pytest.mark.parametrize("moment", ["0001-01-01 00:00", "9999-12-31 23:59", "2020-13-45 10:00"])
def test_a_row_at_the_calendars_ends_is_a_bad_row(moment):
    parsed = results_files.read(
        f"barcode,result,tested_at\nT3-000001,negative,{moment}\n".encode(), "r.csv"
    )
    assert parsed.rows == []
    assert [(problem.line, problem.barcode) for problem in parsed.problems] == [(2, "T3-000001")]
    assert "test time" in parsed.problems[0].reason
    assert not parsed.refused


def test_a_nul_in_a_manifest_cell_is_a_clean_400(airport_desk_officer, signed_in):
    # PostgreSQL stores no NUL in text: the reader refuses the file before a row is saved.
    content = b"name,document,seat\nKIM\x00MINJUN,E1234567,1A\n"
    response = in_english(signed_in(airport_desk_officer)).post(
        "/arrivals/flights/import/",
        {
            "flight_number": "MU5001",
            "date": "2020-03-20",
            "file": SimpleUploadedFile("m.csv", content),
        },
    )
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert not ManifestEntry.objects.exists()


def test_a_nul_in_a_results_line_refuses_the_file():
    parsed = results_files.read(b"barcode,result,tested_at\nT3-000001\x00,negative,x\n", "r.csv")
    assert "NUL character" in parsed.refused
