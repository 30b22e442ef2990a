"""The API of the aid desk's outputs: letters (list, detail, draft, review, send, reply, PDF),
the donation certificate, the public transparency data and the office's report — the same
services, selectors and access rules as the pages.

A letter reviewed by who drafted it, or a move its status does not allow, is 409; a date in the
future or before the letter, a reply without what it says, an unknown language or a malformed
period is 400; nothing is written.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from liaison.aid import letters, reports, selectors, transparency
from liaison.aid.models import Donation, Letter
from liaison.aid.period import Query as Period
from liaison.core import audit
from liaison.core.access import PUBLIC, Area
from liaison.core.api_auth import api_area
from liaison.core.api_errors import REFUSALS, Errors
from liaison.core.models import AuditEntry
from liaison.core.params import ApiDate, ApiId
from liaison.core.refusals import Refused

router = Router(tags=["aid"])


class LetterEventOut(Schema):
    from_status: str
    to_status: str
    by: str
    at: datetime


class LetterOut(Schema):
    id: int
    donation_id: int
    kind: str
    kind_label: str
    language: str
    status: str
    status_label: str
    letter_date: date
    drafted_by: str
    reviewed_by: str | None
    sent_on: date | None
    channel: str
    reply_on: date | None
    reply_summary: str
    events: list[LetterEventOut]


class DraftIn(Schema):
    letter_date: ApiDate | None = None
    language: str = Field("", max_length=10)


class LetterSendIn(Schema):
    sent_on: ApiDate
    channel: str = Field("", max_length=200)


class ReplyIn(Schema):
    reply_on: ApiDate
    summary: str = Field(max_length=5000)


class PeriodIn(Schema):
    since: ApiDate | None = None
    until: ApiDate | None = None


class PublicRowOut(Schema):
    date: date
    flow: str
    donor: str
    donor_country: str
    recipient: str
    recipient_country: str
    allocated_to: str
    item: str
    item_code: str
    units: int
    unit: str


class ReportLineOut(Schema):
    section: str
    country: str
    counterpart: str
    item: str
    units: int
    accepted: int | None


def _out(letter: Letter) -> dict:
    return {
        "id": letter.pk,
        "donation_id": letter.donation_id,
        "kind": letter.kind,
        "kind_label": letter.get_kind_display(),
        "language": letter.language,
        "status": letter.status,
        "status_label": letter.get_status_display(),
        "letter_date": letter.letter_date,
        "drafted_by": letter.drafted_by.username,
        "reviewed_by": letter.reviewed_by.username if letter.reviewed_by_id else None,
        "sent_on": letter.sent_on,
        "channel": letter.channel,
        "reply_on": letter.reply_on,
        "reply_summary": letter.reply_summary,
        "events": [
            {
                "from_status": e.from_status,
                "to_status": e.to_status,
                "by": e.by.username,
                "at": e.at,
            }
            for e in selectors.letter_events(letter)
        ],
    }


def _letter(request, letter_id: int) -> Letter:
    return get_object_or_404(selectors.letters_visible_to(request.auth), pk=letter_id)


def _period(body: PeriodIn) -> Period:
    if body.since and body.until and body.until < body.since:
        raise Refused(_("The end of the period is before its start."), "until")
    return Period(since=body.since, until=body.until)


@router.get(
    "/aid/letters",
    response={200: list[LetterOut], 400: Errors, **REFUSALS},
    summary="Letters of the aid desk, newest first (of one donation with donation_id)",
)
@api_area(Area.AID_READ)
def letter_list(request, donation_id: ApiId | None = None):
    rows = selectors.filter_letters(
        selectors.letters_visible_to(request.auth), donation=donation_id
    )
    audit.record_reads(Letter, rows, note="api list")
    return [_out(letter) for letter in rows]


@router.get(
    "/aid/letters/{letter_id}",
    response={200: LetterOut, 400: Errors, 404: Errors, **REFUSALS},
    summary="One letter with its history",
)
@api_area(Area.AID_READ)
def letter_detail(request, letter_id: ApiId):
    letter = _letter(request, letter_id)
    audit.record_read(letter)
    return _out(letter)


@router.post(
    "/aid/donations/{donation_id}/letters",
    response={201: LetterOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Draft the donation's letter (thanks, or the note accompanying it)",
)
@api_area(Area.AID)
def draft_letter(request, donation_id: ApiId, body: DraftIn):
    donation = get_object_or_404(selectors.donations_visible_to(request.auth), pk=donation_id)
    letter = letters.draft_letter(
        donation=donation, by=request.auth, letter_date=body.letter_date, language=body.language
    )
    return Status(201, _out(_letter(request, letter.pk)))


@router.post(
    "/aid/letters/{letter_id}/review",
    response={200: LetterOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Mark the letter reviewed (by another officer than who drafted it)",
)
@api_area(Area.AID)
def review_letter(request, letter_id: ApiId):
    letters.review_letter(letter=_letter(request, letter_id), by=request.auth)
    return _out(_letter(request, letter_id))


@router.post(
    "/aid/letters/{letter_id}/send",
    response={200: LetterOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Record the reviewed letter as sent",
)
@api_area(Area.AID)
def send_letter(request, letter_id: ApiId, body: LetterSendIn):
    letters.send_letter(
        letter=_letter(request, letter_id),
        by=request.auth,
        sent_on=body.sent_on,
        channel=body.channel,
    )
    return _out(_letter(request, letter_id))


@router.post(
    "/aid/letters/{letter_id}/reply",
    response={200: LetterOut, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="Record the counterpart's reply",
)
@api_area(Area.AID)
def record_reply(request, letter_id: ApiId, body: ReplyIn):
    letters.record_reply(
        letter=_letter(request, letter_id),
        by=request.auth,
        reply_on=body.reply_on,
        summary=body.summary,
    )
    return _out(_letter(request, letter_id))


@router.get(
    "/aid/letters/{letter_id}/letter.pdf",
    response={200: None, 400: Errors, 404: Errors, **REFUSALS},
    summary="The letter as PDF (Chinese and the counterpart's language)",
)
@api_area(Area.AID_READ)
def letter_pdf(request, letter_id: ApiId):
    letter = _letter(request, letter_id)
    audit.record_reads(Letter, [letter.pk], action=AuditEntry.Action.EXPORT, note="PDF (API)")
    response = HttpResponse(letters.letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="letter-{letter.pk}.pdf"'
    return response


@router.get(
    "/aid/donations/{donation_id}/certificate.pdf",
    response={200: None, 400: Errors, 404: Errors, 409: Errors, **REFUSALS},
    summary="The donation certificate as PDF",
)
@api_area(Area.AID_READ)
def certificate_pdf(request, donation_id: ApiId):
    donation = get_object_or_404(selectors.donations_visible_to(request.auth), pk=donation_id)
    pdf = letters.certificate_pdf(donation)
    audit.record_reads(
        Donation, [donation.pk], action=AuditEntry.Action.EXPORT, note="certificate (API)"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{donation.pk}.pdf"'
    return response


@router.get(
    "/public/aid-donations",
    auth=None,
    response={200: list[PublicRowOut], 400: Errors},
    summary="Public: donations received, allocated and sent, per day (no personal data)",
)
@api_area(PUBLIC)
def transparency_rows(request, period: Query[PeriodIn]):
    return [
        {
            "date": r.day,
            "flow": r.flow,
            "donor": r.donor,
            "donor_country": r.donor_country,
            "recipient": r.recipient,
            "recipient_country": r.recipient_country,
            "allocated_to": r.place,
            "item": r.item,
            "item_code": r.item_code,
            "units": r.units,
            "unit": str(r.unit),
        }
        for r in transparency.rows(_period(period))
    ]


@router.get(
    "/aid/report",
    response={200: list[ReportLineOut], 400: Errors, **REFUSALS},
    summary="The office's report: shipped, received and allocated in a period",
)
@api_area(Area.AID_READ)
def report(request, period: Query[PeriodIn]):
    return [
        {
            "section": r.section,
            "country": r.country,
            "counterpart": r.counterpart,
            "item": r.item,
            "units": r.units,
            "accepted": r.accepted,
        }
        for r in reports.lines(_period(period))
    ]
