"""March 2020: the director-general phones the Korean consul general in Chengdu. Two commitments
on each side; each is in the ledger, and ours wait on their owners' home pages."""

import pytest
from django.test import Client

from tests.conftest import sign_in
from tests.contacts.conftest import in_days

pytestmark = pytest.mark.django_db


def english(user) -> Client:
    client = sign_in(Client(), user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def _waiting(client) -> dict[str, int]:
    return {w.label: w.count for w in client.get("/").context["waiting"]}


def test_the_call_with_the_korean_consul_general(
    korea_call, korea_chengdu, director_general, liaison_officer
):
    desk = english(liaison_officer)
    # The log shows the call under the consulate, with who took part on each side.
    log = desk.get(f"/contacts/?organization={korea_chengdu.pk}")
    assert [c.pk for c in log.context["page"]] == [korea_call.pk]
    text = log.content.decode()
    assert "KIM Minjun (김민준)" in text and "zhou-director" in text

    # Four commitments in the ledger, two on each side, for the consulate.
    ledger = desk.get(f"/contacts/commitments/?organization={korea_chengdu.pk}&status=open")
    rows = [(c.side, c.description, c.due_on) for c in ledger.context["page"]]
    assert sorted(rows) == sorted(
        [
            ("ours", "Send the list of Korean nationals in quarantine", in_days(3)),
            ("ours", "Arrange a visit to the quarantine hotel", in_days(10)),
            ("theirs", "Inform Korean citizens of the quarantine rules", in_days(5)),
            ("theirs", "Give the arrival flights of Korean citizens", in_days(2)),
        ]
    )

    # Ours wait on their owners' home pages; none overdue yet.
    director = english(director_general)
    assert _waiting(director)["Your open commitments"] == 1
    assert _waiting(director)["Your overdue commitments"] == 0
    assert _waiting(desk)["Your open commitments"] == 1
    mine = director.get("/contacts/commitments/mine/")
    assert [c.description for c in mine.context["commitments"]] == [
        "Arrange a visit to the quarantine hotel"
    ]

    # The consulate delivered the flights: done, stays in the history, leaves the open list.
    flights = korea_call.commitments.get(description__startswith="Give the arrival flights")
    desk.post(f"/contacts/commitments/{flights.pk}/move/", {"to": "done", "note": "Received."})
    ledger = desk.get(f"/contacts/commitments/?organization={korea_chengdu.pk}&status=open")
    assert len(ledger.context["page"]) == 3
    done = desk.get("/contacts/commitments/?status=done")
    assert [c.pk for c in done.context["page"]] == [flights.pk]


def test_an_overdue_commitment_is_urgent_on_its_owners_home_page(korea_call, liaison_officer):
    from liaison.contacts.models import Commitment

    commitment = korea_call.commitments.get(owner_user=liaison_officer)
    # Due dates pass: the day after, the promise is overdue (written directly: no service
    # may set a due date in the past).
    Commitment.objects.filter(pk=commitment.pk).update(due_on=in_days(-1))
    waiting = english(liaison_officer).get("/").context["waiting"]
    overdue = next(w for w in waiting if w.label == "Your overdue commitments")
    assert overdue.count == 1 and overdue.urgent
    assert waiting[0] == overdue  # urgent first
