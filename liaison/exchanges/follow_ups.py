"""A conference's follow-ups: commitments in the contacts desk's ledger
(``liaison.contacts.commitments.commit``), made at the conference (``source_kind``
"exchanges.conference"), so they appear on their owner's home page and in the desk's list with
every other commitment, and move there (done, dropped) like any other.

A follow-up is part of the minutes: once they are finalized, none is added (409).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from liaison.contacts import services as contacts
from liaison.contacts.commitments import commit
from liaison.contacts.models import Commitment
from liaison.core.models import User
from liaison.exchanges.models import Conference, ConferenceEvent
from liaison.exchanges.services import editable, event

SOURCE_KIND = "exchanges.conference"


def of_conference(conference: Conference) -> list[Commitment]:
    """The commitments made at this conference (whoever may see the conference sees them)."""
    return list(
        Commitment.objects.filter(source_kind=SOURCE_KIND, source_id=conference.pk).select_related(
            "owner_user", "owner_person__organization", "owner_organization"
        )
    )


@transaction.atomic
def record(
    *,
    conference: Conference,
    side: str,
    description: str,
    due_on: date,
    by: User,
    owner_user_id: int | None = None,
    owner_person_id: int | None = None,
    owner_organization_id: int | None = None,
) -> Commitment:
    """A follow-up of the conference: ours owned by an officer, theirs by a person or an
    organization of the directory."""
    conference = editable(conference)
    commitment = commit(
        side=side,
        description=description,
        due_on=due_on,
        owner_user=contacts.officer(owner_user_id, "owner_user"),
        owner_person=contacts.person(owner_person_id, "owner_person"),
        owner_organization=contacts.organization(owner_organization_id, "owner_organization"),
        source_kind=SOURCE_KIND,
        source_id=conference.pk,
        source_label=f"{conference.title_zh} / {conference.title_en}"[:300],
        by=by,
    )
    event(conference, type=ConferenceEvent.Type.FOLLOW_UP, by=by, commitment=commitment.pk)
    return commitment
