"""What an attachment may be: a short allow-list of types, recognised by their content."""

from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from liaison.core import uploads
from liaison.core.refusals import Refused

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TYPE_OF_EXTENSION = {
    ".pdf": PDF,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
    ".docx": DOCX,
    ".xlsx": XLSX,
}


def max_bytes() -> int:
    return int(getattr(settings, "LIAISON_ASSISTANCE_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(head: bytes, whole) -> str | None:
    """The type the bytes really are, or None. ``whole`` is the file, read only for ZIP types."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        # DOCX and XLSX are ZIP archives; their main part says which one (a renamed .zip is not).
        whole.seek(0)
        try:
            # The same caps as a spreadsheet's: members, declared sizes, ratios (core/uploads.py).
            with uploads.check_zip(whole.read()) as archive:
                names = set(archive.namelist())
        except uploads.UploadRefused:
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return XLSX
    return None


def check_upload(upload) -> str:
    """The checked content type of an uploaded file; ``Refused`` on the ``file`` field else."""
    limit = max_bytes()
    if upload.size > limit:
        raise Refused(
            _("The file is %(size)s; attachments may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            "file",
        )
    allowed = _("Allowed: PDF, JPEG, PNG, DOCX, XLSX.")
    expected = TYPE_OF_EXTENSION.get(PurePath(upload.name or "").suffix.lower())
    if expected is None:
        raise Refused(_("This type of file is not accepted.") + " " + allowed, "file")
    upload.seek(0)
    head = upload.read(16)
    actual = sniff(head, upload)
    upload.seek(0)
    if actual != expected:
        raise Refused(
            _("The file's content is not what its name says (%(name)s).")
            % {"name": PurePath(upload.name).suffix.lower()}
            + " "
            + allowed,
            "file",
        )
    return actual
