"""A daily briefing's one table of moves: drafted, then approved, and then never changed."""

from django.utils.translation import gettext as _

from liaison.core.refusals import Conflict
from liaison.leadership.models import BriefingStatus

MOVES: dict[str, frozenset[str]] = {
    BriefingStatus.DRAFT: frozenset({BriefingStatus.APPROVED}),
}


def check_move(from_status: str, to_status: str) -> None:
    if to_status not in MOVES.get(from_status, frozenset()):
        raise Conflict(
            _("A briefing that is “%(from)s” cannot become “%(to)s”.")
            % {
                "from": BriefingStatus(from_status).label,
                "to": BriefingStatus(to_status).label,
            },
            "status",
        )


def check_editable(status: str) -> None:
    """Only a draft is written on; an approved briefing is frozen."""
    if status != BriefingStatus.DRAFT:
        raise Conflict(_("This briefing is approved: it is frozen and cannot change."), "status")
