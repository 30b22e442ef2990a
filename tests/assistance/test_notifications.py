"""Consular notifications: drafted in the mission's language, reviewed, sent once, acknowledged;
automatic drafts from the arrival pipeline's dispositions of foreign nationals."""

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
from django.utils import timezone

from liaison.arrivals.models import Source
from liaison.arrivals.services import declare
from liaison.assistance import consular, services
from liaison.assistance.models import ConsularNotification
from liaison.core import audit
from liaison.core.models import AuditEntry
from liaison.core.refusals import Conflict, Refused
from liaison.directory.models import Organization as Mission
from tests.arrivals.conftest import valid_payload

pytestmark = pytest.mark.django_db


def test_a_case_notification_is_drafted_in_the_missions_language(
    stranded_in_milan, italy_consulate, assistance_officer
):
    services.take(case=stranded_in_milan, officer=assistance_officer)
    action = services.log_action(
        case=stranded_in_milan, text="Booked a hotel.", by=assistance_officer
    )
    # 20:00 UTC is already the next day in Chongqing (UTC+8).
    action.at = datetime(2020, 3, 1, 20, 0, tzinfo=UTC)
    action.save()
    draft = consular.draft_notification(
        case=stranded_in_milan, mission=italy_consulate, by=assistance_officer
    )
    assert (draft.status, draft.language, draft.reason) == ("draft", "it", "assistance_case")
    assert draft.subject == "Notifica consolare: WANG Xiaoming, cittadinanza Cina"
    assert "Consulate General of Italy in Chongqing" in draft.body
    assert "王小明 (WANG Xiaoming)" in draft.body and "E12345678" in draft.body
    # Dated in the office's time zone.
    assert "- 2020-03-02 Booked a hotel." in draft.body
    assert italy_consulate in stranded_in_milan.missions.all()
    assert stranded_in_milan.events.last().type == "notification"


@pytest.mark.parametrize(
    ("code", "language", "phrase"),
    [
        ("KR-CG-CKG", "ko", "영사 통보"),
        ("JP-CG-CKG", "ja", "領事通報"),
        ("DE-CG-CTU", "de", "Konsularische Benachrichtigung"),
        ("FR-CG-CTU", "fr", "Notification consulaire"),
        ("HK-ETO-CTU", "zh-hans", "领事通报"),
        ("DK-CG-CKG", "en", "Consular notification"),  # no Danish text: English
        ("TH-CG-CKG", "en", "Consular notification"),
    ],
)
def test_a_mission_without_a_text_in_its_language_gets_english(
    korean_in_yubei, assistance_officer, code, language, phrase
):
    mission = Mission.objects.get(code=code)
    draft = consular.draft_notification(
        case=korean_in_yubei, mission=mission, by=assistance_officer
    )
    assert draft.language == language
    assert phrase in draft.subject


def sent(notification, officer):
    notification = consular.review_notification(
        notification=notification, subject=notification.subject, body=notification.body, by=officer
    )
    return consular.mark_sent(notification=notification, via="email", by=officer)


def test_review_send_acknowledge(
    korean_in_yubei, korea_consulate, assistance_officer, second_assistance_officer
):
    draft = consular.draft_notification(
        case=korean_in_yubei, mission=korea_consulate, by=assistance_officer
    )
    # Four eyes: a colleague reviews what the officer drafted.
    reviewed = consular.review_notification(
        notification=draft, subject="영사 통보", body="수정된 본문", by=second_assistance_officer
    )
    assert (reviewed.status, reviewed.body, reviewed.reviewed_by) == (
        "reviewed",
        "수정된 본문\n",
        second_assistance_officer,
    )
    when = timezone.now() - timedelta(minutes=30)
    done = consular.mark_sent(notification=reviewed, via="fax", sent_at=when, by=assistance_officer)
    assert (done.status, done.sent_via, done.sent_at, done.sent_by) == (
        "sent",
        "fax",
        when,
        assistance_officer,
    )
    acked = consular.record_acknowledgement(
        notification=done, text="Consul will call him.", by=assistance_officer
    )
    assert acked.status == "acknowledged" and acked.acknowledgement == "Consul will call him."
    assert (
        AuditEntry.objects.filter(
            object_type="assistance.consularnotification", object_id=str(draft.pk), action="update"
        ).count()
        == 3
    )


def test_nothing_is_sent_unreviewed(korean_in_yubei, korea_consulate, assistance_officer):
    draft = consular.draft_notification(
        case=korean_in_yubei, mission=korea_consulate, by=assistance_officer
    )
    with pytest.raises(Conflict) as error:
        consular.mark_sent(notification=draft, via="email", by=assistance_officer)
    assert "Review" in dict(error.value.problems)["status"]
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.sent_at is None


def test_a_notification_marked_sent_twice_is_refused_and_unchanged(
    korean_in_yubei, korea_consulate, assistance_officer, second_assistance_officer
):
    draft = consular.draft_notification(
        case=korean_in_yubei, mission=korea_consulate, by=assistance_officer
    )
    first = sent(draft, second_assistance_officer)
    entries = AuditEntry.objects.count()
    events = korean_in_yubei.events.count()
    with pytest.raises(Conflict) as error:
        # The drafter tries again: were the refusal to write, the sender would change.
        consular.mark_sent(notification=first, via="phone", by=assistance_officer)
    assert "already marked sent" in dict(error.value.problems)["status"]
    again = ConsularNotification.objects.get(pk=draft.pk)
    assert (again.sent_via, again.sent_at, again.sent_by) == (
        "email",
        first.sent_at,
        second_assistance_officer,
    )
    assert AuditEntry.objects.count() == entries
    assert korean_in_yubei.events.count() == events


def test_bad_send_and_acknowledgement_details_are_refused(
    korean_in_yubei, korea_consulate, assistance_officer, second_assistance_officer
):
    draft = consular.draft_notification(
        case=korean_in_yubei, mission=korea_consulate, by=assistance_officer
    )
    reviewed = consular.review_notification(
        notification=draft, subject="s", body="b", by=second_assistance_officer
    )
    with pytest.raises(Refused) as error:
        consular.mark_sent(notification=reviewed, via="pigeon", by=assistance_officer)
    assert "sent_via" in dict(error.value.problems)
    with pytest.raises(Refused) as error:
        consular.mark_sent(
            notification=reviewed,
            via="email",
            sent_at=timezone.now() + timedelta(days=1),
            by=assistance_officer,
        )
    assert "sent_at" in dict(error.value.problems)
    with pytest.raises(Refused):
        consular.record_acknowledgement(notification=reviewed, by=assistance_officer)
    with pytest.raises(Refused) as error:
        consular.review_notification(
            notification=reviewed, subject="", body="", by=second_assistance_officer
        )
    assert {"subject", "body"} <= set(dict(error.value.problems))
    reviewed.refresh_from_db()
    assert (reviewed.status, reviewed.subject) == ("reviewed", "s")


# --- Automatic drafts from the arrival pipeline ---------------------------------------------------


_documents = count(1)


def arrival(**changes):
    """A declared arrival (liaison.arrivals): by default an American traveler bound for Yubei."""
    values = {
        "surname_native": "",
        "given_names_native": "",
        "surname_latin": "SMITH",
        "given_names_latin": "JOHN",
        "nationality": "US",
        "language": "en",
        "document_number": f"P{next(_documents):07d}",
        **changes,
    }
    return declare(data=valid_payload(**values), source=Source.API).arrival


def test_a_foreign_national_sent_to_hospital_gets_a_draft_to_the_serving_mission(
    city, assistance_officer
):
    with audit.acting_as(username="pipeline"):
        draft = consular.draft_for_disposition(
            arrival=arrival(
                surname_native="김",
                given_names_native="민준",
                nationality="KR",
                surname_latin="KIM",
                given_names_latin="MINJUN",
            ),
            disposition="hospital",
            decided_by=assistance_officer,
        )
    assert draft.mission.code == "KR-CG-CKG"
    assert (draft.status, draft.reason, draft.language) == ("draft", "hospital", "ko")
    # Drafted by whoever decided (four eyes: someone else reviews it).
    assert draft.drafted_by == assistance_officer and draft.sent_at is None
    assert draft.arrival.nationality == "KR"
    assert draft.person_name == "김민준" and draft.person_name_latin == "KIM MINJUN"
    assert "지정 병원에 입원" in draft.body and "Yubei District" in draft.body


def test_the_draft_is_made_once_per_arrival_and_disposition(city):
    smith = arrival()
    first = consular.draft_for_disposition(arrival=smith, disposition="centralized_quarantine")
    again = consular.draft_for_disposition(arrival=smith, disposition="centralized_quarantine")
    assert first == again and first.mission.code == "US-CG-CTU" and first.arrival == smith
    assert first.body.startswith("To: Consulate General of the United States in Chengdu")
    other = consular.draft_for_disposition(arrival=smith, disposition="hospital")
    assert other != first
    assert ConsularNotification.objects.count() == 2


def test_drafts_for_many_match_one_at_a_time_even_when_one_was_drafted_meanwhile(city, monkeypatch):
    """The set-based drafts (a results file) are the single path's, and a draft made by a
    concurrent call between the check and the bulk insert stands: the rest are drafted one by
    one, nothing twice."""
    travelers = [arrival(), arrival(), arrival()]
    ids = consular.draft_for_dispositions(decided=[(travelers[0], "hospital")])
    (first,) = ConsularNotification.objects.filter(pk__in=ids)
    single = consular.draft_for_disposition(arrival=travelers[0], disposition="hospital")
    assert single == first  # the bulk one is the one the single path finds

    real = consular.bulk_rows.insert_values

    def racing(model, rows):
        # Someone else drafts the second traveler's notice just before the bulk insert.
        consular.draft_for_disposition(arrival=travelers[1], disposition="hospital")
        return real(model, rows)

    monkeypatch.setattr(consular.bulk_rows, "insert_values", racing)
    ids = consular.draft_for_dispositions(
        decided=[(travelers[1], "hospital"), (travelers[2], "hospital")]
    )
    keys = sorted(ConsularNotification.objects.values_list("source_key", flat=True))
    assert keys == sorted(f"arrival:{t.pk}:hospital" for t in travelers)
    assert sorted(
        ConsularNotification.objects.filter(pk__in=ids).values_list("arrival_id", flat=True)
    ) == sorted(t.pk for t in travelers[1:])


@pytest.mark.parametrize(
    ("fields", "disposition"),
    [
        ({"nationality": "CN"}, "hospital"),
        # A Taiwan resident (Chinese, on their permit): no office for them in the directory.
        (
            {
                "nationality": "CN",
                "document_type": "mainland_travel_permit_tw",
                "document_number": "01234567",
            },
            "hospital",
        ),
        ({"nationality": "NZ"}, "home_quarantine"),  # no New Zealand mission in the directory
        ({}, "onward_transfer"),
        ({}, "released"),
    ],
)
def test_no_draft_when_nobody_is_to_be_told(city, fields, disposition):
    assert (
        consular.draft_for_disposition(arrival=arrival(**fields), disposition=disposition) is None
    )
    assert not ConsularNotification.objects.exists()


def test_hong_kong_residents_go_to_their_office_in_chinese(city):
    draft = consular.draft_for_disposition(
        arrival=arrival(
            nationality="CN",
            document_type="mainland_travel_permit_hk_mo",
            document_number="H12345678",
            surname_native="陳",
            given_names_native="大文",
        ),
        disposition="home_quarantine",
    )
    assert draft.mission.code == "HK-ETO-CTU" and draft.language == "zh-hans"
    assert "居家隔离" in draft.body


def test_an_automatic_draft_can_be_cancelled_with_a_reason(city, assistance_officer):
    draft = consular.draft_for_disposition(arrival=arrival(), disposition="hospital")
    with pytest.raises(Refused):
        consular.cancel_notification(notification=draft, reason=" ", by=assistance_officer)
    done = consular.cancel_notification(
        notification=draft, reason="Dual national, entered as Chinese.", by=assistance_officer
    )
    assert done.status == "cancelled"
    with pytest.raises(Refused):
        consular.review_notification(
            notification=done, subject="x", body="y", by=assistance_officer
        )
