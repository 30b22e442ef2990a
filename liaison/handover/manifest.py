"""The bilingual handover manifest: one template, shown as a printable page and printed as PDF.

The paper travels with the vehicle and is signed in the district, so it speaks Chinese and
English side by side whatever the officer's language; codes (a disposition, a status) are shown
as their labels in both. Names are shown as their own script writes them, tagged with their
language so the PDF picks the right glyphs (``liaison.core.pdf``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from liaison.core.names import language_of, native_name
from liaison.core.pdf import render_pdf
from liaison.handover.models import Batch, BatchMember
from liaison.handover.selectors import mask_document
from liaison.policy.models import DispositionChoice

TEMPLATE = "handover/manifest.html"


@dataclass(frozen=True)
class Row:
    member: BatchMember
    name: str
    name_lang: str
    document: str


def _both(label) -> dict[str, str]:
    """A translatable label in the manifest's two languages."""
    labels = {}
    for key, language in (("zh", "zh-hans"), ("en", "en")):
        with translation.override(language):
            labels[key] = str(label)
    return labels


def context(batch: Batch, members: list[BatchMember]) -> dict:
    rows = []
    for member in members:
        arrival = member.arrival
        name = native_name(arrival.surname_native, arrival.given_names_native)
        rows.append(
            Row(
                member=member,
                name=name,
                name_lang=language_of(name, arrival.nationality.code or ""),
                document=mask_document(arrival.document_number),
            )
        )
    return {
        "batch": batch,
        "rows": rows,
        "disposition": _both(DispositionChoice(batch.disposition).label),
        "status": _both(Batch.Status(batch.status).label),
    }


def manifest_pdf(batch: Batch, members: list[BatchMember]) -> bytes:
    return render_pdf(TEMPLATE, context(batch, members))
