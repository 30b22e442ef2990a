"""The media desk's other pages: the media of the directory, and the press releases (list, one,
drafting, editing while a draft, publishing, sending)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from liaison.core import audit
from liaison.core.access import Area, can, requires
from liaison.core.refusals import Refused, show_on
from liaison.directory.models import Person
from liaison.media import events, forms, releases, selectors
from liaison.media.models import PressRelease


@requires(Area.MEDIA_READ)
def bureaus(request: HttpRequest) -> HttpResponse:
    """The directory's media bureaus and their correspondents, press cards and validity."""
    found = selectors.media_directory(request.user)
    audit.record_reads(
        Person, [c.person for b in found for c in b.correspondents], note="media directory"
    )
    return render(request, "media/bureaus.html", {"bureaus": found})


@requires(Area.MEDIA_READ)
def release_list(request: HttpRequest) -> HttpResponse:
    found = selectors.with_recipient_counts(selectors.releases_visible_to(request.user))
    context = {"found": found, "can_write": can(request.user, Area.LIAISON)}
    return render(request, "media/releases.html", context)


def _release(request: HttpRequest, release_id: int) -> PressRelease:
    return get_object_or_404(selectors.releases_visible_to(request.user), pk=release_id)


def _detail(request, release, *, publish_form=None, send_form=None, status=200):
    writer = can(request.user, Area.LIAISON)
    recipients = list(selectors.recipients_of(release))
    audit.record_reads(
        Person, [r.correspondent for r in recipients if r.correspondent_id], note="release"
    )
    context = {
        "release": release,
        "recipients": recipients,
        "history": events.history(selectors.release_events_of(release)),
        "can_edit": writer and not release.published,
        "publish_form": (publish_form or forms.PublishForm())
        if writer and not release.published
        else None,
        "send_form": (send_form or forms.SendForm()) if writer and release.published else None,
    }
    return render(request, "media/release_detail.html", context, status=status)


@requires(Area.MEDIA_READ)
def release_detail(request: HttpRequest, release_id: int) -> HttpResponse:
    return _detail(request, _release(request, release_id))


def _form_page(request, form, release=None, refusal=None):
    if refusal is not None:
        show_on(form, refusal)
    status = refusal.status if refusal is not None else (400 if form.is_bound else 200)
    context = {"form": form, "release": release}
    return render(request, "media/release_form.html", context, status=status)


@requires(Area.LIAISON)
def release_new(request: HttpRequest) -> HttpResponse:
    form = forms.ReleaseForm(request.POST if request.method == "POST" else None)
    if not form.is_bound or not form.is_valid():
        return _form_page(request, form)
    try:
        release = releases.draft_release(by=request.user, **form.cleaned_data)
    except Refused as refused:
        return _form_page(request, form, refusal=refused)
    return redirect("media:release", release_id=release.pk)


@requires(Area.LIAISON)
def release_edit(request: HttpRequest, release_id: int) -> HttpResponse:
    release = _release(request, release_id)
    initial = {name: getattr(release, name) for name in releases.FIELDS}
    form = forms.ReleaseForm(request.POST if request.method == "POST" else None, initial=initial)
    if release.published and request.method != "POST":
        return _detail(request, release, status=409)
    if not form.is_bound or not form.is_valid():
        return _form_page(request, form, release)
    try:
        releases.edit_release(release=release, by=request.user, **form.cleaned_data)
    except Refused as refused:
        return _form_page(request, form, release, refused)
    return redirect("media:release", release_id=release.pk)


@require_POST
@requires(Area.LIAISON)
def release_publish(request: HttpRequest, release_id: int) -> HttpResponse:
    release = _release(request, release_id)
    form = forms.PublishForm(request.POST)
    if not form.is_valid():
        return _detail(request, release, publish_form=form, status=400)
    try:
        releases.publish_release(
            release=release, published_at=form.cleaned_data["published_at"], by=request.user
        )
    except Refused as refused:
        show_on(form, refused)
        return _detail(request, release, publish_form=form, status=refused.status)
    return redirect("media:release", release_id=release.pk)


@require_POST
@requires(Area.LIAISON)
def release_send(request: HttpRequest, release_id: int) -> HttpResponse:
    release = _release(request, release_id)
    form = forms.SendForm(request.POST)
    if not form.is_valid():
        return _detail(request, release, send_form=form, status=400)
    data = form.cleaned_data
    try:
        releases.send_release(
            release=release,
            bureau_ids=[b.pk for b in data["bureaus"]],
            correspondent_ids=[p.pk for p in data["correspondents"]],
            sent_at=data["sent_at"],
            by=request.user,
        )
    except Refused as refused:
        show_on(form, refused)
        return _detail(request, release, send_form=form, status=refused.status)
    return redirect("media:release", release_id=release.pk)
