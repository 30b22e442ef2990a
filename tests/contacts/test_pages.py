"""The liaison desk's pages: the log, a contact, logging and correcting one, the commitments."""

from datetime import date

import pytest
from django.test import Client

from liaison.contacts.models import Commitment, Contact, ContactRevision
from liaison.core.models import AuditEntry
from tests.conftest import sign_in
from tests.contacts.conftest import in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(liaison_officer):
    return english(sign_in(Client(), liaison_officer))


def english(client: Client) -> Client:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def _form(consul_general, liaison_officer, **overrides):
    data = {
        "kind": "visit",
        "starts_at": "2020-03-18T10:00",
        "ends_at": "2020-03-18T11:30",
        "time_zone": "Asia/Shanghai",
        "counterpart_time_zone": "",
        "place": "Consulate General of Japan, Chongqing",
        "medium": "",
        "topics": "Imported cases\nQuarantine hotels",
        "summary": "Visited the consul general.",
        "follows": "",
        "who-TOTAL_FORMS": "4",
        "who-INITIAL_FORMS": "0",
        "who-0-person": str(consul_general.pk),
        "who-0-role": "led",
        "who-1-officer": str(liaison_officer.pk),
        "who-1-role": "attended",
        "outcome-TOTAL_FORMS": "3",
        "outcome-INITIAL_FORMS": "0",
        "outcome-0-kind": "commitment",
        "outcome-0-text": "Share the quarantine hotel list",
        "outcome-0-side": "ours",
        "outcome-0-owner_officer": str(liaison_officer.pk),
        "outcome-0-due_on": in_days(4).isoformat(),
    }
    data.update(overrides)
    return data


def test_an_officer_logs_a_contact_with_several_participants(
    officer_client, consul_general, liaison_officer
):
    response = officer_client.post("/contacts/new/", _form(consul_general, liaison_officer))
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert response["Location"] == f"/contacts/{contact.pk}/"
    assert contact.participants.count() == 2
    assert contact.topics == ["Imported cases", "Quarantine hotels"]
    assert contact.local_start.hour == 10
    page = officer_client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "KIM Minjun" in text and "Share the quarantine hotel list" in text


def test_each_side_reads_the_time_in_its_own_zone(officer_client, consul_general, liaison_officer):
    # 15:00 in Chongqing (UTC+8) on 18 March 2020 is 09:00 in Kyiv (UTC+2, before summer time) and
    # 07:00 UTC: the page must not turn either into the office's zone.
    form = _form(
        consul_general,
        liaison_officer,
        starts_at="2020-03-18T15:00",
        ends_at="2020-03-18T16:00",
        time_zone="Asia/Shanghai",
        counterpart_time_zone="Europe/Kyiv",
    )
    response = officer_client.post("/contacts/new/", form)
    assert response.status_code == 302
    text = officer_client.get(response["Location"]).content.decode()
    when = text[text.index('data-testid="when"') :]
    assert "2020-03-18 15:00–16:00" in when
    counterpart = when[when.index('data-testid="counterpart-time"') :]
    assert "2020-03-18 09:00–10:00" in counterpart[: counterpart.index("</span>")]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"who-0-person": "", "who-1-officer": ""}, "Name at least one participant"),
        ({"ends_at": "2020-03-18T09:00"}, "It cannot end before it starts"),
        ({"outcome-0-due_on": "2020-03-01"}, "cannot be due in the past"),
        ({"who-0-person": "987654"}, "Select a valid choice"),
        ({"starts_at": "9999-12-31T10:00"}, "Enter a date between"),
    ],
)
def test_bad_input_answers_400_and_writes_nothing(
    officer_client, consul_general, liaison_officer, overrides, message
):
    response = officer_client.post(
        "/contacts/new/", _form(consul_general, liaison_officer, **overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Contact.objects.count() == 0 and Commitment.objects.count() == 0


def test_the_log_filters_by_organization_kind_dates_and_participant(
    officer_client, korea_call, korea_chengdu, japan_chongqing, consul_general
):
    def ids(query):
        response = officer_client.get("/contacts/?" + query)
        assert response.status_code == 200
        return [c.pk for c in response.context["page"]]

    assert ids(f"organization={korea_chengdu.pk}") == [korea_call.pk]
    assert ids(f"organization={japan_chongqing.pk}") == []
    assert ids("kind=call") == [korea_call.pk]
    assert ids("kind=letter") == []
    assert ids("since=2020-03-20&until=2020-03-20") == [korea_call.pk]
    assert ids("since=2020-03-21") == []
    assert ids(f"person={consul_general.pk}") == [korea_call.pk]


def test_a_malformed_filter_is_a_400(officer_client, korea_call):
    assert officer_client.get("/contacts/?since=2020-13-45").status_code == 400
    assert officer_client.get("/contacts/?organization=abc").status_code == 400
    assert officer_client.get("/contacts/commitments/?due_before=nope").status_code == 400
    assert officer_client.get("/contacts/commitments/?format=pdf").status_code == 400


def test_the_detail_shows_participants_outcomes_chain_and_history(
    officer_client, korea_call, liaison_officer
):
    response = officer_client.post(
        f"/contacts/{korea_call.pk}/correct/",
        {
            **{
                "kind": "call",
                "starts_at": "2020-03-20T15:00",
                "ends_at": "2020-03-20T16:00",
                "time_zone": "Asia/Shanghai",
                "place": korea_call.place,
                "medium": "Phone",
                "topics": "\n".join(korea_call.topics),
                "summary": korea_call.summary,
                "reason": "It ended at 16:00.",
                "outcome-TOTAL_FORMS": "3",
                "outcome-INITIAL_FORMS": "0",
            },
            **_who_rows(korea_call),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    revision = ContactRevision.objects.get(contact=korea_call, kind="corrected")
    assert set(revision.changes) == {"ends_at"}
    text = officer_client.get(f"/contacts/{korea_call.pk}/").content.decode()
    assert "It ended at 16:00." in text
    assert "KIM Minjun" in text and "Arrange a visit to the quarantine hotel" in text
    entries = AuditEntry.objects.filter(
        action="read", object_type="contacts.contact", object_id=str(korea_call.pk)
    )
    assert entries.count() == 1


def _who_rows(contact):
    # As the page renders it: the participants as initial rows, then empty ones.
    count = contact.participants.count()
    rows = {"who-TOTAL_FORMS": str(count + 4), "who-INITIAL_FORMS": str(count)}
    for n, p in enumerate(contact.participants.all()):
        rows[f"who-{n}-person"] = str(p.person_id or "")
        rows[f"who-{n}-officer"] = str(p.user_id or "")
        rows[f"who-{n}-role"] = p.role
    return rows


def test_withdrawing_keeps_the_contact_visible_as_withdrawn(officer_client, korea_call):
    response = officer_client.post(
        f"/contacts/{korea_call.pk}/withdraw/", {"reason": "Logged twice."}
    )
    assert response.status_code == 302
    text = officer_client.get(f"/contacts/{korea_call.pk}/").content.decode()
    assert "Withdrawn on" in text and "Logged twice." in text
    assert officer_client.get("/contacts/").context["page"][0].withdrawn
    # No reason: the contact's page again with why, a 400; nothing more changes.
    again = english(officer_client).post(f"/contacts/{korea_call.pk}/withdraw/", {"reason": ""})
    assert again.status_code == 400 and "Say why it is withdrawn." in again.content.decode()
    assert korea_call.revisions.count() == 2


def test_the_commitments_list_filters_and_exports(
    officer_client, korea_call, liaison_officer, korea_chengdu
):
    def descriptions(query):
        response = officer_client.get("/contacts/commitments/?" + query)
        assert response.status_code == 200
        return sorted(c.description for c in response.context["page"])

    assert len(descriptions("")) == 4
    assert descriptions(f"owner={liaison_officer.pk}") == [
        "Send the list of Korean nationals in quarantine"
    ]
    assert len(descriptions("side=theirs")) == 2
    assert len(descriptions(f"organization={korea_chengdu.pk}&side=theirs")) == 2
    assert descriptions(f"due_before={in_days(2).isoformat()}") == [
        "Give the arrival flights of Korean citizens"
    ]
    assert len(descriptions(f"due_after={in_days(5).isoformat()}")) == 2
    assert descriptions("overdue=on") == []
    assert descriptions("status=done") == []
    csv = officer_client.get("/contacts/commitments/?side=ours&format=csv")
    assert csv.status_code == 200
    body = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert "Send the list of Korean nationals in quarantine" in body
    assert "Inform Korean citizens" not in body
    xlsx = officer_client.get("/contacts/commitments/?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_a_commitment_is_marked_done_and_its_history_shown(
    officer_client, korea_call, liaison_officer
):
    commitment = korea_call.commitments.get(owner_user=liaison_officer)
    response = officer_client.post(
        f"/contacts/commitments/{commitment.pk}/move/", {"to": "done", "note": "Faxed."}
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == "done"
    text = officer_client.get(f"/contacts/commitments/{commitment.pk}/").content.decode()
    assert "Faxed." in text
    # Done is not "dropped": the table refuses it, the page says so with a 4xx, nothing changes.
    refused = officer_client.post(f"/contacts/commitments/{commitment.pk}/move/", {"to": "dropped"})
    assert refused.status_code == 409
    assert "Faxed." in refused.content.decode()  # on the commitment's own page
    commitment.refresh_from_db()
    assert commitment.status == "done"
    late = officer_client.post(
        f"/contacts/commitments/{commitment.pk}/reschedule/",
        {"due_on": "2020-01-01", "reason": "Later"},
    )
    assert late.status_code == 409  # only an open commitment gets a new due date
    assert "Only an open commitment gets a new due date." in late.content.decode()
    commitment.refresh_from_db()
    assert commitment.due_on != date(2020, 1, 1)


def test_the_organization_page_shows_its_contacts_and_open_commitments(
    officer_client, korea_call, korea_chengdu, liaison_officer
):
    from liaison.contacts.selectors import contacts_for_organization

    relationship = contacts_for_organization(liaison_officer, korea_chengdu)
    assert [c.pk for c in relationship.contacts] == [korea_call.pk]
    assert len(relationship.open_commitments) == 4
    # Through the directory's own page, as the officer reads it (the panel's slot).
    html = officer_client.get(f"/directory/{korea_chengdu.pk}/").content.decode()
    panel = html[html.index('data-testid="organization-contacts"') :]
    assert f'href="/contacts/{korea_call.pk}/"' in panel
    assert "Give the arrival flights of Korean citizens" in panel
    assert "No contacts here." not in panel


def test_the_directory_page_gets_the_panel_for_readers_only(
    korea_call, korea_chengdu, director_general, sampler_at_t3
):
    from liaison.directory.slots import organization_panels

    panels = organization_panels(korea_chengdu, director_general)
    ours = [p for p in panels if p["template"] == "contacts/_for_organization.html"]
    assert [c.pk for c in ours[0]["context"]["relationship"].contacts] == [korea_call.pk]
    assert not [
        p
        for p in organization_panels(korea_chengdu, sampler_at_t3)
        if p["template"] == "contacts/_for_organization.html"
    ]
