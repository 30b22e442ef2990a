"""The contact log and the ledger through their services: what is written, what is refused."""

import pytest

from liaison.contacts import commitments as ledger
from liaison.contacts import services
from liaison.contacts.models import (
    Commitment,
    CommitmentEvent,
    Contact,
    ContactRevision,
    Outcome,
    Participant,
)
from liaison.contacts.services import OutcomeIn, Who
from liaison.core.refusals import Conflict, Refused
from tests.contacts.conftest import in_days, march

pytestmark = pytest.mark.django_db


def test_the_korea_call_is_logged_with_both_sides_and_its_outcomes(korea_call, korea_chengdu):
    assert korea_call.kind == "call"
    assert korea_call.starts_at == march(20, 15)
    assert korea_call.time_zone == "Asia/Shanghai"
    sides = sorted(korea_call.participants.values_list("side", "role"))
    assert sides == [
        ("ours", "led"),
        ("ours", "note_taker"),
        ("theirs", "attended"),
        ("theirs", "led"),
    ]
    theirs = korea_call.participants.filter(side="theirs")
    assert {p.organization_id for p in theirs} == {korea_chengdu.pk}
    assert korea_call.outcomes.count() == 5
    assert Commitment.objects.filter(contact=korea_call, side="ours").count() == 2
    assert Commitment.objects.filter(contact=korea_call, side="theirs").count() == 2
    assert all(c.outcome.kind == "commitment" for c in korea_call.commitments.all())
    assert [r.kind for r in korea_call.revisions.all()] == ["logged"]
    assert CommitmentEvent.objects.filter(kind="made").count() == 4


def _log(by, **overrides):
    fields = {
        "kind": "meeting",
        "starts_at": march(12, 10),
        "ends_at": march(12, 11),
        "participants": [],
        "by": by,
    }
    fields.update(overrides)
    return services.log_contact(**fields)


def _nothing_written():
    assert Contact.objects.count() == 0
    assert Participant.objects.count() == 0
    assert Outcome.objects.count() == 0
    assert Commitment.objects.count() == 0
    assert ContactRevision.objects.count() == 0


def test_a_contact_without_participants_is_refused(liaison_officer):
    with pytest.raises(Refused) as refused:
        _log(liaison_officer)
    assert refused.value.field == "participants"
    assert refused.value.status == 400
    _nothing_written()


def test_a_contact_with_only_our_side_is_refused(liaison_officer):
    with pytest.raises(Refused, match="other side"):
        _log(liaison_officer, participants=[Who(role="led", user=liaison_officer.pk)])
    _nothing_written()


def test_an_end_before_the_start_is_refused(liaison_officer, consul_general):
    with pytest.raises(Refused) as refused:
        _log(
            liaison_officer,
            ends_at=march(12, 9),
            participants=[Who(role="led", person=consul_general.pk)],
        )
    assert refused.value.field == "ends_at"
    _nothing_written()


def test_a_participant_of_an_unknown_organization_is_refused(liaison_officer, consul_general):
    with pytest.raises(Refused) as refused:
        _log(
            liaison_officer,
            participants=[Who(role="led", person=consul_general.pk, organization=987654)],
        )
    assert refused.value.field == "participants.0.organization"
    _nothing_written()


def test_an_unknown_person_is_refused(liaison_officer):
    with pytest.raises(Refused) as refused:
        _log(liaison_officer, participants=[Who(role="led", person=987654)])
    assert refused.value.field == "participants.0.person"
    _nothing_written()


def test_a_person_stated_with_another_organization_is_refused(
    liaison_officer, consul_general, japan_chongqing
):
    with pytest.raises(Refused, match="not of that organization"):
        _log(
            liaison_officer,
            participants=[
                Who(role="led", person=consul_general.pk, organization=japan_chongqing.pk)
            ],
        )
    _nothing_written()


def test_a_commitment_due_in_the_past_is_refused_and_the_contact_with_it(
    liaison_officer, consul_general
):
    with pytest.raises(Refused) as refused:
        _log(
            liaison_officer,
            participants=[Who(role="led", person=consul_general.pk)],
            outcomes=[
                OutcomeIn(kind="information", text="Noted."),
                OutcomeIn(
                    kind="commitment",
                    text="Send the rules",
                    side="ours",
                    owner_user=liaison_officer.pk,
                    due_on=in_days(-1),
                ),
            ],
        )
    assert refused.value.field == "outcomes.1.due_on"
    _nothing_written()


def test_a_commitment_of_ours_needs_one_of_our_officers(liaison_officer, consul_general):
    with pytest.raises(Refused, match="owned by one of our officers"):
        _log(
            liaison_officer,
            participants=[Who(role="led", person=consul_general.pk)],
            outcomes=[
                OutcomeIn(
                    kind="commitment",
                    text="x",
                    side="ours",
                    owner_person=consul_general.pk,
                    due_on=in_days(1),
                )
            ],
        )
    _nothing_written()


def test_an_unknown_time_zone_is_refused(liaison_officer, consul_general):
    with pytest.raises(Refused) as refused:
        _log(
            liaison_officer,
            time_zone="Mars/Olympus",
            participants=[Who(role="led", person=consul_general.pk)],
        )
    assert refused.value.field == "time_zone"


def test_times_entered_in_the_counterparts_zone_are_stored_in_utc(liaison_officer, consul_general):
    from datetime import UTC, datetime

    contact = _log(
        liaison_officer,
        kind="video_call",
        starts_at=datetime(2020, 3, 24, 9, 0),  # as typed, in Kyiv
        ends_at=datetime(2020, 3, 24, 12, 0),
        time_zone="Europe/Kyiv",
        counterpart_time_zone="Europe/Kyiv",
        participants=[Who(role="led", person=consul_general.pk)],
    )
    contact.refresh_from_db()
    assert contact.starts_at == datetime(2020, 3, 24, 7, 0, tzinfo=UTC)
    assert contact.local_start.hour == 9
    # The same zone on both sides: no second time shown.
    assert contact.counterpart_start is None
    contact.time_zone = "Asia/Shanghai"
    assert contact.counterpart_start.hour == 9
    assert contact.local_start.hour == 15


def test_a_follow_up_links_to_the_contact_it_follows(korea_call, liaison_officer, consul_general):
    follow_up = _log(
        liaison_officer,
        kind="letter",
        starts_at=march(23, 9),
        ends_at=None,
        participants=[Who(role="attended", person=consul_general.pk)],
        follows=korea_call,
    )
    assert list(korea_call.follow_ups.all()) == [follow_up]
    with pytest.raises(Refused, match="before the contact it follows"):
        _log(
            liaison_officer,
            starts_at=march(1, 9),
            participants=[Who(role="attended", person=consul_general.pk)],
            follows=korea_call,
        )


def test_a_correction_records_before_after_who_and_why(korea_call, liaison_officer, consul):
    services.correct_contact(
        contact=korea_call,
        reason="The call ended at 16:00, not 15:40.",
        by=liaison_officer,
        ends_at=march(20, 16),
        summary="Explained the 14-day quarantine on arrival.",
        participants=[
            Who(role="led", user=korea_call.participants.get(role="led", side="ours").user_id),
            Who(role="led", person=consul.pk),
        ],
    )
    korea_call.refresh_from_db()
    assert korea_call.ends_at == march(20, 16)
    revision = korea_call.revisions.get(kind="corrected")
    assert revision.by == liaison_officer
    assert revision.reason == "The call ended at 16:00, not 15:40."
    assert revision.changes["ends_at"]["before"] == march(20, 15, 40).isoformat()
    assert revision.changes["ends_at"]["after"] == march(20, 16).isoformat()
    assert "summary" in revision.changes and "participants" in revision.changes
    assert len(revision.changes["participants"]["before"]) == 4
    assert korea_call.participants.count() == 2


def test_a_correction_without_a_reason_or_a_change_is_refused(korea_call, liaison_officer):
    with pytest.raises(Refused, match="why"):
        services.correct_contact(contact=korea_call, reason=" ", by=liaison_officer, place="x")
    with pytest.raises(Refused, match="Nothing was changed"):
        services.correct_contact(
            contact=korea_call, reason="typo", by=liaison_officer, place=korea_call.place
        )
    with pytest.raises(Refused):
        services.correct_contact(
            contact=korea_call, reason="typo", by=liaison_officer, ends_at=march(19, 1)
        )
    korea_call.refresh_from_db()
    assert korea_call.ends_at == march(20, 15, 40)
    assert korea_call.revisions.count() == 1


def test_a_withdrawn_contact_stays_marked_and_drops_its_open_commitments(
    korea_call, liaison_officer
):
    services.withdraw_contact(contact=korea_call, reason="Logged twice.", by=liaison_officer)
    korea_call.refresh_from_db()
    assert Contact.objects.filter(pk=korea_call.pk).exists()
    assert korea_call.withdrawn and korea_call.withdrawn_reason == "Logged twice."
    assert set(korea_call.commitments.values_list("status", flat=True)) == {"dropped"}
    assert [r.kind for r in korea_call.revisions.all()] == ["logged", "withdrawn"]
    with pytest.raises(Conflict):
        services.correct_contact(contact=korea_call, reason="x", by=liaison_officer, place="y")
    with pytest.raises(Conflict):
        services.withdraw_contact(contact=korea_call, reason="again", by=liaison_officer)


def test_commitment_moves_follow_the_table(korea_call, liaison_officer):
    commitment = korea_call.commitments.get(owner_user=liaison_officer)
    ledger.move_commitment(
        commitment=commitment, to="done", note="Sent by fax.", by=liaison_officer
    )
    commitment.refresh_from_db()
    assert commitment.status == "done"
    with pytest.raises(Conflict):
        ledger.move_commitment(commitment=commitment, to="dropped", by=liaison_officer)
    with pytest.raises(Refused, match="Say why"):
        ledger.move_commitment(commitment=commitment, to="open", by=liaison_officer)
    ledger.move_commitment(
        commitment=commitment, to="open", note="List was incomplete.", by=liaison_officer
    )
    events = list(commitment.events.values_list("kind", "from_status", "to_status"))
    assert events == [("made", "", "open"), ("moved", "open", "done"), ("moved", "done", "open")]


def test_a_new_due_date_keeps_the_old_one(korea_call, liaison_officer):
    commitment = korea_call.commitments.get(owner_user=liaison_officer)
    old = commitment.due_on
    ledger.reschedule_commitment(
        commitment=commitment, due_on=in_days(7), reason="Agreed by phone.", by=liaison_officer
    )
    event = commitment.events.get(kind="rescheduled")
    assert (event.from_due, event.to_due) == (old, in_days(7))
    with pytest.raises(Refused):
        ledger.reschedule_commitment(
            commitment=commitment, due_on=in_days(-2), reason="x", by=liaison_officer
        )


def test_another_desk_commits_by_source_without_a_contact(exchange_officer, consul_general):
    """What the exchanges desk calls: a conference's follow-up in the same ledger."""
    commitment = ledger.commit(
        side="theirs",
        description="Send the Ukrainian treatment protocol",
        due_on=in_days(14),
        owner_organization=consul_general.organization,
        source_kind="exchanges.conference",
        source_id=7,
        source_label="Video conference with Ukraine, 2020-03-24",
        by=exchange_officer,
    )
    assert commitment.contact is None and commitment.outcome is None
    assert commitment.source_kind == "exchanges.conference"
    with pytest.raises(Refused, match="where the commitment was made"):
        ledger.commit(
            side="ours",
            description="x",
            due_on=in_days(1),
            owner_user=exchange_officer,
            by=exchange_officer,
        )
