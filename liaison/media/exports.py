"""The media requests as a spreadsheet, through the one writer (``core/exports.py``)."""

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core.exports import FORMATS, file_response
from liaison.media.models import MediaRequest

__all__ = ["FORMATS", "requests_file"]


def _time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def requests_file(fmt: str, requests: QuerySet[MediaRequest]) -> HttpResponse:
    header = [
        _("No."),
        _("Type"),
        _("Media bureau"),
        _("Correspondent"),
        _("Received at"),
        _("Deadline"),
        _("Subject"),
        _("Status"),
        _("Overdue"),
        _("Assigned officer"),
        _("Answered by"),
        _("Answered"),
    ]
    rows = (
        [
            str(r.pk),
            r.get_kind_display(),
            r.bureau.name,
            r.correspondent.name if r.correspondent_id else "",
            _time(r.received_at),
            _time(r.deadline),
            r.subject,
            r.get_status_display(),
            _("yes") if r.is_overdue else "",
            (r.assigned_to.get_full_name() or r.assigned_to.get_username())
            if r.assigned_to_id
            else "",
            r.answered_by,
            _time(r.answered_at),
        ]
        for r in requests.iterator()
    )
    return file_response(
        fmt, name="media-requests", title=_("Media requests"), header=header, rows=rows
    )
