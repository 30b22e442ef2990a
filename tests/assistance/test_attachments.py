"""Attachments: an allow-list of types recognised by content, a size limit, audited downloads."""

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liaison.assistance import services
from liaison.assistance.models import CaseAttachment
from liaison.core.models import AuditEntry
from liaison.core.refusals import Refused

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "passport copy list"
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("ticket.pdf", PDF, "application/pdf"),
        ("passport.PNG", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        (
            "letter.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "list.xlsx",
            xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_allowed_types_are_stored_under_media_root(
    stranded_in_milan, assistance_officer, settings, name, content, content_type
):
    attachment = services.add_attachment(
        case=stranded_in_milan, upload=SimpleUploadedFile(name, content), by=assistance_officer
    )
    assert (attachment.original_name, attachment.content_type) == (name, content_type)
    stored = Path(attachment.file.path)
    assert stored.is_relative_to(settings.MEDIA_ROOT) and stored.read_bytes() == content
    # The stored name is random, never the uploaded (possibly personal) one.
    assert name.split(".")[0] not in stored.name
    assert stranded_in_milan.events.last().type == "attachment"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("virus.exe", b"MZ\x90\x00", "not accepted"),
        ("notes.txt", b"hello", "not accepted"),
        ("ticket.pdf", b"MZ\x90\x00 really an exe", "not what its name says"),
        ("photo.png", JPEG, "not what its name says"),
        ("letter.docx", zip_bytes(), "not what its name says"),
        ("letter.docx", b"PK\x03\x04 broken zip", "not what its name says"),
        ("list.xlsx", docx_bytes(), "not what its name says"),
        ("noextension", PDF, "not accepted"),
    ],
)
def test_other_types_are_refused_by_content_not_only_by_name(
    stranded_in_milan, assistance_officer, settings, name, content, reason
):
    with pytest.raises(Refused) as error:
        services.add_attachment(
            case=stranded_in_milan, upload=SimpleUploadedFile(name, content), by=assistance_officer
        )
    assert reason in dict(error.value.problems)["file"]
    assert not CaseAttachment.objects.exists()
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*.*"))


def test_a_file_over_the_limit_is_refused(stranded_in_milan, assistance_officer, settings):
    settings.LIAISON_ASSISTANCE_ATTACHMENT_MAX_BYTES = 1000
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 1000)
    with pytest.raises(Refused) as error:
        services.add_attachment(case=stranded_in_milan, upload=upload, by=assistance_officer)
    assert "at most" in dict(error.value.problems)["file"]
    assert not CaseAttachment.objects.exists()
    assert stranded_in_milan.events.count() == 1


def test_the_default_limit_is_ten_megabytes(stranded_in_milan, assistance_officer):
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(Refused):
        services.add_attachment(case=stranded_in_milan, upload=upload, by=assistance_officer)


def test_upload_and_download_through_the_page(stranded_in_milan, assistance_officer, signed_in):
    client = signed_in(assistance_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    url = f"/assistance/cases/{stranded_in_milan.pk}/"
    response = client.post(
        url, {"op": "attach", "attach-file": SimpleUploadedFile("evil.pdf", b"<script>")}
    )
    assert response.status_code == 400
    assert "not what its name says" in response.content.decode()
    assert not CaseAttachment.objects.exists()
    response = client.post(url, {"op": "attach", "attach-file": SimpleUploadedFile("t.pdf", PDF)})
    assert response.status_code == 302
    attachment = CaseAttachment.objects.get()
    download = client.get(f"{url}attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(
        action="read", object_type="assistance.caseattachment", object_id=str(attachment.pk)
    ).exists()
