"""What a media request's or a press release's event says, in the reader's language.

An event keeps a code (``kind``), the statuses and its data; ``reason`` holds only a person's own
words. ``describe`` renders it when a page or the API shows it; ``changes`` lists a correction's
fields by their translated names, a bureau or a person by their name in the directory.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.core.labels import render
from liaison.directory.models import Organization, Person
from liaison.media.models import MediaRequest, PressRelease, ReleaseEventKind, RequestEventKind

K = RequestEventKind
R = ReleaseEventKind

SENTENCES = {
    K.RECEIVED: _("Request received"),
    K.ASSIGNED: _("Assigned to %(officer)s"),
    K.ANSWERED: _("Answered"),
    K.DECLINED: _("Declined"),
    K.WITHDRAWN: _("Withdrawn by the media"),
    K.CORRECTED: _("Corrected"),
    R.DRAFTED: pgettext_lazy("press release event", "Drafted"),
    R.EDITED: _("Edited"),
    R.PUBLISHED: _("Published"),
    R.SENT: _("Sent to %(bureaus)s bureaus and %(correspondents)s correspondents"),
}
LATE = _("Answered after the deadline")


def describe(event) -> str:
    data = event.data if isinstance(event.data, dict) else {}
    if event.kind == K.ANSWERED and data.get("on_time") is False:
        return str(LATE)
    sentence = SENTENCES.get(event.kind)
    if sentence is None:
        return event.get_kind_display()
    if event.kind == K.CORRECTED or event.kind == R.EDITED:
        return str(sentence)
    return render(sentence, data, {})


NAMED = {"bureau": Organization, "correspondent": Person}


def _shown(name: str, value) -> str:
    if value is None or value == "":
        return "—"
    model = NAMED.get(name)
    if model is not None:
        found = model.objects.filter(pk=value).first()
        return str(found.name if found is not None else value)
    return str(value)


def changes(event) -> list[tuple[str, str, str]]:
    """A correction's or an edit's fields: (translated name, before, after)."""
    data = event.data if isinstance(event.data, dict) else {}
    if event.kind not in (K.CORRECTED, R.EDITED):
        return []
    model = MediaRequest if event.kind == K.CORRECTED else PressRelease
    rows = []
    for name, change in data.items():
        try:
            label = str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:  # a field since renamed shows by its code
            label = name
        rows.append((label, _shown(name, change.get("before")), _shown(name, change.get("after"))))
    return rows


def history(events) -> list[dict]:
    """Each event as a page shows it."""
    return [
        {"event": e, "text": describe(e), "changes": changes(e), "reason": getattr(e, "reason", "")}
        for e in events
    ]
