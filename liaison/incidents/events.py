"""An incident's event as a sentence in the reader's language (stored: a code and its data)."""

from django.utils.translation import gettext_lazy as _

from liaison.core.labels import render
from liaison.incidents.models import IncidentEvent

SENTENCES = {
    IncidentEvent.Code.REPORTED: _("Reported, severity %(severity)s."),
    IncidentEvent.Code.MOVED: _("%(from)s → %(to)s."),
    IncidentEvent.Code.ACTION: _("Action taken."),
    IncidentEvent.Code.ASSIGNED: _("Owner: %(owner)s."),
    IncidentEvent.Code.ESCALATED: _("Escalated to step %(position)s (%(post)s): %(told)s."),
}
CODES = {
    "from": ("incidents.Incident", "status"),
    "to": ("incidents.Incident", "status"),
    "post": ("incidents.EscalationStep", "post"),
}


def sentence(event: IncidentEvent) -> str:
    data = dict(event.data)
    if event.code == IncidentEvent.Code.ESCALATED:
        data["told"] = ", ".join(data.get("told") or []) or str(_("nobody holds this post"))
        if data.get("round"):
            return (
                str(_("Escalated again to the top of the chain (round %(round)s): %(told)s."))
                % data
            )
    return render(SENTENCES.get(event.code, event.code), data, CODES)
