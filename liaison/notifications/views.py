"""A user's own notifications: the list (a page of 50, unread first if asked) and marking read.

Every staff role has them (``Area.HOME``). A notification's title is rendered from its kind and
data in the reader's language; it names records, so reading the list is audited like any list.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison.core import audit
from liaison.core.access import Area, requires
from liaison.notifications import selectors, services
from liaison.notifications.forms import ListQuery, MarkRead
from liaison.notifications.models import Notification

PAGE_SIZE = 50


@require_GET
@requires(Area.HOME)
def notification_list(request: HttpRequest) -> HttpResponse:
    query = ListQuery(request.GET)
    if not query.is_valid():
        return render(request, "notifications/list.html", {"query": query}, status=400)
    shown = selectors.notifications_of(request.user, unread_only=query.cleaned_data["unread"])
    page = Paginator(shown, PAGE_SIZE).get_page(query.cleaned_data["page"] or 1)
    items = selectors.rendered(page.object_list)
    audit.record_reads(Notification, [n for n, _title in items], note="notifications")
    context = {"query": query, "page": page, "items": items}
    return render(request, "notifications/list.html", context)


@require_POST
@requires(Area.HOME)
def mark_read(request: HttpRequest) -> HttpResponse:
    form = MarkRead(request.POST)
    if not form.is_valid():
        query = ListQuery()
        context = {"query": query, "form": form, "items": [], "page": None}
        return render(request, "notifications/list.html", context, status=400)
    data = form.cleaned_data
    marked = services.mark_read(user=request.user, ids=None if data["all"] else data["ids"])
    messages.success(request, _("%(n)s marked read.") % {"n": marked})
    return redirect("notifications:list")
