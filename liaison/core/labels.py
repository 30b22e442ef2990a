"""A stored code shown as its translated label, and a stored sentence's code rendered.

Events, alerts and audit notes keep codes and their parameters; a page renders them in the
reader's language when it shows them. A parameter that is itself a code (a result ``negative``,
a disposition, a state, a source) is shown through its model field's translated choice label.
The field is found through the app registry, so the module that renders another desk's codes
imports nothing of that desk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from functools import cache

from django.apps import apps

# (model label, field name): whose choices name a code.
Field = tuple[str, str]


@cache
def _choices(model_label: str, field: str) -> dict:
    return dict(apps.get_model(model_label)._meta.get_field(field).flatchoices)


def choice_label(field: Field, value) -> str:
    """The translated label of ``value`` among ``field``'s choices; an unknown code as it is."""
    label = _choices(*field).get(value)
    return str(label) if label is not None else str(value)


def render(sentence, params: Mapping, codes: Mapping[str, Field]) -> str:
    """``sentence`` (lazily translated) with ``params``; a missing parameter shows as nothing."""
    values: defaultdict[str, str] = defaultdict(str)
    for key, value in params.items():
        if value is None:
            continue
        values[key] = choice_label(codes[key], value) if key in codes else str(value)
    return str(sentence) % values
