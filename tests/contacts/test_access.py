"""Who may use the contact log: the liaison desk writes, leadership reads, others see nothing
(but the commitments they own)."""

import json

import pytest
from django.test import Client

from liaison.contacts import commitments as ledger
from liaison.contacts.models import Contact
from liaison.core.models import AuditEntry
from tests.conftest import sign_in
from tests.contacts.conftest import in_days

pytestmark = pytest.mark.django_db


def pages(contact, commitment):
    return [
        "/contacts/",
        "/contacts/new/",
        f"/contacts/{contact.pk}/",
        f"/contacts/{contact.pk}/correct/",
        "/contacts/commitments/",
        f"/contacts/commitments/{commitment.pk}/",
    ]


def test_a_sampling_officer_is_refused_every_page_and_operation(sampler_at_t3, korea_call):
    client = sign_in(Client(), sampler_at_t3)
    commitment = korea_call.commitments.first()
    for path in pages(korea_call, commitment):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/contacts/{korea_call.pk}/withdraw/", {"reason": "x"}).status_code == 403
    for path in ("/api/v1/contacts", f"/api/v1/contacts/{korea_call.pk}", "/api/v1/commitments"):
        assert client.get(path).status_code == 403, path
    response = client.post(
        "/api/v1/contacts", json.dumps({"kind": "call"}), content_type="application/json"
    )
    assert response.status_code in (400, 403)
    assert AuditEntry.objects.filter(action="denied").exists()
    assert not Contact.objects.filter(withdrawn_at__isnull=False).exists()


def test_leadership_reads_but_cannot_write(director_general, korea_call):
    client = sign_in(Client(), director_general)
    commitment = korea_call.commitments.first()
    assert client.get("/contacts/").status_code == 200
    assert client.get(f"/contacts/{korea_call.pk}/").status_code == 200
    assert client.get("/contacts/commitments/").status_code == 200
    assert client.get(f"/contacts/commitments/{commitment.pk}/").status_code == 200
    assert client.get("/api/v1/contacts").status_code == 200
    assert client.get("/contacts/new/").status_code == 403
    assert client.get(f"/contacts/{korea_call.pk}/correct/").status_code == 403
    assert client.post(f"/contacts/{korea_call.pk}/withdraw/", {"reason": "x"}).status_code == 403
    move = f"/contacts/commitments/{commitment.pk}/move/"
    assert client.post(move, {"to": "done"}).status_code == 403
    body = json.dumps({"reason": "x", "place": "y"})
    api = f"/api/v1/contacts/{korea_call.pk}/corrections"
    assert client.post(api, body, content_type="application/json").status_code == 403
    korea_call.refresh_from_db()
    assert korea_call.revisions.count() == 1
    commitment.refresh_from_db()
    assert commitment.status == "open"


def test_an_exchange_officer_sees_only_the_commitments_they_own(
    exchange_officer, korea_call, consul_general
):
    mine = ledger.commit(
        side="ours",
        description="Send the minutes to the Ministry",
        due_on=in_days(2),
        owner_user=exchange_officer,
        source_kind="exchanges.conference",
        source_id=1,
        source_label="Video conference with Armenia",
        by=exchange_officer,
    )
    client = sign_in(Client(), exchange_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.get("/contacts/").status_code == 403
    response = client.get("/contacts/commitments/mine/")
    assert response.status_code == 200
    assert [c.pk for c in response.context["commitments"]] == [mine.pk]
    home = client.get("/")
    counts = {w.label: w.count for w in home.context["waiting"]}
    assert counts["Your open commitments"] == 1
