"""Acknowledgement letters and the donation certificate (issue 15, point 5).

A letter is drafted from a donation (thanks for an inbound one, a note accompanying an outbound
one), reviewed by another officer than who drafted it (four eyes), sent, and its reply recorded.
``MOVES`` is the one table of moves; each move is one transaction with its ``LetterEvent``.

The letter speaks Chinese and the counterpart's language. Each language's text lives in one
template (``aid/letters/<language>.html``, Chinese in ``zh-hans.html``); a country whose language
the project has no letter for reads English. Items and quantities come from the donation when
the letter is shown or printed, so a letter and its PDF are one template (``aid/letter.html``).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liaison.aid.models import (
    Direction,
    Donation,
    Letter,
    LetterEvent,
    LetterKind,
    LetterStatus,
    Unit,
)
from liaison.core.models import User
from liaison.core.pdf import render_pdf
from liaison.core.refusals import Conflict, Refused

S = LetterStatus
MOVES: dict[LetterStatus, frozenset[LetterStatus]] = {
    S.DRAFTED: frozenset({S.REVIEWED}),
    S.REVIEWED: frozenset({S.SENT}),
    S.SENT: frozenset({S.REPLIED}),
    S.REPLIED: frozenset(),
}

LETTER_LANGUAGES = ("ko", "ja", "it", "fa", "en", "de", "fr", "ru", "uk", "es", "pt", "ar")
# The language a country's letters are written in (ISO 3166 alpha-2 → a letter language).
_COUNTRY_LANGUAGE = {
    "KR": "ko", "JP": "ja", "IT": "it", "SM": "it", "IR": "fa", "AF": "fa",
    "DE": "de", "AT": "de", "LI": "de", "FR": "fr", "BE": "fr", "LU": "fr", "MC": "fr",
    "RU": "ru", "BY": "ru", "KZ": "ru", "KG": "ru", "UA": "uk",
    "ES": "es", "MX": "es", "AR": "es", "CL": "es", "CO": "es", "PE": "es", "CU": "es",
    "PT": "pt", "BR": "pt", "AO": "pt", "MZ": "pt",
    "SA": "ar", "EG": "ar", "AE": "ar", "IQ": "ar", "JO": "ar", "KW": "ar", "LB": "ar",
    "MA": "ar", "DZ": "ar", "TN": "ar", "QA": "ar", "OM": "ar", "SY": "ar", "BH": "ar",
}  # fmt: skip
RIGHT_TO_LEFT = frozenset({"fa", "ar"})

TEMPLATE = "aid/letter.html"
CERTIFICATE_TEMPLATE = "aid/certificate.html"


def language_for(country: str) -> str:
    return _COUNTRY_LANGUAGE.get((country or "").upper(), "en")


def _event(letter: Letter, before: str, by: User, **data) -> None:
    LetterEvent.objects.create(
        letter=letter, from_status=before, to_status=letter.status, by=by, data=data
    )


def _locked(letter: Letter) -> Letter:
    return Letter.objects.select_for_update().get(pk=letter.pk)


def _move(letter: Letter, to: LetterStatus) -> str:
    before = letter.status
    if to not in MOVES[LetterStatus(before)]:
        raise Conflict(
            _("A letter that is %(status)s cannot be %(to)s.")
            % {"status": LetterStatus(before).label, "to": to.label},
            "status",
        )
    letter.status = to
    return before


@transaction.atomic
def draft_letter(
    *, donation: Donation, by: User, letter_date: date | None = None, language: str = ""
) -> Letter:
    """Draft the donation's letter; the counterpart's language unless another is chosen."""
    if donation.status == Donation.Status.CANCELLED:
        raise Conflict(_("This donation was cancelled; it has no letter."))
    if language and language not in LETTER_LANGUAGES:
        raise Refused(_("There is no letter in this language."), "language")
    kind = LetterKind.THANKS if donation.direction == Direction.INBOUND else LetterKind.ACCOMPANYING
    letter = Letter.objects.create(
        donation=donation,
        kind=kind,
        language=language or language_for(donation.counterpart.country.code),
        letter_date=letter_date or timezone.localdate(),
        drafted_by=by,
    )
    _event(letter, "", by, language=letter.language)
    return letter


@transaction.atomic
def review_letter(*, letter: Letter, by: User) -> Letter:
    current = _locked(letter)
    if current.drafted_by_id == by.pk:
        raise Conflict(_("Another officer reviews the letter than who drafted it."), "by")
    before = _move(current, S.REVIEWED)
    current.reviewed_by, current.reviewed_at = by, timezone.now()
    current.save()
    _event(current, before, by)
    return current


@transaction.atomic
def send_letter(*, letter: Letter, by: User, sent_on: date, channel: str = "") -> Letter:
    if sent_on > timezone.localdate():
        raise Refused(_("A letter cannot be sent in the future."), "sent_on")
    if sent_on < letter.letter_date:
        raise Refused(_("It cannot be sent before the date of the letter."), "sent_on")
    current = _locked(letter)
    before = _move(current, S.SENT)
    current.sent_on, current.channel = sent_on, (channel or "").strip()
    current.save()
    _event(current, before, by, sent_on=sent_on.isoformat())
    return current


@transaction.atomic
def record_reply(*, letter: Letter, by: User, reply_on: date, summary: str) -> Letter:
    if not (summary or "").strip():
        raise Refused(_("Say what the reply says."), "summary")
    if reply_on > timezone.localdate():
        raise Refused(_("A reply cannot come in the future."), "reply_on")
    current = _locked(letter)
    if current.sent_on and reply_on < current.sent_on:
        raise Refused(_("A reply cannot come before the letter was sent."), "reply_on")
    before = _move(current, S.REPLIED)
    current.reply_on, current.reply_summary = reply_on, summary.strip()
    current.save()
    _event(current, before, by, reply_on=reply_on.isoformat())
    return current


def _name_in(organization, language: str) -> str:
    return organization.name_zh if language.startswith("zh") else organization.name_en


def lines_of(donation: Donation, language: str) -> list[dict]:
    """What the letter lists, named in ``language`` (Chinese, else English item names): each
    item, its standard and its units — received, for an inbound donation that arrived; else as
    given."""
    rows = []
    for line in donation.lines.select_related("item", "stock").order_by("sort_order", "id"):
        stock = getattr(line, "stock", None) if donation.direction == Direction.INBOUND else None
        # Units are labelled in Chinese or English only (the other languages would fall back
        # to the office's Chinese, mid-sentence).
        with translation.override("zh-hans" if language.startswith("zh") else "en"):
            unit = str(Unit(line.item.unit).label)
        rows.append(
            {
                "name": _name_in(line.item, language),
                "standard": line.item.standard,
                "units": stock.received if stock and stock.received else line.units,
                "unit": unit,
            }
        )
    return rows


def _side(donation: Donation, language: str, *, thanks: bool) -> dict:
    """One language's half: who writes (us), to whom, and the lines."""
    us = donation.recipient if thanks else donation.donor
    return {
        "lang": language,
        "dir": "rtl" if language in RIGHT_TO_LEFT else "ltr",
        "body": f"aid/letters/{language}.html",
        "us": _name_in(us, language),
        "signer": _name_in(us, language),
        "counterpart": _name_in(donation.counterpart, language),
        "donor_name": _name_in(donation.donor, language),
        "recipient_name": _name_in(donation.recipient, language),
        "lines": lines_of(donation, language),
    }


def context(letter: Letter) -> dict:
    thanks = letter.kind == LetterKind.THANKS
    sides = [_side(letter.donation, "zh-hans", thanks=thanks)]
    if letter.language != "zh-hans":
        sides.append(_side(letter.donation, letter.language, thanks=thanks))
    return {
        "letter": letter,
        "donation": letter.donation,
        "thanks": thanks,
        "certificate": False,
        "sides": sides,
    }


def letter_pdf(letter: Letter) -> bytes:
    return render_pdf(TEMPLATE, context(letter))


def certificate_context(donation: Donation) -> dict:
    language = language_for(donation.counterpart.country.code)
    sides = [_side(donation, "zh-hans", thanks=False)]
    if language != "en":
        sides.append(_side(donation, "en", thanks=False))
    sides.append(_side(donation, language, thanks=False))
    return {"donation": donation, "certificate": True, "thanks": False, "sides": sides}


def certificate_pdf(donation: Donation) -> bytes:
    """The certificate: Chinese, English and the counterpart's language."""
    if donation.status == Donation.Status.CANCELLED:
        raise Conflict(_("This donation was cancelled; it has no certificate."))
    return render_pdf(CERTIFICATE_TEMPLATE, certificate_context(donation))
