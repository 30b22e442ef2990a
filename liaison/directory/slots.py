"""What other desks show on an organization's page: the slot the contact log fills.

The liaison desk's contact log and commitments (``liaison.contacts``) register a panel in their
``AppConfig.ready``::

    register_panel(Area.CONTACTS_READ, "contacts/_organization_panel.html", contacts_context)

``contacts_context(organization, user)`` returns the template's context (its contacts, its open
commitments), read through that app's own selectors. The page includes each panel the reader's
role may see, in the order registered; without any, it says the log is not here yet.
"""

from collections.abc import Callable
from dataclasses import dataclass

from liaison.core.access import Area, can


@dataclass(frozen=True)
class Panel:
    area: Area
    template: str
    context: Callable[[object, object], dict]


_PANELS: list[Panel] = []


def register_panel(area: Area, template: str, context: Callable[[object, object], dict]) -> None:
    panel = Panel(area, template, context)
    if panel not in _PANELS:
        _PANELS.append(panel)


def organization_panels(organization, user) -> list[dict]:
    """The panels this reader may see, each as its template and context."""
    return [
        {"template": panel.template, "context": panel.context(organization, user)}
        for panel in _PANELS
        if can(user, panel.area)
    ]
