"""The contact log's pages: the log, a contact, logging and correcting one, the commitments.

The liaison desk writes (``Area.LIAISON``); it and leadership read (``Area.CONTACTS_READ``).
Each page validates a form and calls one service or selector; every page that shows
counterparts' names records one read in the audit trail.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.contacts import commitments as ledger
from liaison.contacts import exports, forms, selectors, services, states
from liaison.contacts import search as finder
from liaison.contacts.models import Commitment, Contact
from liaison.core import audit
from liaison.core.access import Area, can, requires
from liaison.core.models import AuditEntry
from liaison.core.refusals import Refused, refused_on, show_on


@requires(Area.CONTACTS_READ)
def log(request: HttpRequest) -> HttpResponse:
    form = forms.ContactFilterForm(request.GET or None)
    found = selectors.contacts_visible_to(request.user)
    status = 200
    if form.is_bound and not form.is_valid():
        status, found = 400, found.none()
    elif form.is_bound:
        data = form.cleaned_data
        found = selectors.filter_contacts(
            found,
            organization=data["organization"].pk if data["organization"] else None,
            kind=data["kind"],
            since=data["since"],
            until=data["until"],
            person=data["person"].pk if data["person"] else None,
            user=data["officer"].pk if data["officer"] else None,
        )
    page = Paginator(selectors.with_people(found), 50).get_page(request.GET.get("page"))
    audit.record_reads(Contact, page.object_list, note="list")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_write": can(request.user, Area.LIAISON),
    }
    return render(request, "contacts/log.html", context, status=status)


@requires(Area.DIRECTORY)
def search(request: HttpRequest) -> HttpResponse:
    """Organizations, people and contacts in any script; the log's group for its readers only."""
    form = forms.SearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "contacts/search.html", {"form": form}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    query, kind = data.get("q", ""), data.get("kind", "")
    found = finder.search(request.user, query, kind=kind, page=data.get("page") or 1)
    finder.record_reads(found)
    context = {
        "form": form,
        "found": found,
        "query": query,
        "kind": kind,
        "preview": finder.PREVIEW,
        "can_write": can(request.user, Area.LIAISON),
    }
    return render(request, "contacts/search.html", context)


def _visible_contact(user, pk: int) -> Contact | None:
    if pk is None:
        return None
    found = selectors.visible_contact(user, pk)
    if found is None:
        raise Refused(_("There is no such contact to follow up."), "follows")
    return found


def _rows(formset, method: str) -> list:
    return [row for form in formset for row in [getattr(form, method)()] if row is not None]


@requires(Area.LIAISON)
def contact_new(request: HttpRequest) -> HttpResponse:
    post = request.POST if request.method == "POST" else None
    initial_follows = request.GET.get("follows")
    form = forms.ContactForm(post, initial={"follows": initial_follows})
    people = forms.ParticipantFormSet(post, prefix="who")
    outcomes = forms.OutcomeFormSet(post, prefix="outcome")
    if post is not None and form.is_valid() and people.is_valid() and outcomes.is_valid():
        data = form.cleaned_data
        try:
            contact = services.log_contact(
                kind=data["kind"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                time_zone=data["time_zone"],
                counterpart_time_zone=data["counterpart_time_zone"],
                place=data["place"],
                medium=data["medium"],
                topics=form.topic_list(),
                summary=data["summary"],
                participants=_rows(people, "who"),
                outcomes=_rows(outcomes, "outcome"),
                follows=_visible_contact(request.user, data["follows"]),
                by=request.user,
            )
        except Refused as refused:
            show_on(form, refused)
        else:
            return redirect("contacts:contact", contact_id=contact.pk)
    context = {"form": form, "people": people, "outcomes": outcomes}
    return render(request, "contacts/contact_form.html", context, status=400 if post else 200)


def _chain(contact: Contact) -> list[Contact]:
    """The contacts this one follows, oldest first (at most 20 back)."""
    chain, current = [], contact.follows
    while current is not None and len(chain) < 20:
        chain.append(current)
        current = current.follows
    return chain[::-1]


@requires(Area.CONTACTS_READ)
def contact_detail(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = get_object_or_404(
        selectors.with_people(selectors.contacts_visible_to(request.user)), pk=contact_id
    )
    audit.record_read(contact)
    context = {
        "contact": contact,
        "chain": _chain(contact),
        "follow_ups": contact.follow_ups.all(),
        "outcomes": selectors.outcomes_of(contact),
        "revisions": selectors.revisions_of(contact),
        "can_write": can(request.user, Area.LIAISON) and not contact.withdrawn,
        "withdraw_form": forms.WithdrawForm(),
    }
    return render(request, "contacts/contact_detail.html", context)


def _initial(contact: Contact) -> dict:
    return {
        "kind": contact.kind,
        "starts_at": contact.local_start.replace(tzinfo=None),
        "ends_at": contact.local_end.replace(tzinfo=None) if contact.ends_at else None,
        "time_zone": contact.time_zone,
        "counterpart_time_zone": contact.counterpart_time_zone,
        "place": contact.place,
        "medium": contact.medium,
        "topics": "\n".join(contact.topics),
        "summary": contact.summary,
        "follows": contact.follows_id,
    }


@requires(Area.LIAISON)
def contact_correct(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = get_object_or_404(selectors.contacts_visible_to(request.user), pk=contact_id)
    if contact.withdrawn:
        raise Http404
    post = request.POST if request.method == "POST" else None
    form = forms.CorrectionForm(post, initial=_initial(contact))
    who = [
        {"person": p.person_id, "officer": p.user_id, "role": p.role}
        for p in contact.participants.all()
    ]
    people = forms.ParticipantFormSet(post, prefix="who", initial=who)
    outcomes = forms.OutcomeFormSet(post, prefix="outcome")
    if post is not None and form.is_valid() and people.is_valid() and outcomes.is_valid():
        data = form.cleaned_data
        try:
            services.correct_contact(
                contact=contact,
                reason=data["reason"],
                by=request.user,
                participants=_rows(people, "who"),
                add_outcomes=_rows(outcomes, "outcome"),
                kind=data["kind"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                time_zone=data["time_zone"],
                counterpart_time_zone=data["counterpart_time_zone"],
                place=data["place"],
                medium=data["medium"],
                topics=form.topic_list(),
                summary=data["summary"],
                follows=_visible_contact(request.user, data["follows"]),
            )
        except Refused as refused:
            show_on(form, refused)
        else:
            return redirect("contacts:contact", contact_id=contact.pk)
    context = {"form": form, "people": people, "outcomes": outcomes, "contact": contact}
    return render(request, "contacts/contact_form.html", context, status=400 if post else 200)


@require_POST
@requires(Area.LIAISON)
def contact_withdraw(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = get_object_or_404(selectors.contacts_visible_to(request.user), pk=contact_id)
    form = forms.WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(_("Say why it is withdrawn."), "reason")
        services.withdraw_contact(
            contact=contact, reason=form.cleaned_data["reason"], by=request.user
        )
    except Refused as refused:
        return refused_on(request, refused, contact_detail, contact_id=contact.pk)
    return redirect("contacts:contact", contact_id=contact.pk)


def _filtered_commitments(request: HttpRequest, visible):
    form = forms.CommitmentFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, visible.none(), 400
    if form.is_bound:
        data = form.cleaned_data
        visible = selectors.filter_commitments(
            visible,
            owner=data["owner"].pk if data["owner"] else None,
            side=data["side"],
            status=data["status"],
            organization=data["organization"].pk if data["organization"] else None,
            due_after=data["due_after"],
            due_before=data["due_before"],
            overdue=data["overdue"],
        )
    return form, selectors.with_owners(visible), 200


@requires(Area.CONTACTS_READ)
def commitments(request: HttpRequest) -> HttpResponse:
    form, found, status = _filtered_commitments(
        request, selectors.commitments_visible_to(request.user)
    )
    fmt = request.GET.get("format", "")
    if fmt and status == 200:
        if fmt not in exports.FORMATS:
            return render(request, "contacts/commitments.html", {"form": form}, status=400)
        audit.record_reads(Commitment, found, action=AuditEntry.Action.EXPORT, note=fmt)
        return exports.commitments_file(fmt, found)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    audit.record_reads(Commitment, page.object_list, note="list")
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "contacts/commitments.html", context, status=status)


@requires(Area.HOME)
def mine(request: HttpRequest) -> HttpResponse:
    """The commitments one owns, whatever one's desk: what the home page counts."""
    found = selectors.open_commitments_of(request.user)
    return render(request, "contacts/mine.html", {"commitments": found})


@requires(Area.CONTACTS_READ)
def commitment_detail(request: HttpRequest, commitment_id: int) -> HttpResponse:
    commitment = get_object_or_404(
        selectors.with_owners(selectors.commitments_visible_to(request.user)), pk=commitment_id
    )
    audit.record_read(commitment)
    choices = [(s.value, s.label) for s in states.allowed_moves(commitment.status)]
    move_form = forms.MoveForm()
    move_form.fields["to"].choices = choices
    context = {
        "commitment": commitment,
        "events": selectors.events_of(commitment),
        "can_write": can(request.user, Area.LIAISON),
        "move_form": move_form if choices else None,
        "reschedule_form": forms.RescheduleForm() if commitment.status == "open" else None,
    }
    return render(request, "contacts/commitment_detail.html", context)


@require_POST
@requires(Area.LIAISON)
def commitment_move(request: HttpRequest, commitment_id: int) -> HttpResponse:
    commitment = get_object_or_404(selectors.commitments_visible_to(request.user), pk=commitment_id)
    form = forms.MoveForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(_("Choose open, done or dropped."), "to")
        ledger.move_commitment(
            commitment=commitment,
            to=form.cleaned_data["to"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except Refused as refused:
        return refused_on(request, refused, commitment_detail, commitment_id=commitment.pk)
    return redirect("contacts:commitment", commitment_id=commitment.pk)


@require_POST
@requires(Area.LIAISON)
def commitment_reschedule(request: HttpRequest, commitment_id: int) -> HttpResponse:
    commitment = get_object_or_404(selectors.commitments_visible_to(request.user), pk=commitment_id)
    form = forms.RescheduleForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(_("Give the new due date and why."), "due_on")
        ledger.reschedule_commitment(
            commitment=commitment,
            due_on=form.cleaned_data["due_on"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except Refused as refused:
        return refused_on(request, refused, commitment_detail, commitment_id=commitment.pk)
    return redirect("contacts:commitment", commitment_id=commitment.pk)
