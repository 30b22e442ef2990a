"""The one authorization layer of Liaison.

Every page, export and API call belongs to an *area*. A role may use a fixed set of areas (the
table below); a user bound to a jurisdiction or site sees only its records through the
``*_visible_to`` selectors. Anything that has not declared an area is refused: the access
middleware denies a view without ``liaison_area`` and the API denies an operation without auth.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy

from liaison.core.roles import Role


class Area(StrEnum):
    HOME = "home"
    ACCOUNT = "account"  # one's own sign-in settings (second factor)
    REFERENCE = "reference"  # jurisdictions, sites, ports of entry
    AUDIT = "audit"
    TOKENS = "tokens"
    ADMIN = "admin"  # Django's admin site
    API_DOCS = "api_docs"
    ARRIVALS_DESK = "arrivals.desk"
    ARRIVALS_SAMPLING = "arrivals.sampling"
    ARRIVALS_LAB = "arrivals.lab"
    ARRIVALS_DISPATCH = "arrivals.dispatch"
    ARRIVALS_RECEIVING = "arrivals.receiving"
    ARRIVALS_BOARD = "arrivals.board"
    POLICY = "policy"
    POLICY_PUBLISH = "policy.publish"
    # Confirming or dismissing a traveler a new policy version would move.
    POLICY_REVIEW = "policy.review"
    ASSISTANCE = "assistance"
    # The foreign-mission directory and consular notifications, shared by two desks.
    MISSIONS = "missions"
    # The directory of counterparts, read by every desk that links to it (directory app); the
    # liaison desk (LIAISON) keeps it.
    DIRECTORY = "directory"
    LIAISON = "liaison"
    # The contact log and the commitments ledger, read: the liaison desk writes (LIAISON),
    # leadership reads.
    CONTACTS_READ = "contacts.read"
    # Foreign media requests and press releases, read: the liaison desk writes (LIAISON),
    # leadership reads.
    MEDIA_READ = "media.read"
    AID = "aid"
    # Reading the aid desk's donations, batches and ledgers: the aid officer writes (AID),
    # leadership reads.
    AID_READ = "aid.read"
    EXCHANGES = "exchanges"
    # Reading the conferences and their minutes: the exchange officer writes, leadership reads.
    EXCHANGES_READ = "exchanges.read"
    # The calendar of contacts, conferences and commitments due, and its feed (agenda app): it
    # adds no access of its own, each desk's selectors say what a user sees in it.
    CALENDAR = "calendar"
    DUTY = "duty"
    # The roster, who is on duty and the duty log, read: the duty officer writes (DUTY),
    # leadership reads.
    DUTY_READ = "duty.read"
    REPORTS = "reports"
    # The dashboard of every desk and the daily briefings (leadership app): figures in aggregate,
    # for leadership and the duty desk (the duty chief drafts and writes the highlights).
    LEADERSHIP = "leadership"
    # Approving a daily briefing, which freezes it: leadership only.
    BRIEFING_APPROVE = "leadership.approve"
    # Personal data's end: the retention rules, legal holds, runs and their receipts.
    RETENTION = "retention"


# What an API client outside its role is told (pages show core/forbidden.html instead).
API_DENIED = gettext_lazy("This client may not use this operation.")

# Marks a view anyone may open, signed in or not (the traveler's declaration form, health check).
PUBLIC = "public"
# Marks a view any signed-in user may open, with or without a role (home, sign-out, 2FA setup).
SIGNED_IN = "signed_in"

_EVERY_STAFF = frozenset({Area.HOME, Area.ACCOUNT, Area.REFERENCE})

ROLE_AREAS: dict[Role, frozenset[Area]] = {
    Role.AIRPORT_DESK: _EVERY_STAFF
    | {Area.ARRIVALS_DESK, Area.ARRIVALS_BOARD, Area.POLICY, Area.POLICY_REVIEW},
    Role.SAMPLING: _EVERY_STAFF | {Area.ARRIVALS_SAMPLING},
    Role.LAB: _EVERY_STAFF | {Area.ARRIVALS_LAB},
    Role.DISPATCH: _EVERY_STAFF | {Area.ARRIVALS_DISPATCH, Area.ARRIVALS_BOARD},
    Role.DISTRICT_RECEIVING: _EVERY_STAFF | {Area.ARRIVALS_RECEIVING},
    Role.ASSISTANCE: _EVERY_STAFF | {Area.ASSISTANCE, Area.MISSIONS, Area.DIRECTORY},
    Role.LIAISON: _EVERY_STAFF
    | {
        Area.LIAISON,
        Area.CONTACTS_READ,
        Area.MEDIA_READ,
        Area.MISSIONS,
        Area.DIRECTORY,
        Area.CALENDAR,
    },
    Role.AID: _EVERY_STAFF | {Area.AID, Area.AID_READ, Area.DIRECTORY},
    Role.EXCHANGES: _EVERY_STAFF
    | {Area.EXCHANGES, Area.EXCHANGES_READ, Area.DIRECTORY, Area.CALENDAR},
    Role.DUTY: _EVERY_STAFF | {Area.DUTY, Area.DUTY_READ, Area.DIRECTORY, Area.LEADERSHIP},
    Role.LEADERSHIP: _EVERY_STAFF
    | {
        Area.ARRIVALS_BOARD,
        Area.REPORTS,
        Area.LEADERSHIP,
        Area.BRIEFING_APPROVE,
        Area.POLICY,
        Area.CONTACTS_READ,
        Area.MEDIA_READ,
        Area.EXCHANGES_READ,
        Area.AID_READ,
        Area.DUTY_READ,
        Area.DIRECTORY,
        Area.CALENDAR,
    },
    Role.ADMINISTRATOR: _EVERY_STAFF
    | {
        Area.AUDIT,
        Area.TOKENS,
        Area.ADMIN,
        Area.API_DOCS,
        Area.POLICY,
        Area.POLICY_PUBLISH,
        Area.POLICY_REVIEW,
        Area.RETENTION,
    },
}


def areas_of(user) -> frozenset[Area]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if not user.role:
        return frozenset({Area.HOME, Area.ACCOUNT})
    return ROLE_AREAS.get(Role(user.role), frozenset())


def can(user, area: Area | str) -> bool:
    """May this user use this area? Deny by default."""
    if area == PUBLIC:
        return True
    if area == SIGNED_IN:
        return bool(getattr(user, "is_authenticated", False) and user.is_active)
    return area in areas_of(user)


def needs_second_factor(user) -> bool:
    """Administrators must use a second factor; anyone who set one up uses it too."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.ADMINISTRATOR and settings.LIAISON_ADMIN_REQUIRES_2FA:
        return True
    from django_otp import user_has_device

    return user_has_device(user, confirmed=True)


def is_second_factor_satisfied(user) -> bool:
    if not needs_second_factor(user):
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


# --- Declaring a view's area ------------------------------------------------------------------


def requires(area: Area | str) -> Callable:
    """Decorate a view function (or class) with the area it belongs to."""

    def mark(view):
        view.liaison_area = area
        return view

    return mark


public = requires(PUBLIC)
signed_in = requires(SIGNED_IN)


def view_mark(view_func, name: str, default=None):
    """A mark set by ``requires`` and friends on a view function or on its class."""
    value = getattr(view_func, name, None)
    if value is None and hasattr(view_func, "view_class"):
        value = getattr(view_func.view_class, name, None)
    return default if value is None else value


def area_of_view(view_func) -> str | None:
    return view_mark(view_func, "liaison_area")


# --- Navigation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NavItem:
    area: Area
    label: str
    url_name: str
    description: str = ""


_NAV: list[NavItem] = []


def register_nav(*items: NavItem) -> None:
    """Apps add their pages to the menu in ``AppConfig.ready``."""
    for item in items:
        if item not in _NAV:
            _NAV.append(item)


def navigation_for(user) -> list[dict]:
    entries = []
    for item in _NAV:
        if not can(user, item.area):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        entries.append({"label": item.label, "url": url, "description": item.description})
    return entries


# --- Selectors: what may this user see? ----------------------------------------------------------


def jurisdiction_filter(user, field: str = "jurisdiction") -> Q:
    """A filter on ``field`` that keeps only what a jurisdiction-bound user may see.

    Officers without a jurisdiction (airport, city-level desks) see the whole city; a district
    officer sees only their district. Anyone else sees nothing.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.role:
        return Q(pk__in=[])
    if user.jurisdiction_id:
        return Q(**{f"{field}_id": user.jurisdiction_id})
    return Q()


def scoped(queryset: QuerySet, user, area: Area, field: str = "jurisdiction") -> QuerySet:
    """The rows of ``queryset`` this user may see in ``area``: none unless the role allows it."""
    if not can(user, area):
        return queryset.none()
    return queryset.filter(jurisdiction_filter(user, field))
