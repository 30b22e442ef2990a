"""Reads of the assistance desk, each through the access layer: what may this user see?"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from liaison.assistance.models import AssistanceCase, CaseAttachment, ConsularNotification
from liaison.assistance.models.cases import OPEN_STATUSES, PRIORITY_ORDER, Priority
from liaison.core.access import Area, can, scoped
from liaison.core.models import User
from liaison.core.normalize import document_number, phone_e164
from liaison.core.roles import Role
from liaison.directory.models import MISSION_KINDS, Organization
from liaison.directory.search import fold

# --- Cases ----------------------------------------------------------------------------------------


def cases_visible_to(user) -> QuerySet[AssistanceCase]:
    """Assistance officers see cases (a jurisdiction-bound one only their jurisdiction's)."""
    queryset = AssistanceCase.objects.select_related("assigned_to", "jurisdiction")
    return scoped(queryset, user, Area.ASSISTANCE)


def search_cases(cases: QuerySet[AssistanceCase], query: str) -> QuerySet[AssistanceCase]:
    """By name in any script, document number or phone number (any common way of writing it)."""
    query = query.strip()
    if not query:
        return cases
    condition = Q(search_names__contains=fold(query))
    key = document_number(query)
    if len(key) >= 4:
        condition |= Q(search_document__contains=key)
    if sum(c.isdigit() for c in query) >= 6:
        e164 = phone_e164(query)
        if e164:
            condition |= Q(phone=e164)
    return cases.filter(condition)


def filter_cases(
    cases: QuerySet[AssistanceCase],
    *,
    user,
    view: str = "all",
    query: str = "",
    country: str = "",
    mission: Organization | None = None,
    status: str = "",
) -> QuerySet[AssistanceCase]:
    if view == "mine":
        cases = cases.filter(assigned_to=user).open()
    elif view == "unassigned":
        cases = cases.filter(assigned_to__isnull=True).open()
    elif view == "overdue":
        cases = cases.overdue()
    elif view == "open":
        cases = cases.open()
    if country:
        cases = cases.filter(Q(nationality=country) | Q(location_country=country))
    if mission is not None:
        cases = cases.filter(missions=mission)
    if status:
        cases = cases.filter(status=status)
    return search_cases(cases, query)


def missions_to_choose() -> QuerySet[Organization]:
    """The directory's missions: a case links to, and a notification goes to, one of these."""
    return Organization.objects.filter(active=True, kind__in=MISSION_KINDS)


def assistance_officers() -> QuerySet[User]:
    """Whom a case can be assigned to."""
    return User.objects.filter(is_active=True, role=Role.ASSISTANCE).order_by("username")


def listed_cases(user, *, view: str = "all", **filters) -> QuerySet[AssistanceCase]:
    """The desk's list: the user's cases in one view, filtered, soonest due first."""
    found = filter_cases(cases_visible_to(user), user=user, view=view, **filters)
    return found.order_by("due_at", "id")


def case_events(case: AssistanceCase):
    """The events of a case the page already opened through the access layer, with actors."""
    return case.events.select_related("actor")


def case_notifications(case: AssistanceCase) -> QuerySet[ConsularNotification]:
    return case.notifications.select_related("mission")


def attachment_of(case: AssistanceCase, attachment_id: int) -> CaseAttachment | None:
    return case.attachments.filter(pk=attachment_id).first()


@dataclass(frozen=True)
class OverdueGroup:
    priority: Priority
    cases: list[AssistanceCase]


def overdue_by_priority(user, now=None) -> list[OverdueGroup]:
    overdue = cases_visible_to(user).overdue(now or timezone.now()).order_by("due_at", "id")
    groups = {priority: [] for priority in sorted(Priority, key=PRIORITY_ORDER.get)}
    for case in overdue:
        groups[Priority(case.priority)].append(case)
    return [OverdueGroup(priority, cases) for priority, cases in groups.items()]


def open_cases_by_country(user) -> list[dict]:
    """Open cases counted by the person's nationality and by where they are."""
    open_cases = cases_visible_to(user).filter(status__in=OPEN_STATUSES)
    rows: dict[str, dict] = {}
    for field in ("nationality", "location_country"):
        for row in open_cases.values(field).annotate(n=Count("id")):
            code = row[field]
            rows.setdefault(code, {"code": code, "nationality": 0, "location_country": 0})
            rows[code][field] = row["n"]
    return sorted(rows.values(), key=lambda r: -(r["nationality"] + r["location_country"]))


def open_cases_by_mission(user) -> QuerySet[Organization]:
    visible = cases_visible_to(user).filter(status__in=OPEN_STATUSES).values("pk")
    return (
        Organization.objects.filter(cases__in=visible)
        .annotate(open_cases=Count("cases", distinct=True))
        .order_by("-open_cases", "code")
    )


def mission_names(ids) -> dict[int, str]:
    """Missions' names in the reader's language, by id, for what a case's timeline says.

    Names only (no personal data), inactive missions too: an old event still names its mission.
    """
    return {org.pk: org.name for org in Organization.objects.filter(pk__in=set(ids))}


# --- Notifications --------------------------------------------------------------------------------


def notifications_visible_to(user) -> QuerySet[ConsularNotification]:
    queryset = ConsularNotification.objects.select_related("mission", "case")
    return queryset if can(user, Area.MISSIONS) else queryset.none()


def notifications_of(user, *, status: str = "") -> QuerySet[ConsularNotification]:
    """The user's notifications, in one status when it is one (any other value: all)."""
    found = notifications_visible_to(user)
    if status in ConsularNotification.Status.values:
        found = found.filter(status=status)
    return found


# A notification the mission has not acknowledged (nor was it cancelled): still open business.
OPEN_NOTIFICATIONS = (
    ConsularNotification.Status.DRAFT,
    ConsularNotification.Status.REVIEWED,
    ConsularNotification.Status.SENT,
)


def open_cases_with(user, organization: Organization) -> QuerySet[AssistanceCase]:
    """The open cases this user may see that involve the organization (its page's panel)."""
    return cases_visible_to(user).filter(missions=organization, status__in=OPEN_STATUSES)


def open_notifications_to(user, organization: Organization) -> QuerySet[ConsularNotification]:
    """The notifications to the organization this user may see that are not yet acknowledged."""
    return notifications_visible_to(user).filter(
        mission=organization, status__in=OPEN_NOTIFICATIONS
    )
