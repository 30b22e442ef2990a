"""The assistance desk's records: the mission directory, cases and consular notifications."""

from liaison.assistance.models.cases import (
    AssistanceCase,
    CaseAttachment,
    CaseEvent,
    Category,
    Kind,
    Priority,
    Requester,
    Status,
)
from liaison.assistance.models.missions import Mission, MissionContact, MissionCoverage
from liaison.assistance.models.notifications import ConsularNotification

__all__ = [
    "AssistanceCase",
    "CaseAttachment",
    "CaseEvent",
    "Category",
    "ConsularNotification",
    "Kind",
    "Mission",
    "MissionContact",
    "MissionCoverage",
    "Priority",
    "Requester",
    "Status",
]
