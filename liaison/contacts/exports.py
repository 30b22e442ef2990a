"""The commitments list as a spreadsheet, through the one writer (``core/exports.py``)."""

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _

from liaison.contacts.models import Commitment
from liaison.core.exports import FORMATS, file_response

__all__ = ["FORMATS", "commitments_file"]


def _made_at(commitment: Commitment) -> str:
    if commitment.contact_id:
        return str(commitment.contact)
    return commitment.source_label


def commitments_file(fmt: str, commitments: QuerySet[Commitment]) -> HttpResponse:
    header = [
        _("No."),
        _("Side"),
        _("What was promised"),
        _("Owner"),
        _("Organization"),
        _("Due"),
        _("Status"),
        _("Overdue"),
        _("Made at"),
    ]
    rows = (
        [
            str(c.pk),
            c.get_side_display(),
            c.description,
            c.owner,
            c.organization.name if c.organization else "",
            c.due_on.isoformat(),
            c.get_status_display(),
            _("yes") if c.is_overdue else "",
            _made_at(c),
        ]
        for c in commitments.iterator()
    )
    return file_response(fmt, name="commitments", title=_("Commitments"), header=header, rows=rows)
