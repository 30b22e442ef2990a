"""The aid desk's letter pages: draft a donation's letter, review, send and record its reply; the
printable letter and its PDF; the donation certificate and its PDF.

The aid officer writes (``Area.AID``); it and leadership read (``Area.AID_READ``). Letters name
organizations, not people; the pages still record what they showed, as every desk's do.
"""

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from liaison.aid import letters, selectors, views
from liaison.aid.models import Donation, Letter, LetterStatus
from liaison.core import audit
from liaison.core.access import Area, can, requires
from liaison.core.models import AuditEntry
from liaison.core.refusals import Refused, flash, refused_on


class DraftForm(forms.Form):
    letter_date = forms.DateField(label=_("Date of the letter"), required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("The counterpart's language"))]
        + [(code, code) for code in letters.LETTER_LANGUAGES],
    )


class SendForm(forms.Form):
    sent_on = forms.DateField(label=_("Sent on"))
    channel = forms.CharField(label=_("Sent by way of"), max_length=200, required=False)


class ReplyForm(forms.Form):
    reply_on = forms.DateField(label=_("Reply received on"))
    summary = forms.CharField(label=_("What the reply says"), widget=forms.Textarea)


def _donation(request: HttpRequest, donation_id: int) -> Donation:
    return get_object_or_404(
        selectors.with_parties(selectors.donations_visible_to(request.user)), pk=donation_id
    )


def _letter(request: HttpRequest, letter_id: int) -> Letter:
    found = selectors.visible_letter(request.user, letter_id)
    if found is None:
        raise Http404
    return found


def _invalid(request: HttpRequest, form: forms.Form, letter: Letter) -> HttpResponse:
    return letter_detail_page(request, letter, status=400, form=form)


@require_POST
@requires(Area.AID)
def letter_new(request: HttpRequest, donation_id: int) -> HttpResponse:
    donation = _donation(request, donation_id)
    form = DraftForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(problems=[(f, e[0]) for f, e in form.errors.items()])
        letter = letters.draft_letter(
            donation=donation,
            by=request.user,
            letter_date=form.cleaned_data["letter_date"],
            language=form.cleaned_data["language"],
        )
    except Refused as refused:
        # The donation's page again, with why, and the refusal's status (nothing was drafted).
        return refused_on(request, refused, views.donation_detail, donation_id=donation.pk)
    return redirect("aid:letter", letter_id=letter.pk)


def letter_detail_page(request: HttpRequest, letter: Letter, *, status=200, form=None):
    writes = can(request.user, Area.AID)
    context = {
        "letter": letter,
        "history": selectors.letter_events(letter),
        "can_write": writes,
        "send_form": form if isinstance(form, SendForm) else SendForm(),
        "reply_form": form if isinstance(form, ReplyForm) else ReplyForm(),
        "may_review": writes and letter.status == LetterStatus.DRAFTED,
        "may_send": writes and letter.status == LetterStatus.REVIEWED,
        "may_reply": writes and letter.status == LetterStatus.SENT,
    }
    return render(request, "aid/letter_detail.html", context, status=status)


@requires(Area.AID_READ)
def letter_detail(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = _letter(request, letter_id)
    audit.record_read(letter)
    return letter_detail_page(request, letter)


@require_POST
@requires(Area.AID)
def letter_move(request: HttpRequest, letter_id: int, step: str) -> HttpResponse:
    letter = _letter(request, letter_id)
    try:
        if step == "review":
            letters.review_letter(letter=letter, by=request.user)
        elif step == "send":
            form = SendForm(request.POST)
            if not form.is_valid():
                return _invalid(request, form, letter)
            letters.send_letter(letter=letter, by=request.user, **form.cleaned_data)
        elif step == "reply":
            form = ReplyForm(request.POST)
            if not form.is_valid():
                return _invalid(request, form, letter)
            letters.record_reply(letter=letter, by=request.user, **form.cleaned_data)
        else:
            raise Http404
    except Refused as refused:
        flash(request, refused)
        return letter_detail_page(request, _letter(request, letter_id), status=refused.status)
    return redirect("aid:letter", letter_id=letter.pk)


@requires(Area.AID_READ)
def letter_print(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = _letter(request, letter_id)
    audit.record_read(letter, note="print")
    return render(request, letters.TEMPLATE, letters.context(letter))


@requires(Area.AID_READ)
def letter_pdf(request: HttpRequest, letter_id: int) -> HttpResponse:
    letter = _letter(request, letter_id)
    audit.record_reads(Letter, [letter.pk], action=AuditEntry.Action.EXPORT, note="PDF")
    response = HttpResponse(letters.letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="letter-{letter.pk}.pdf"'
    return response


@requires(Area.AID_READ)
def certificate_print(request: HttpRequest, donation_id: int) -> HttpResponse:
    donation = _donation(request, donation_id)
    audit.record_read(donation, note="certificate")
    return render(request, letters.CERTIFICATE_TEMPLATE, letters.certificate_context(donation))


@requires(Area.AID_READ)
def certificate_pdf(request: HttpRequest, donation_id: int) -> HttpResponse:
    donation = _donation(request, donation_id)
    try:
        pdf = letters.certificate_pdf(donation)
    except Refused as refused:
        return HttpResponse(str(refused), status=refused.status, content_type="text/plain")
    audit.record_reads(Donation, [donation.pk], action=AuditEntry.Action.EXPORT, note="certificate")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{donation.pk}.pdf"'
    return response
