"""What a conference material may be: a short allow-list of types, recognised by their content.

The same checks as the assistance desk's attachments (``assistance/attachments.py``) plus slide
decks: the name's extension says what the file must be, the first bytes (and, for the Office
formats, the ZIP's main part, read within ``core/uploads.py``'s caps) say what it is. A ".pdf"
that is a PNG, a renamed program or a file over the size limit is refused on the ``file`` field.
"""

from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from liaison.core import uploads
from liaison.core.refusals import Refused

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

TYPE_OF_EXTENSION = {
    ".pdf": PDF,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".pptx": PPTX,
}
SUFFIX_OF_TYPE = {
    PDF: ".pdf",
    JPEG: ".jpg",
    PNG: ".png",
    DOCX: ".docx",
    XLSX: ".xlsx",
    PPTX: ".pptx",
}
# The part of an Office file that says which kind it is (a renamed .zip has none of them).
_MAIN_PART = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}


def max_bytes() -> int:
    return int(getattr(settings, "LIAISON_EXCHANGES_MATERIAL_MAX_BYTES", DEFAULT_MAX_BYTES))


def sniff(upload) -> str | None:
    """The type the bytes really are, or None."""
    upload.seek(0)
    head = upload.read(16)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        try:
            with uploads.check_zip(upload.read()) as archive:
                names = set(archive.namelist())
        except uploads.UploadRefused:
            return None
        if "[Content_Types].xml" in names:
            for part, kind in _MAIN_PART.items():
                if part in names:
                    return kind
    return None


def check_material(upload) -> str:
    """The checked content type of an uploaded material; ``Refused`` on the ``file`` field."""
    limit = max_bytes()
    if upload.size > limit:
        raise Refused(
            _("The file is %(size)s; materials may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            "file",
        )
    allowed = _("Allowed: PDF, JPEG, PNG, DOCX, XLSX, PPTX.")
    suffix = PurePath(upload.name or "").suffix.lower()
    expected = TYPE_OF_EXTENSION.get(suffix)
    if expected is None:
        raise Refused(_("This type of file is not accepted.") + " " + allowed, "file")
    actual = sniff(upload)
    upload.seek(0)
    if actual != expected:
        raise Refused(
            _("The file's content is not what its name says (%(name)s).") % {"name": suffix}
            + " "
            + allowed,
            "file",
        )
    return actual
