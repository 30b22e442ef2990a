"""What waits for a user: the counts on their home page.

Each desk app registers, in ``AppConfig.ready``, a function of the user returning its items (a
label, a count and a link), computed through that app's selectors of the access layer, so a
district officer counts only their district's records. Each count is one ``COUNT`` query on
indexed columns: the home page is opened all day long.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from liaison.core.access import Area, can
from liaison.core.roles import Role


@dataclass(frozen=True)
class Waiting:
    label: str
    count: int
    url: str
    # Shown first and marked: something a person should act on now (a fever, an overdue batch).
    urgent: bool = False


WaitingItems = Callable[[object], Iterable[Waiting]]

_SOURCES: list[tuple[Area, WaitingItems]] = []


def register_waiting(area: Area, items: WaitingItems) -> None:
    """Apps add what waits on their desk in ``AppConfig.ready``; asked only of users of ``area``."""
    if (area, items) not in _SOURCES:
        _SOURCES.append((area, items))


def item(label: str, count: int, url_name: str, *, urgent: bool = False) -> Waiting:
    """One item, its link resolved (the page's own URL name, as in the menu)."""
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        url = ""
    return Waiting(label=str(label), count=count, url=url, urgent=urgent and count > 0)


def waiting_for(user) -> list[Waiting]:
    """Every item waiting for this user, urgent ones first, in the order the apps registered."""
    items = [w for area, source in _SOURCES if can(user, area) for w in source(user)]
    return sorted(items, key=lambda w: not w.urgent)


# Roles whose desk is not built yet: their home page says so rather than showing nothing.
UNBUILT_DESKS: dict[Role, str] = {}


def unbuilt_desk(user) -> str:
    """What to tell a user whose desk is not built yet; empty for everyone else."""
    role = getattr(user, "role", "")
    return str(UNBUILT_DESKS[Role(role)]) if role in UNBUILT_DESKS else ""


# --- Panels other apps add to every staff home page ----------------------------------------------


@dataclass(frozen=True)
class Panel:
    """A block of the home page: an app's template and what it shows."""

    template: str
    context: dict


HomePanel = Callable[[object], Panel | None]
_PANELS: list[HomePanel] = []


def register_panel(panel: HomePanel) -> None:
    """Apps add a block to every staff home page in ``AppConfig.ready`` (the duty desk: who is
    on duty now); the function returns ``None`` to show nothing to this user."""
    if panel not in _PANELS:
        _PANELS.append(panel)


def panels_for(user) -> list[Panel]:
    return [panel for source in _PANELS if (panel := source(user)) is not None]
