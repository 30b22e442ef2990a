"""``{{ code|country_name }}``: a stored country or region code, shown by its name in the
reader's language (``liaison.core.countries``), e.g. in a traveler's history rows."""

from django import template

from liaison.core.countries import country_name as _name

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    return _name(str(code or ""))
