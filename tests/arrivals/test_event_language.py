"""Events speak the reader's language (issue 13, point 2): an event keeps a code and its
parameters, and each page renders it in the language of whoever reads it, whatever language the
officer who acted was using. Raw codes never reach a page."""

import importlib
import re
from datetime import timedelta
from html import unescape

import pytest
from django.apps import apps
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils import timezone, translation

from liaison.arrivals.events import describe
from liaison.arrivals.models import Arrival, ArrivalEvent
from liaison.arrivals.states import ArrivalState
from liaison.core import audit
from liaison.core.roles import Role
from liaison.handover import services as handover
from tests.conftest import make_user
from tests.handover.conftest import declare, staff, to_disposition

pytestmark = pytest.mark.django_db
S = ArrivalState

# What each step's event says, in English and in Chinese (the batch number is filled in).
SENTENCES = {
    S.DECLARED: ("Health declaration (API)", "健康申报（接口）"),
    S.SCREENED: ("Screened at the desk", "已在筛查台完成筛查"),
    S.SAMPLED: ("Sampled, tube T", "已采样，采样管 T"),
    S.RESULT: ("Laboratory result: Negative", "检测结果：阴性"),
    S.DISPOSED: ("Policy decided: Centralized quarantine (rule", "政策决定：集中隔离（规则"),
    S.IN_HANDOVER: ("Departed in batch {batch}", "随批次 {batch} 出发"),
    S.RECEIVED: ("Received from batch {batch}", "从批次 {batch} 接收"),
    S.RELEASED: ("Released: quarantine period complete", "解除隔离：隔离期满"),
}
# Codes that must never show as text (CSS classes, data attributes and URLs may hold them). On
# an English page only those with an underscore: "negative" and "disposition" are English too.
RAW = [
    "in_transit",
    "in_handover",
    "disposition",
    "centralized_quarantine",
    "home_quarantine",
    "quarantine_complete",
    "left_city",
    "in_hospital",
    "negative",
    "at_airport",
]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def text_of(html: str) -> str:
    """What a reader sees: no tags, scripts or styles, no attributes."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def chinese_runs(text: str) -> set[str]:
    return set(re.findall(r"[\u4e00-\u9fff]+", text))


def data_names(arrival) -> set[str]:
    """Chinese that is data, not a sentence: names of places and plates, the language menu."""
    names = {str(name) for name in dict(settings.LANGUAGES).values()}
    names |= {info["name_local"] for info in LANG_INFO.values() if "name_local" in info}
    for model in ("core.PortOfEntry", "core.Jurisdiction", "core.Site"):
        names |= set(apps.get_model(model).objects.values_list("name_zh", flat=True))
    names |= {"渝A·12345", arrival.name_native, arrival.address}
    return {run for name in names for run in chinese_runs(name)}


def raw_codes_in(text: str) -> list[str]:
    return [code for code in RAW if re.search(rf"(?<![\w/-]){code}(?![\w/-])", text)]


def through_the_pipeline(language: str):
    """A traveler taken from declaration to release by officers using ``language``."""
    yubei = apps.get_model("core", "Jurisdiction").objects.get(code="500112")
    dispatcher = staff("ev-dispatch", Role.DISPATCH)
    receiver = staff("ev-yubei", Role.DISTRICT_RECEIVING, jurisdiction=yubei)
    with translation.override(language):
        arrival = to_disposition(declare(), "centralized_quarantine")
        batch = handover.make_batch(
            destination=yubei,
            disposition="centralized_quarantine",
            vehicle="渝A·12345",
            escort="Officer Liu",
            planned_departure=timezone.now(),
            arrivals=[arrival],
            dispatcher=dispatcher,
        )
        with audit.acting_as(dispatcher):
            handover.mark_departed(batch=batch, dispatcher=dispatcher)
        handover.receive(batch=batch, arrival_code=arrival.code, officer=receiver)
        quarantine = handover.start_quarantine(
            arrival=Arrival.objects.get(pk=arrival.pk),
            officer=receiver,
            planned_end=timezone.localdate() - timedelta(days=1),
            started_at=timezone.now() - timedelta(days=14),
        )
        handover.release(quarantine=quarantine, officer=receiver, confirmed=True)
    arrival.refresh_from_db()
    return arrival, batch


def expected(state, language: str, batch) -> str:
    english, chinese = SENTENCES[state]
    return (english if language == "en" else chinese).format(batch=batch.number)


@pytest.mark.parametrize(("acted_in", "read_in"), [("en", "zh-hans"), ("zh-hans", "en")])
def test_every_step_is_stored_as_a_code_and_read_in_the_readers_language(city, acted_in, read_in):
    arrival, batch = through_the_pipeline(acted_in)
    events = list(arrival.events.all())
    assert [e.to_state for e in events] == list(SENTENCES)
    for event in events:
        assert event.data["kind"], event.to_state
        assert event.why == ""  # nobody typed anything: no words stored
    with translation.override(read_in):
        shown = {event.to_state: describe(event) for event in events}
    for state, sentence in shown.items():
        assert expected(state, read_in, batch) in sentence, (state, sentence)
        if read_in == "en":
            assert not CHINESE.search(sentence), sentence
        else:
            assert expected(state, "en", batch) not in sentence
    assert shown[S.RESULT] == expected(S.RESULT, read_in, batch)


def test_an_officers_own_words_stay_as_typed_inside_the_readers_sentence(city):
    dispatcher = make_user("ev-dispatch-2", Role.DISPATCH)
    with translation.override("en"):
        arrival = to_disposition(declare(), "centralized_quarantine")
        event = handover.transfer_to_hospital(
            arrival=arrival, officer=dispatcher, reason="Short of breath in the waiting area"
        )
    assert event.why == "Short of breath in the waiting area"
    with translation.override("zh-hans"):
        assert describe(event) == "送往定点医院：Short of breath in the waiting area"
    with translation.override("en"):
        feverish = to_disposition(declare(), None, celsius="38.6")
        by_disposition = handover.transfer_to_hospital(arrival=feverish, officer=dispatcher)
    assert (by_disposition.why, by_disposition.data) == ("", {"kind": "to_hospital"})
    with translation.override("zh-hans"):
        assert describe(by_disposition) == "按处置决定送往定点医院"


def test_an_unknown_code_shows_the_words_or_the_state(city):
    arrival = declare()
    odd = ArrivalEvent(arrival=arrival, to_state=S.SCREENED, data={"kind": "from_the_future"})
    with translation.override("zh-hans"):
        assert describe(odd) == "已筛查"
        odd.why = "typed by a person"
        assert describe(odd) == "typed by a person"


def test_the_migration_turns_frozen_sentences_into_codes(city):
    arrival = declare()
    old = [
        ("screened at the desk", S.SCREENED, {"readings": 1}),
        ("laboratory result: negative", S.RESULT, {"result": "negative", "barcode": "T1"}),
        ("随批次 B00007 出发", S.IN_HANDOVER, {"batch": 7}),
        ("Received from batch B00007", S.RECEIVED, {"batch": 7}),
        ("policy 3 / 2, rule default_centralized", S.DISPOSED, {"disposition": "hospital"}),
        ("Fainted at the desk", S.IN_HOSPITAL, {}),
        ("a note no service ever wrote", S.LEFT_CITY, {}),
    ]
    stored = [
        ArrivalEvent.objects.create(arrival=arrival, to_state=state, why=why, data=data)
        for why, state, data in old
    ]
    migration = importlib.import_module("liaison.arrivals.migrations.0004_event_codes")
    migration.forward(apps, None)
    for event in stored:
        event.refresh_from_db()
    kinds = [(e.data.get("kind"), e.why) for e in stored]
    assert kinds == [
        ("screened", ""),
        ("result", ""),
        ("departed", ""),
        ("received", ""),
        ("decided", ""),
        ("to_hospital_because", "Fainted at the desk"),
        ("left_city_note", "a note no service ever wrote"),
    ]
    assert stored[2].data == {"kind": "departed", "batch": 7, "number": "B00007"}
    with translation.override("en"):
        assert describe(stored[2]) == "Departed in batch B00007"
        assert describe(stored[4]) == (
            "Policy decided: Designated hospital (rule default_centralized, 3 / 2)"
        )
    with translation.override("zh-hans"):
        assert describe(stored[1]) == "检测结果：阴性"


# --- Pages ---------------------------------------------------------------------------------


def read_as(client, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def page_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return text_of(response.content.decode())


def test_the_staff_timeline_reads_in_the_readers_language(city, signed_in, airport_desk_officer):
    arrival, batch = through_the_pipeline("en")
    url = f"/screening/arrivals/{arrival.pk}/timeline/"
    chinese = page_text(read_as(signed_in(airport_desk_officer), "zh-hans"), url)
    for state in SENTENCES:
        assert expected(state, "zh-hans", batch) in chinese, state
        assert expected(state, "en", batch) not in chinese, state
    assert raw_codes_in(chinese) == []

    arrival, batch = through_the_pipeline("zh-hans")
    url = f"/screening/arrivals/{arrival.pk}/timeline/"
    english = page_text(read_as(signed_in(airport_desk_officer), "en"), url)
    for state in SENTENCES:
        assert expected(state, "en", batch) in english, state
    # Chinese only in names the records hold (the port, the district, the vehicle's plate).
    assert chinese_runs(english) <= data_names(arrival), chinese_runs(english)
    assert [code for code in raw_codes_in(english) if "_" in code] == []


@pytest.mark.parametrize(
    ("language", "released", "in_handover"),
    [("ko", "격리 해제", "인계 중"), ("ar", "أُطلق سراحه", "قيد التسليم")],
)
def test_the_travelers_status_page_speaks_their_language(
    city, client, language, released, in_handover
):
    arrival, _batch = through_the_pipeline("zh-hans")
    with translation.override(language):
        assert str(S.RELEASED.label) == released and str(S.IN_HANDOVER.label) == in_handover
    text = page_text(read_as(client, language), f"/declare/status/{arrival.status_token}/")
    assert released in text and in_handover in text
    assert chinese_runs(text) <= data_names(arrival), chinese_runs(text)
    assert "Released" not in text and raw_codes_in(text) == []


def test_main_pages_in_chinese_show_no_raw_codes(city, signed_in, administrator):
    arrival, batch = through_the_pipeline("en")
    dispatcher = staff("ev-dispatch", Role.DISPATCH)
    leader = make_user("ev-leader", Role.LEADERSHIP)
    in_transit = to_disposition(declare(), "centralized_quarantine")
    on_the_road = handover.make_batch(
        destination=batch.destination_jurisdiction,
        disposition="centralized_quarantine",
        vehicle="渝A·54321",
        escort="Officer Wang",
        planned_departure=timezone.now(),
        arrivals=[in_transit],
        dispatcher=dispatcher,
    )
    handover.mark_departed(batch=on_the_road, dispatcher=dispatcher)
    pages = {
        dispatcher: [
            f"/handover/dispatch/batches/{on_the_road.pk}/",
            f"/handover/dispatch/batches/{on_the_road.pk}/manifest/",
            "/handover/dispatch/",
        ],
        leader: ["/handover/board/", "/handover/board/in_transit/", "/handover/board/released/"],
    }
    for user, urls in pages.items():
        client = read_as(signed_in(user), "zh-hans")
        for url in urls:
            assert raw_codes_in(page_text(client, url)) == [], url
    group = page_text(read_as(signed_in(leader), "zh-hans"), "/handover/board/in_transit/")
    assert "闭环看板 · 转运途中" in " ".join(group.split())
    # The audit trail: what the pages above and the pipeline wrote, in the reader's language.
    client = read_as(signed_in(administrator), "zh-hans")
    trail = page_text(client, "/audit/?object_type=arrivals.arrival")
    assert "状态：已申报 → 已筛查" in trail and "declared -> screened" not in trail
    assert raw_codes_in(trail) == []
    board = page_text(client, "/audit/")
    assert "闭环看板：转运途中" in board and "board: in_transit" not in board
    client = read_as(signed_in(administrator), "en")
    english = page_text(client, "/audit/?object_type=arrivals.arrival")
    assert "State: Declared → Screened" in english and "已申报" not in english
