"""The calendar's pages: the calendar of a week or a month, the feed token's creation and
revocation, and the feed itself.

The page and the token belong to ``Area.CALENDAR``. The feed is fetched by a calendar
application without a session, so it is public and its token is its credential: any token that
does not open a feed (malformed, unknown, revoked, of a deactivated officer or one without a
calendar any more) is the same 404, with nothing read or written.
"""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison.agenda import ical, selectors, services
from liaison.agenda.forms import MINE, CalendarQuery, FeedForm
from liaison.agenda.ranges import WEEK, span_of
from liaison.core import audit
from liaison.core.access import PUBLIC, Area, requires
from liaison.core.refusals import Refused, refused_on


def _feed_url(request: HttpRequest, secret: str) -> str:
    return request.build_absolute_uri(reverse("agenda:feed", args=[secret]))


@require_GET
@requires(Area.CALENDAR)
def calendar(request: HttpRequest) -> HttpResponse:
    query = CalendarQuery(request.GET)
    context = {"query": query, "token": selectors.feed_token_of(request.user)}
    context["feed_form"] = FeedForm()
    if not query.is_valid():
        return render(request, "agenda/calendar.html", context, status=400)
    data = query.cleaned_data
    span, whose = data["span"] or WEEK, data["whose"] or "desk"
    shown = selectors.calendar_for(
        request.user,
        range=span_of(data["start"] or timezone.localdate(), span),
        mine=whose == MINE,
    )
    selectors.record_calendar_read(shown.items, note="calendar page")
    context.update(
        calendar=shown,
        span=span,
        whose=whose,
        today=timezone.localdate(),
        office_zone=settings.TIME_ZONE,
    )
    return render(request, "agenda/calendar.html", context)


@require_POST
@requires(Area.CALENDAR)
def feed_create(request: HttpRequest) -> HttpResponse:
    """The new feed address, shown on this answer only."""
    form = FeedForm(request.POST)
    if not form.is_valid():
        return refused_on(request, Refused(_("Choose what the feed carries."), "whose"), calendar)
    try:
        token, secret = services.issue_feed_token(
            user=request.user,
            language=translation.get_language(),
            mine=form.cleaned_data["whose"] == MINE,
        )
    except Refused as refused:
        return refused_on(request, refused, calendar)
    context = {"token": token, "url": _feed_url(request, secret)}
    return render(request, "agenda/feed_created.html", context, status=201)


@require_POST
@requires(Area.CALENDAR)
def feed_revoke(request: HttpRequest) -> HttpResponse:
    try:
        services.revoke_feed_token(user=request.user)
    except Refused as refused:
        return refused_on(request, refused, calendar)
    messages.success(request, _("The calendar feed is revoked; its address no longer works."))
    return redirect("agenda:calendar")


@require_GET
@requires(PUBLIC)
def feed(request: HttpRequest, token: str) -> HttpResponse:
    found = services.feed_token_for(token)
    if found is None:
        # The same short answer whatever was wrong with the token, and not the HTML error
        # page: that would echo the address (its language switch) and say nothing more.
        refused = HttpResponseNotFound(_("No such calendar feed."), content_type="text/plain")
        add_never_cache_headers(refused)
        return refused
    user = found.user
    path = request.path[:12] + "…"  # never the token itself in the trail
    with (
        audit.acting_as(user, ip_address=request.META.get("REMOTE_ADDR"), path=path),
        translation.override(found.language),
    ):
        items = selectors.feed_items(user, mine=found.mine)
        body = ical.feed(
            items,
            base_url=request.build_absolute_uri("/").rstrip("/"),
            host=request.get_host().split(":")[0].lower(),
            name=_("Liaison calendar · %(name)s")
            % {"name": user.get_full_name() or user.get_username()},
        )
        selectors.record_calendar_read(items, note="calendar feed", always=True)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    add_never_cache_headers(response)
    return response
