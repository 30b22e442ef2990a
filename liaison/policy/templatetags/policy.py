"""Showing decisions on any page: ``{% load policy %}``, then ``{% policy_decision record %}``.

``record`` is a stored decision (``Decision.as_dict()``, or ``PolicyDecision.as_record()`` with
the version ids); it is rendered in the page's language with country names from
django-countries, so a decision stored in spring reads the same in autumn.
"""

from django import template
from django.utils import translation

from liaison.core.normalize import country_name
from liaison.policy import selectors
from liaison.policy.engine import render_record
from liaison.policy.models import DispositionChoice

register = template.Library()


@register.filter
def disposition_label(value: str) -> str:
    try:
        return DispositionChoice(value).label
    except ValueError:
        return value


@register.inclusion_tag("policy/_decision.html")
def policy_decision(record: dict, titles: dict | None = None) -> dict:
    if not record:
        return {"record": None}
    if titles is None:
        titles = selectors.rule_titles(record)
    language = translation.get_language() or "en"
    lines = render_record(record, language, country_name, titles).split("\n")
    # render_record: decision, rule and versions, steps, "Why:", then one line per rule tried.
    return {
        "record": record,
        "head": lines[:3],
        "why": lines[3] if len(lines) > 3 else "",
        "reasons": [line.removeprefix("- ") for line in lines[4:]],
    }
