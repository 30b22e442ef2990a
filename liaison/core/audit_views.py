"""The audit trail page and its export, for administrators.

Filters are validated by a form: a malformed value (a date that does not exist, an unknown action
or record type) answers 400 with the form's message. The export is itself written in the trail.
"""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from liaison.core import audit, audit_log, exports, selectors
from liaison.core.access import Area, requires
from liaison.core.models import AuditEntry

FORMATS = ("csv", "xlsx")


def _filtered(request: HttpRequest):
    """The form and the entries it selects; ``None`` for the entries when the form is wrong."""
    form = audit_log.AuditFilterForm(request.GET or None)
    entries = selectors.audit_entries_visible_to(request.user)
    if not form.is_bound:
        return form, entries
    if not form.is_valid():
        return form, None
    return form, selectors.filter_audit_entries(entries, **form.cleaned_data)


def _query(request: HttpRequest, *drop: str) -> str:
    query = request.GET.copy()
    for name in drop:
        query.pop(name, None)
    return query.urlencode()


@requires(Area.AUDIT)
@never_cache
def audit_page(request: HttpRequest) -> HttpResponse:
    form, entries = _filtered(request)
    status = 200
    if entries is None:
        status, entries = 400, []
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit_log.html",
        {
            "form": form,
            "page": page,
            "rows": audit_log.rows_for_page(page.object_list),
            "query": _query(request, "page"),
            "export_query": _query(request, "page", "format"),
        },
        status=status,
    )


@requires(Area.AUDIT)
@never_cache
def audit_export(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "csv")
    form, entries = _filtered(request)
    if fmt not in FORMATS:
        form.is_valid()
        form.add_error(None, _("Export as CSV or XLSX."))
        entries = None
    elif entries is not None and fmt == "xlsx" and audit_log.too_many_for_xlsx(entries):
        form.add_error(
            None,
            _("More than %(limit)s entries: narrow the filter, or export as CSV.")
            % {"limit": audit_log.XLSX_LIMIT},
        )
        entries = None
    if entries is None:
        page = Paginator([], 100).get_page(1)
        return render(
            request,
            "core/audit_log.html",
            {"form": form, "page": page, "rows": [], "query": "", "export_query": ""},
            status=400,
        )
    audit.record(
        AuditEntry.Action.EXPORT,
        object_type="core.auditentry",
        note=f"audit trail as {fmt}: {_query(request, 'format')}"[:300],
    )
    return exports.file_response(
        fmt,
        name="audit",
        title=_("Audit trail"),
        header=audit_log.header(),
        rows=audit_log.cells(entries),
    )
