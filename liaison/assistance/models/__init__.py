"""The assistance desk's records: cases and consular notifications (missions: ``directory``)."""

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
from liaison.assistance.models.notifications import ConsularNotification

__all__ = [
    "AssistanceCase",
    "CaseAttachment",
    "CaseEvent",
    "Category",
    "ConsularNotification",
    "Kind",
    "Priority",
    "Requester",
    "Status",
]
