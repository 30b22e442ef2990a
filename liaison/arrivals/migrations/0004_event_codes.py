"""Events written before they kept codes: their frozen sentences become a code and parameters.

Until now the services wrote a sentence into ``why`` — in English, or in the language of the
officer who acted — and every reader saw that language. An event whose ``why`` is one of those
sentences (English or zh-hans) gets its code in ``data["kind"]``, the sentence's parameters in
``data`` and an empty ``why``; pages then render it in the reader's language
(``liaison.arrivals.events``). An officer's own words (a hospital transfer's reason, a see-off
note) stay in ``why``, under the code that shows them. Going back changes nothing.
"""

import re

from django.db import migrations

# The sentences as the services wrote them, and the code and parameters each stands for.
_FROZEN = [
    (re.compile(r"health declaration \((?P<source>\w+)\)"), "declared"),
    (re.compile(r"screened at the desk"), "screened"),
    (re.compile(r"sampled"), "sampled"),
    (re.compile(r"re-sample after an inconclusive result"), "resampled"),
    (re.compile(r"laboratory result: (?P<result>\w+)"), "result"),
    (re.compile(r"policy (?P<rules>.+?) / (?P<risk>.+?), rule (?P<rule_id>.+)"), "decided"),
    (re.compile(r"Departed in batch (?P<number>\S+)"), "departed"),
    (re.compile(r"随批次 (?P<number>\S+) 出发"), "departed"),
    (re.compile(r"Received from batch (?P<number>\S+)"), "received"),
    (re.compile(r"从批次 (?P<number>\S+) 接收"), "received"),
    (re.compile(r"designated hospital \(disposition\)"), "to_hospital"),
    (re.compile(r"Onward transfer left the city"), "left_city"),
    (re.compile(r"已转运离开本市"), "left_city"),
]

# Moves whose ``why`` is otherwise an officer's own words.
_OWN_WORDS = {"in_hospital": "to_hospital_because", "left_city": "left_city_note"}


def coded(why: str, to_state: str) -> tuple[str, dict, str] | None:
    """(code, parameters, what stays in ``why``) for an old event's ``why``, or None."""
    for pattern, kind in _FROZEN:
        match = pattern.fullmatch(why)
        if match:
            return kind, match.groupdict(), ""
    if why and to_state in _OWN_WORDS:
        return _OWN_WORDS[to_state], {}, why
    return None


def forward(apps, schema_editor):
    ArrivalEvent = apps.get_model("arrivals", "ArrivalEvent")
    changed = []
    for event in ArrivalEvent.objects.only("why", "data", "to_state").iterator(chunk_size=2000):
        data = event.data if isinstance(event.data, dict) else {}
        if data.get("kind"):
            continue
        found = coded(event.why.strip(), event.to_state)
        if found is None:
            continue
        kind, params, why = found
        # What the event already kept (a batch's id, a result's code) wins over the sentence.
        event.data = {**params, **data, "kind": kind}
        event.why = why
        changed.append(event)
    ArrivalEvent.objects.bulk_update(changed, ["why", "data"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("arrivals", "0003_conflicting_declarations"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop, elidable=True),
    ]
