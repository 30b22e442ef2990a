"""The media desk's services: requests through their one table of moves, corrections recorded,
press releases locked once published; every bad input refused with nothing changed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.core.refusals import Conflict, Refused
from liaison.media import events, releases, services, states
from liaison.media.models import MediaRequest, MediaRequestEvent, PressRelease, ReleaseRecipient
from tests.media.conftest import april

pytestmark = pytest.mark.django_db


def kinds(request):
    return list(request.events.values_list("kind", flat=True))


def test_the_interview_about_the_measures_is_answered_within_its_deadline(interview, media_officer):
    assert interview.status == "assigned"
    assert interview.assigned_to == media_officer
    answered = services.answer_request(
        request=interview,
        answer="Foreign residents are quarantined in designated hotels; notices in 14 languages.",
        answered_by_user_id=media_officer.pk,
        answered_at=april(3, 16),
        by=media_officer,
    )
    assert answered.status == "answered"
    assert answered.answered_by == media_officer.get_username()
    assert kinds(answered) == ["received", "assigned", "answered"]
    last = answered.events.last()
    assert (last.from_status, last.to_status, last.data) == (
        "assigned",
        "answered",
        {"on_time": True},
    )
    assert events.describe(last) == "Answered"
    assert not answered.is_overdue


def test_an_answer_after_the_deadline_says_so(interview, media_officer):
    services.answer_request(
        request=interview,
        answer="Late, but answered.",
        answered_by_user_id=media_officer.pk,
        answered_at=april(5, 9),
        by=media_officer,
    )
    assert events.describe(interview.events.last()) == "Answered after the deadline"


def test_a_spokesperson_may_answer_but_not_a_foreigner(
    interview, media_officer, spokesperson, consul
):
    with pytest.raises(Refused) as refused:
        services.answer_request(
            request=interview, answer="x", answered_by_person_id=consul.pk, by=media_officer
        )
    assert refused.value.field == "answered_by_person"
    with pytest.raises(Refused):
        services.answer_request(
            request=interview,
            answer="x",
            answered_by_person_id=spokesperson.pk,
            answered_by_user_id=media_officer.pk,
            by=media_officer,
        )
    assert MediaRequest.objects.get(pk=interview.pk).status == "assigned"
    services.answer_request(
        request=interview,
        answer="The city's spokesperson gave the interview.",
        answered_by_person_id=spokesperson.pk,
        by=media_officer,
    )
    interview.refresh_from_db()
    assert interview.answered_by == "WANG Tao"


def test_the_director_general_may_give_the_interview(interview, media_officer, director_general):
    services.answer_request(
        request=interview,
        answer="The director-general explained the measures.",
        answered_by_user_id=director_general.pk,
        by=media_officer,
    )
    interview.refresh_from_db()
    assert interview.answered_by_user == director_general
    assert interview.assigned_to == media_officer


def test_a_filming_request_is_declined_with_a_reason(
    media_officer, second_media_officer, yonhap, yonhap_correspondent
):
    filming = services.receive_request(
        kind="filming",
        bureau_id=yonhap.pk,
        correspondent_id=yonhap_correspondent.pk,
        received_at=april(6, 10),
        deadline=april(8, 12),
        subject="Filming inside a quarantine hotel",
        by=media_officer,
    )
    assert filming.status == "received"
    services.assign_request(
        request=filming, assigned_to_id=second_media_officer.pk, by=media_officer
    )
    services.decline_request(
        request=filming,
        reason="Filming inside quarantine sites is not allowed, to protect the people there.",
        by=second_media_officer,
    )
    filming.refresh_from_db()
    assert filming.status == "declined"
    assert filming.closed_reason.startswith("Filming inside quarantine sites")
    assert kinds(filming) == ["received", "assigned", "declined"]
    assert filming.events.last().reason == filming.closed_reason


def test_handing_a_request_to_another_officer_is_recorded(
    interview, media_officer, second_media_officer
):
    services.assign_request(
        request=interview, assigned_to_id=second_media_officer.pk, by=media_officer
    )
    interview.refresh_from_db()
    assert interview.assigned_to == second_media_officer
    last = interview.events.last()
    assert (last.kind, last.data) == ("assigned", {"officer": "lin-media"})
    assert events.describe(last) == "Assigned to lin-media"
    with pytest.raises(Refused):
        services.assign_request(
            request=interview, assigned_to_id=second_media_officer.pk, by=media_officer
        )


def test_answering_a_withdrawn_request_is_a_conflict_and_changes_nothing(interview, media_officer):
    services.withdraw_request(
        request=interview, reason="The correspondent was called back to Tokyo.", by=media_officer
    )
    before = MediaRequestEvent.objects.count()
    with pytest.raises(Conflict) as conflict:
        services.answer_request(
            request=interview,
            answer="Too late",
            answered_by_user_id=media_officer.pk,
            by=media_officer,
        )
    assert conflict.value.status == 409
    assert "withdrawn" in conflict.value.message
    interview.refresh_from_db()
    assert (interview.status, interview.answer) == ("withdrawn", "")
    assert MediaRequestEvent.objects.count() == before
    with pytest.raises(Conflict):
        services.decline_request(request=interview, reason="x", by=media_officer)
    with pytest.raises(Conflict):
        services.assign_request(
            request=interview, assigned_to_id=media_officer.pk, by=media_officer
        )


def test_a_request_not_yet_assigned_cannot_be_answered(media_officer, kyodo):
    received = services.receive_request(
        kind="information",
        bureau_id=kyodo.pk,
        received_at=april(2, 9),
        deadline=april(2, 17),
        subject="Number of foreigners in quarantine",
        by=media_officer,
    )
    with pytest.raises(Conflict):
        services.answer_request(
            request=received, answer="12", answered_by_user_id=media_officer.pk, by=media_officer
        )
    assert states.allowed_moves("received") == {"assigned", "withdrawn"}
    for final in ("answered", "declined", "withdrawn"):
        assert states.allowed_moves(final) == frozenset()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deadline": april(1, 9)}, "deadline"),
        ({"kind": "press_tour"}, "kind"),
        ({"subject": ""}, "subject"),
        ({"subject": "x" * 301}, "subject"),
        ({"question": "x" * 5001}, "question"),
        ({"bureau_id": 10**12}, "bureau"),
        ({"correspondent_id": 10**12}, "correspondent"),
        ({"assigned_to_id": 10**12}, "assigned_to"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_written(
    media_officer, kyodo, kyodo_correspondent, change, field
):
    given = {
        "kind": "interview",
        "bureau_id": kyodo.pk,
        "correspondent_id": kyodo_correspondent.pk,
        "received_at": april(2, 9),
        "deadline": april(3, 9),
        "subject": "Measures for foreigners",
        **change,
    }
    with pytest.raises(Refused) as refused:
        services.receive_request(**given, by=media_officer)
    assert refused.value.status == 400
    assert refused.value.field == field
    assert not MediaRequest.objects.exists()
    assert not MediaRequestEvent.objects.exists()


def test_a_correspondent_of_another_bureau_or_a_bureau_that_is_not_media_is_refused(
    media_officer, kyodo, yonhap_correspondent, korea_consulate, consul, exchange_officer
):
    base = {
        "kind": "interview",
        "received_at": april(2, 9),
        "deadline": april(3, 9),
        "subject": "Measures",
        "by": media_officer,
    }
    with pytest.raises(Refused, match="not of that bureau"):
        services.receive_request(
            bureau_id=kyodo.pk, correspondent_id=yonhap_correspondent.pk, **base
        )
    with pytest.raises(Refused, match="not a media organization"):
        services.receive_request(bureau_id=korea_consulate.pk, correspondent_id=consul.pk, **base)
    with pytest.raises(Refused, match="liaison desk"):
        services.receive_request(bureau_id=kyodo.pk, assigned_to_id=exchange_officer.pk, **base)
    assert not MediaRequest.objects.exists()


def test_a_correction_is_recorded_with_its_reason_never_silent(
    interview, media_officer, expired_correspondent
):
    services.correct_request(
        request=interview,
        reason="The deadline was moved by the bureau; the other correspondent asked.",
        deadline=april(5, 12),
        correspondent_id=expired_correspondent.pk,
        subject=interview.subject,
        by=media_officer,
    )
    interview.refresh_from_db()
    last = interview.events.last()
    assert last.kind == "corrected"
    assert set(last.data) == {"deadline", "correspondent"}
    assert last.data["deadline"] == {
        "before": "2020-04-04T18:00:00+08:00",
        "after": "2020-04-05T12:00:00+08:00",
    }
    assert events.changes(last)[0][0] in {"deadline", "correspondent"}
    shown = {name: (before, after) for name, before, after in events.changes(last)}
    assert shown["correspondent"] == ("TANAKA Misaki (田中 美咲)", "SUZUKI Kenji")
    for bad in ({"reason": ""}, {"reason": "x", "subject": interview.subject}):
        with pytest.raises(Refused):
            services.correct_request(request=interview, by=media_officer, **bad)
    with pytest.raises(Conflict):
        services.correct_request(request=interview, reason="x", answer="y", by=media_officer)
    with pytest.raises(Refused):
        services.correct_request(
            request=interview, reason="x", received_at=april(6, 9), by=media_officer
        )
    assert interview.events.count() == 3


def test_overdue_open_requests_are_counted_for_their_officer(interview, media_officer):
    from liaison.media.waiting import my_requests

    counts = {w.label: (w.count, w.urgent) for w in my_requests(media_officer)}
    assert counts["Media requests assigned to you"] == (1, False)
    assert counts["Media requests past their deadline"] == (1, True)  # April 2020 is long past
    services.answer_request(
        request=interview, answer="Done", answered_by_user_id=media_officer.pk, by=media_officer
    )
    counts = {w.label: w.count for w in my_requests(media_officer)}
    assert counts == {"Media requests assigned to you": 0, "Media requests past their deadline": 0}


def test_a_press_release_is_sent_to_three_bureaus_and_locked_once_published(
    media_officer, kyodo, yonhap, dpa, kyodo_correspondent
):
    release = releases.draft_release(
        title_zh="重庆市加强境外输入疫情防控",
        title_en="Chongqing steps up measures against imported cases",
        body_zh="自3月起，所有入境人员集中隔离14天。",
        by=media_officer,
    )
    with pytest.raises(Refused) as refused:
        releases.publish_release(release=release, by=media_officer)
    assert refused.value.field == "body_en"
    with pytest.raises(Conflict):
        releases.send_release(release=release, bureau_ids=[kyodo.pk], by=media_officer)
    releases.edit_release(
        release=release,
        body_en="From March, every arriving traveler spends 14 days in centralized quarantine.",
        by=media_officer,
    )
    published_at = timezone.now() - timedelta(hours=2)
    releases.publish_release(release=release, published_at=published_at, by=media_officer)
    sent = releases.send_release(
        release=release, bureau_ids=[kyodo.pk, yonhap.pk, dpa.pk], by=media_officer
    )
    assert len(sent) == 3
    assert {r.bureau for r in release.recipients.all()} == {kyodo, yonhap, dpa}
    assert all(r.sent_at >= published_at for r in sent)
    release.refresh_from_db()
    with pytest.raises(Conflict):
        releases.edit_release(release=release, title_en="Changed", by=media_officer)
    with pytest.raises(Conflict):
        releases.publish_release(release=release, by=media_officer)
    assert PressRelease.objects.get(pk=release.pk).title_en.startswith("Chongqing steps up")
    assert list(release.events.values_list("kind", flat=True)) == [
        "drafted",
        "edited",
        "published",
        "sent",
    ]
    assert events.describe(release.events.last()) == "Sent to 3 bureaus and 0 correspondents"
    with pytest.raises(Refused, match="already sent"):
        releases.send_release(release=release, bureau_ids=[kyodo.pk], by=media_officer)
    releases.send_release(
        release=release, correspondent_ids=[kyodo_correspondent.pk], by=media_officer
    )
    assert release.recipients.count() == 4


def test_a_release_goes_only_to_the_media(media_officer, korea_consulate, consul, kyodo):
    release = releases.draft_release(
        title_zh="标题", title_en="Title", body_zh="正文", body_en="Text", by=media_officer
    )
    releases.publish_release(release=release, by=media_officer)
    for given in (
        {"bureau_ids": [korea_consulate.pk]},
        {"correspondent_ids": [consul.pk]},
        {"bureau_ids": [10**12]},
        {"bureau_ids": [kyodo.pk, kyodo.pk]},
        {},
    ):
        with pytest.raises(Refused):
            releases.send_release(release=release, by=media_officer, **given)
    assert not ReleaseRecipient.objects.exists()
    with pytest.raises(Refused):
        releases.draft_release(title_zh="x" * 301, by=media_officer)
    with pytest.raises(Refused):
        releases.draft_release(body_zh="no title", by=media_officer)
    assert PressRelease.objects.count() == 1
