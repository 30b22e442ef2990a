"""The kinds of notification: each one's title, rendered with the notification's data.

Register a kind once, where your app's jobs or services live::

    from liaison.notifications.kinds import register_kind

    register_kind("incidents.escalated", gettext_lazy("Incident %(code)s is escalated to you"))

``data`` carries the placeholders' values (JSON: codes, numbers, dates as ISO strings).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    code: str
    title: str | Promise


KINDS: dict[str, Kind] = {}


def register_kind(code: str, title: str | Promise) -> Kind:
    kind = KINDS.setdefault(code, Kind(code, title))
    if kind.title != title:
        raise ValueError(f"notification kind {code!r} is registered twice")
    return kind


def render_title(kind: str, data: dict) -> str:
    """The title in the active language; an unknown kind or a missing value still shows."""
    known = KINDS.get(kind)
    if known is None:
        return str(_("Notification (%(kind)s)") % {"kind": kind})
    try:
        return str(known.title) % data
    except (KeyError, TypeError, ValueError):
        return str(known.title)
