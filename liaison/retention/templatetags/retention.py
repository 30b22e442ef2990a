"""``{% retention_of "arrival" record as life %}``: when a record is (or was) anonymized, for the
pages of other desks (a traveler's, a case's) without their views knowing about retention;
``{% retention_rule "duty_log.written" as applied %}``: a rule as the city set it, for a list."""

from django import template

from liaison.retention.rules import rule
from liaison.retention.selectors import lifecycle

register = template.Library()


@register.simple_tag
def retention_of(kind: str, record):
    return lifecycle(kind, record)


@register.simple_tag
def retention_rule(code: str):
    return rule(code)
