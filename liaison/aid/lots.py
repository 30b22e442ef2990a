"""Lots of catalogue items and their certificates (issue 15, point 2).

A certificate is a PDF or an image, nothing else: its type is recognised by its content (the
checks of ``assistance/attachments.py``, with their size cap), so a renamed spreadsheet or
executable is refused before anything is stored.
"""

from __future__ import annotations

from datetime import date
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from liaison.aid.models import Certificate, CertificateKind, Item, Lot
from liaison.assistance.attachments import JPEG, PDF, PNG, TYPE_OF_EXTENSION, max_bytes, sniff
from liaison.core.refusals import Refused

if TYPE_CHECKING:
    from liaison.core.models import User

ALLOWED = frozenset({PDF, JPEG, PNG})


@transaction.atomic
def add_lot(
    *,
    item: int,
    number: str,
    by: User,
    manufacturer: str = "",
    expires_on: date | None = None,
) -> Lot:
    found = Item.objects.filter(pk=item).first() if item else None
    if found is None:
        raise Refused(_("There is no such item in the catalogue."), "item")
    number = (number or "").strip()
    if not number:
        raise Refused(_("Give the lot number."), "number")
    manufacturer = (manufacturer or "").strip()
    if Lot.objects.filter(item=found, manufacturer=manufacturer, number=number).exists():
        raise Refused(_("This lot is in the catalogue already."), "number")
    return Lot.objects.create(
        item=found,
        number=number,
        manufacturer=manufacturer,
        expires_on=expires_on,
        created_by=by,
    )


def check_certificate(upload) -> str:
    """The file's checked type: a PDF, JPEG or PNG whose content is what its name says."""
    if upload is None:
        raise Refused(_("Attach the certificate's file."), "file")
    limit = max_bytes()
    if upload.size > limit:
        raise Refused(
            _("The file is %(size)s; certificates may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            "file",
        )
    expected = TYPE_OF_EXTENSION.get(PurePath(upload.name or "").suffix.lower())
    upload.seek(0)
    actual = sniff(upload.read(16), upload)
    upload.seek(0)
    if expected not in ALLOWED or actual != expected:
        raise Refused(_("A certificate must be a PDF or an image (JPEG, PNG)."), "file")
    return actual


@transaction.atomic
def attach_certificate(*, lot: Lot, kind: str, upload, by: User, number: str = "") -> Certificate:
    if kind not in CertificateKind.values:
        raise Refused(_("Choose the kind of certificate: CE, FDA, NMPA…"), "kind")
    content_type = check_certificate(upload)
    return Certificate.objects.create(
        lot=lot,
        kind=kind,
        number=(number or "").strip(),
        file=upload,
        file_name=PurePath(upload.name).name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
