"""A case's timeline speaks the reader's language (issue 13, point 2): an event keeps a code and
its parameters (a mission's id, priority codes, a notification's reference), and the page renders
it in the language of whoever reads it, whatever language the officer who acted was using. Only a
person's own words (a note, an action, a reason) are stored as text, and shown as typed."""

import importlib
import re
from html import unescape

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from liaison.assistance import consular, events, services
from liaison.assistance.events import describe, timeline
from liaison.assistance.models import CaseEvent

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REVIEWED_BECAUSE = "Names checked against the passport"
CANCELLED_BECAUSE = "Sent by the embassy already"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Codes that must never show as text on a page (attributes and URLs may hold them). On an English
# page only those with an underscore: "high" and "status" are English words too.
RAW = [
    "in_progress",
    "urgent",
    "high",
    "assigned",
    "priority",
    "status",
    "attachment",
    "notification_drafted",
    "notification_sent",
    "notification_cancelled",
]


def worked_on(case, *, officer, colleague, mission, language: str):
    """The case taken through every step by officers whose pages are in ``language``."""
    with translation.override(language):
        services.take(case=case, officer=officer)
        services.change_priority(case=case, priority="urgent", by=officer)
        services.move_case(case=case, to="in_progress", by=officer)
        services.link_mission(case=case, mission=mission, by=officer)
        upload = SimpleUploadedFile("passport.pdf", PDF, content_type="application/pdf")
        services.add_attachment(case=case, upload=upload, by=officer)
        sent = consular.draft_notification(case=case, mission=mission, by=officer)
        consular.review_notification(
            notification=sent,
            subject=sent.subject,
            body=sent.body,
            by=colleague,
            reason=REVIEWED_BECAUSE,
        )
        consular.mark_sent(notification=sent, via="email", by=officer)
        consular.record_acknowledgement(notification=sent, by=officer)
        dropped = consular.draft_notification(case=case, mission=mission, by=officer)
        consular.review_notification(
            notification=dropped, subject=dropped.subject, body=dropped.body, by=colleague
        )
        consular.cancel_notification(notification=dropped, by=colleague, reason=CANCELLED_BECAUSE)
    return sent, dropped


def expected(language: str, *, officer, mission, sent, dropped) -> list[str]:
    """What each event says, in English and in Chinese, from the domain's own words."""
    a, b = sent.reference, dropped.reference
    if language == "en":
        name = mission.name_en
        return [
            "Case opened.",
            f"Assigned to {officer.username}.",
            "Priority changed from High to Urgent.",
            "Status: Assigned → In progress",
            f"Mission linked: {name}",
            "File attached: passport.pdf",
            f"Notification {a} drafted to {name}.",
            f"Notification {a} reviewed: {REVIEWED_BECAUSE}",
            f"Notification {a} marked sent.",
            f"Notification {a} acknowledged by the mission.",
            f"Notification {b} drafted to {name}.",
            f"Notification {b} reviewed.",
            f"Notification {b} cancelled: {CANCELLED_BECAUSE}",
        ]
    name = mission.name_zh
    return [
        "已立案。",
        f"已分派给{officer.username}。",
        "优先级由高改为紧急。",
        "状态：已分派 → 处理中",
        f"已关联机构：{name}",
        "已添加附件：passport.pdf",
        f"已起草致{name}的通报 {a}。",
        f"通报 {a} 已审核：{REVIEWED_BECAUSE}",
        f"通报 {a} 已标记为已发送。",
        f"对方已确认收到通报 {a}。",
        f"已起草致{name}的通报 {b}。",
        f"通报 {b} 已审核。",
        f"通报 {b} 已取消：{CANCELLED_BECAUSE}",
    ]


@pytest.mark.parametrize(("acted_in", "read_in"), [("en", "zh-hans"), ("zh-hans", "en")])
def test_every_event_is_a_code_read_in_the_readers_language(
    stranded_in_milan,
    assistance_officer,
    second_assistance_officer,
    italy_consulate,
    acted_in,
    read_in,
):
    sent, dropped = worked_on(
        stranded_in_milan,
        officer=assistance_officer,
        colleague=second_assistance_officer,
        mission=italy_consulate,
        language=acted_in,
    )
    stored = list(stranded_in_milan.events.all())
    assert [e.data["kind"] for e in stored] == [
        events.OPENED,
        events.ASSIGNED,
        events.PRIORITY,
        events.STATUS,
        events.MISSION,
        events.ATTACHMENT,
        events.DRAFTED,
        events.REVIEWED,
        events.SENT,
        events.ACKNOWLEDGED,
        events.DRAFTED,
        events.REVIEWED,
        events.CANCELLED,
    ]
    # Only the officers' own words are stored as text; the rest are codes and ids.
    assert [e.text for e in stored if e.text] == [REVIEWED_BECAUSE, CANCELLED_BECAUSE]
    assert stored[1].data["officer"] == assistance_officer.pk
    assert (stored[2].type, stored[2].data["old"], stored[2].data["new"]) == (
        "priority",
        "high",
        "urgent",
    )
    assert stored[4].data["mission"] == italy_consulate.pk
    assert stored[8].data == {
        "kind": events.SENT,
        "notification": sent.pk,
        "ref": sent.reference,
        "mission": italy_consulate.pk,
    }
    with translation.override(read_in):
        said = [describe(event) for event in stored]
        # A whole timeline at once says the same, its names looked up once.
        assert [line for _event, line in timeline(stored)] == said
    kwargs = {"officer": assistance_officer, "mission": italy_consulate}
    assert said == expected(read_in, sent=sent, dropped=dropped, **kwargs)
    if read_in == "en":
        assert not any(CHINESE.search(line) for line in said), said


def test_an_officers_own_words_stay_as_typed(stranded_in_milan, assistance_officer):
    services.take(case=stranded_in_milan, officer=assistance_officer)
    with translation.override("zh-hans"):
        note = services.log_action(
            case=stranded_in_milan, text="已联系米兰的酒店。", type="note", by=assistance_officer
        )
        services.move_case(case=stranded_in_milan, to="in_progress", by=assistance_officer)
        for status in ("resolved", "closed"):
            services.move_case(case=stranded_in_milan, to=status, by=assistance_officer)
        services.move_case(
            case=stranded_in_milan, to="reopened", note="航班再次取消。", by=assistance_officer
        )
    reopened = stranded_in_milan.events.last()
    assert (note.text, note.data) == ("已联系米兰的酒店。", {})
    assert (reopened.text, reopened.data) == ("航班再次取消。", {"kind": "status"})
    with translation.override("en"):
        assert describe(note) == "已联系米兰的酒店。"
        assert describe(reopened) == "Status: Closed → Reopened. Note: 航班再次取消。"
    with translation.override("zh-hans"):
        assert describe(reopened) == "状态：已关闭 → 已重新打开。备注：航班再次取消。"


def test_a_mission_is_named_as_the_directory_names_it_when_read(
    stranded_in_milan, assistance_officer, italy_consulate
):
    """The event keeps the mission's id: a renamed mission reads under its new name."""
    services.link_mission(case=stranded_in_milan, mission=italy_consulate, by=assistance_officer)
    linked = stranded_in_milan.events.last()
    type(italy_consulate).objects.filter(pk=italy_consulate.pk).update(
        name_en="Consulate General of Italy (renamed)", name_zh="意大利驻重庆总领事馆（新名）"
    )
    with translation.override("en"):
        assert describe(linked) == "Mission linked: Consulate General of Italy (renamed)"
    with translation.override("zh-hans"):
        assert describe(linked) == "已关联机构：意大利驻重庆总领事馆（新名）"


def test_an_unknown_code_shows_the_words_as_written(stranded_in_milan):
    odd = CaseEvent(case=stranded_in_milan, type="note", data={"kind": "from_the_future"})
    with translation.override("zh-hans"):
        assert describe(odd) == ""
        odd.text = "typed by a person"
        assert describe(odd) == "typed by a person"


# --- The migration --------------------------------------------------------------------------------


def test_the_migration_turns_frozen_sentences_into_codes(
    stranded_in_milan, assistance_officer, second_assistance_officer, italy_consulate
):
    case = stranded_in_milan
    with translation.override("en"):
        draft = consular.draft_notification(
            case=case, mission=italy_consulate, by=assistance_officer
        )
    ref = draft.reference
    CaseEvent.objects.filter(case=case).delete()
    old = [
        ("opened", ""),
        ("assigned", assistance_officer.username),
        ("note", "Priority changed from High to Urgent."),
        ("note", "优先级由紧急改为低。"),
        ("status", "The flight was cancelled again."),
        ("mission", italy_consulate.name_en),
        ("attachment", "passport.pdf"),
        ("notification", f"Notification {ref} drafted to {italy_consulate.name_en}."),
        ("notification", f"已起草致{italy_consulate.name_zh}的通报 {ref}。"),
        ("notification", f"通报 {ref} 已审核：{REVIEWED_BECAUSE}"),
        ("notification", f"Notification {ref} reviewed."),
        ("notification", f"通报 {ref} 已标记为已发送。"),
        ("notification", f"Notification {ref} acknowledged by the mission."),
        ("notification", f"Notification {ref} cancelled: {CANCELLED_BECAUSE}"),
        ("note", "Priority changed from our side."),
        ("action", "Called the hotel."),
    ]
    stored = [
        CaseEvent.objects.create(
            case=case,
            type=type_,
            text=text,
            actor=assistance_officer,
            to_status="reopened" if type_ == "status" else "",
            from_status="closed" if type_ == "status" else "",
        )
        for type_, text in old
    ]
    migration = importlib.import_module("liaison.assistance.migrations.0004_case_event_data")
    migration.forward(apps, None)
    for event in stored:
        event.refresh_from_db()
    assert [(e.type, e.data.get("kind"), e.text) for e in stored] == [
        ("opened", "opened", ""),
        ("assigned", "assigned", ""),
        ("priority", "priority", ""),
        ("priority", "priority", ""),
        ("status", "status", "The flight was cancelled again."),
        ("mission", "mission", ""),
        ("attachment", "attachment", ""),
        ("notification", events.DRAFTED, ""),
        ("notification", events.DRAFTED, ""),
        ("notification", events.REVIEWED, REVIEWED_BECAUSE),
        ("notification", events.REVIEWED, ""),
        ("notification", events.SENT, ""),
        ("notification", events.ACKNOWLEDGED, ""),
        ("notification", events.CANCELLED, CANCELLED_BECAUSE),
        ("note", None, "Priority changed from our side."),  # a person's words, not the sentence
        ("action", None, "Called the hotel."),
    ]
    assert stored[1].data == {
        "kind": "assigned",
        "officer": assistance_officer.pk,
        "username": assistance_officer.username,
    }
    assert stored[3].data == {"kind": "priority", "old": "urgent", "new": "low"}
    assert stored[8].data == {
        "kind": events.DRAFTED,
        "notification": draft.pk,
        "ref": ref,
        "mission": italy_consulate.pk,
    }
    with translation.override("zh-hans"):
        said = [describe(event) for event in stored]
    assert said[2] == "优先级由高改为紧急。"
    assert said[4] == "状态：已关闭 → 已重新打开。备注：The flight was cancelled again."
    assert said[5] == f"已关联机构：{italy_consulate.name_zh}"
    assert said[7] == f"已起草致{italy_consulate.name_zh}的通报 {ref}。"
    assert said[13] == f"通报 {ref} 已取消：{CANCELLED_BECAUSE}"
    with translation.override("en"):
        assert describe(stored[3]) == "Priority changed from Urgent to Low."
        assert describe(stored[9]) == f"Notification {ref} reviewed: {REVIEWED_BECAUSE}"
        assert describe(stored[11]) == f"Notification {ref} marked sent."
    # Run again: nothing left to change.
    before = list(CaseEvent.objects.filter(case=case).values_list("type", "text", "data"))
    migration.forward(apps, None)
    assert list(CaseEvent.objects.filter(case=case).values_list("type", "text", "data")) == before


# --- The case page --------------------------------------------------------------------------------


def text_of(html: str) -> str:
    """What a reader sees: no tags, scripts or styles, no attributes."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def case_page(client, case, language: str) -> tuple[str, str]:
    """(the whole page's text, its timeline's text) as a reader of ``language`` sees them."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(f"/assistance/cases/{case.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    section = re.search(r'<ol class="timeline" data-testid="timeline">(.*?)</ol>', html, re.S)
    return text_of(html), text_of(section.group(1))


def raw_codes_in(text: str) -> list[str]:
    return [code for code in RAW if re.search(rf"(?<![\w/-]){code}(?![\w/-])", text)]


@pytest.mark.parametrize(("acted_in", "read_in"), [("en", "zh-hans"), ("zh-hans", "en")])
def test_the_case_page_timeline_reads_in_the_readers_language(
    stranded_in_milan,
    assistance_officer,
    second_assistance_officer,
    italy_consulate,
    signed_in,
    acted_in,
    read_in,
):
    sent, dropped = worked_on(
        stranded_in_milan,
        officer=assistance_officer,
        colleague=second_assistance_officer,
        mission=italy_consulate,
        language=acted_in,
    )
    page, text = case_page(signed_in(assistance_officer), stranded_in_milan, read_in)
    kwargs = {"officer": assistance_officer, "mission": italy_consulate}
    for sentence in expected(read_in, sent=sent, dropped=dropped, **kwargs):
        assert sentence in text, sentence
    for sentence in expected(acted_in, sent=sent, dropped=dropped, **kwargs):
        assert sentence not in text, sentence
    if read_in == "en":
        assert [code for code in raw_codes_in(page) if "_" in code] == []
        assert not CHINESE.search(text), text
    else:
        assert raw_codes_in(page) == []
        assert "优先级变更" in text  # the priority change's own type, not "Note"
