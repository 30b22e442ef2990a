"""What an arrival's event says, in the reader's language.

An event keeps a code and its parameters in ``data["kind"]`` and the rest of ``data``; this
renders it when a page shows it. Events without a known code show ``why`` as it was written
(older events, and the officer's own words).
"""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

SENTENCES = {
    "released_early": _("Released early, before the planned end (%(planned_end)s): %(reason)s"),
    "quarantine_complete": _("Released: quarantine period complete (planned end %(planned_end)s)"),
}


def describe(event) -> str:
    data = event.data if isinstance(event.data, dict) else {}
    sentence = SENTENCES.get(data.get("kind"))
    if sentence is None:
        return event.why
    return str(sentence) % defaultdict(str, {k: str(v) for k, v in data.items()})
