"""Names and other text of any script inside a page of another direction.

A Persian or Arabic name inside a left-to-right line (or a Latin one inside a right-to-left
page) must be isolated, or the bidirectional algorithm reorders the text around it:
"الحسن عمر · E1234567" would swallow the document number. ``<bdi dir="auto">`` isolates it and
takes its direction from its first strong character; ``lang`` lets the browser pick the
Japanese, Korean or Chinese glyph of a Han character.
"""

from django import template
from django.utils.html import format_html

from liaison.core.names import language_of
from liaison.core.names import native_name as written_name

register = template.Library()


def _isolated(text: str, language: str = "") -> str:
    if not text:
        return ""
    if language:
        return format_html('<bdi dir="auto" lang="{}">{}</bdi>', language, text)
    return format_html('<bdi dir="auto">{}</bdi>', text)


@register.simple_tag
def native_name(person) -> str:
    """A person's name in their own script, isolated: ``{% native_name arrival %}``.

    ``person`` has ``surname_native`` and ``given_names_native`` (and a ``nationality``); the
    name is written as its script writes it (``liaison.core.names.native_name``)."""
    name = written_name(
        getattr(person, "surname_native", "") or "", getattr(person, "given_names_native", "") or ""
    )
    nationality = getattr(person, "nationality", None)
    country = getattr(nationality, "code", nationality) or ""
    return _isolated(name, language_of(name, str(country)))


@register.filter
def bdi(text) -> str:
    """Any text isolated for bidirectional display, with its language when its script tells it:
    ``{{ value|bdi }}``."""
    text = "" if text is None else str(text)
    return _isolated(text, language_of(text))
