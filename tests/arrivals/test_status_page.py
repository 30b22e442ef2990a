"""The traveler's status page tells what happens next (issue 13, point 6): where they are in the
process, what comes next and roughly when, where to go, whom to call (the reference data's
hotlines), in their language; the code as a PNG; the form's language switch keeps what was typed.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import formats, timezone, translation

from liaison.arrivals.models import Arrival
from liaison.arrivals.states import ArrivalState
from liaison.core.models import Jurisdiction, Site
from liaison.core.roles import Role
from liaison.handover import services as handover
from liaison.screening.models import Disposition
from tests.arrivals.test_pages import form_data
from tests.conftest import make_user
from tests.handover.conftest import declare, sampled, screened, to_disposition

pytestmark = pytest.mark.django_db

S = ArrivalState
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def status_page(client, arrival: Arrival, language: str = "") -> str:
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(f"/declare/status/{arrival.status_token}/")
    assert response.status_code == 200
    return response.content.decode()


def current_step(html: str) -> str:
    return re.search(r'<li class="current" data-state="([a-z_]+)" aria-current="step">', html)[1]


def steps_of(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<li class="(done|current|to_come)" data-state="([a-z_]+)"', html)


def next_text(html: str) -> str:
    return re.search(r'<p data-testid="next">(.*?)</p>', html, re.S)[1]


def hotlines(html: str) -> list[str]:
    block = re.search(r'<ul class="hotlines" data-testid="hotlines">(.*?)</ul>', html, re.S)[1]
    return re.findall(r'<a href="tel:[^"]+" dir="ltr">([^<]+)</a>', block)


def dispatcher():
    return make_user("sun-dispatch", Role.DISPATCH)


def departed(arrival: Arrival, yubei):
    officer = dispatcher()
    batch = handover.make_batch(
        destination=yubei,
        disposition="centralized_quarantine",
        vehicle="渝A·12345",
        escort="Officer Liu",
        planned_departure=timezone.now(),
        arrivals=[arrival],
        dispatcher=officer,
    )
    return handover.mark_departed(batch=batch, dispatcher=officer)


def received(arrival: Arrival, yubei, site_code: str = "QH-YB-01"):
    batch = departed(arrival, yubei)
    district = make_user("zhao-yubei", Role.DISTRICT_RECEIVING, jurisdiction=yubei)
    handover.receive(batch=batch, arrival_code=arrival.code, officer=district)
    arrival.refresh_from_db()
    quarantine = handover.start_quarantine(
        arrival=arrival,
        officer=district,
        planned_end=timezone.localdate() + timedelta(days=14),
        site=Site.objects.get(code=site_code),
    )
    return quarantine, district


# --- where they are, what comes next, whom to call (English) ----------------------------------


def test_declared_go_to_the_health_desk_and_whom_to_call(city, client):
    arrival = declare()
    html = status_page(client, arrival, "en")
    assert current_step(html) == S.DECLARED
    assert [state for _, state in steps_of(html)] == [
        "declared",
        "screened",
        "sampled",
        "result",
        "disposition",
        "in_handover",
        "received",
        "released",
    ]
    assert next_text(html) == (
        "On arrival, go to the health desk at Chongqing Jiangbei International Airport and show "
        "your code."
    )
    # The airport's jurisdiction (Yubei) from the reference data, then the city's hotline.
    assert hotlines(html) == ["+86 23 0000 5112", "12345"]
    assert "Yubei District" in html and "City hotline" in html
    assert 'href="tel:+862300005112"' in html


def test_screened_waits_in_the_waiting_area(city, client):
    arrival = screened(declare())
    html = status_page(client, arrival, "en")
    assert current_step(html) == S.SCREENED
    assert [status for status, _ in steps_of(html)][:3] == ["done", "current", "to_come"]
    assert next_text(html).startswith("Next, a sample is taken for a test.")
    assert "CKG T3 international arrivals waiting area" in html
    waiting = Site.objects.get(code="WAIT-CKG-T3").hotline
    assert hotlines(html) == [waiting, "+86 23 0000 5112", "12345"]


def test_sampled_says_when_the_result_usually_comes(city, client, settings):
    settings.LIAISON_RESULT_WAIT_HOURS = 12
    arrival = sampled(screened(declare()))
    taken = arrival.samples.get().collected_at
    html = status_page(client, arrival, "en")
    assert current_step(html) == S.SAMPLED
    with translation.override("en"):
        expected = formats.date_format(
            timezone.localtime(taken + timedelta(hours=12)), "SHORT_DATETIME_FORMAT"
        )
    assert next_text(html) == (
        f"Your test result usually comes by about {expected}. Wait where you are told."
    )
    # The sampling site's own number first.
    assert hotlines(html)[0] == Site.objects.get(code="SAMP-CKG-T3").hotline
    settings.LIAISON_RESULT_WAIT_HOURS = 0
    html = status_page(client, arrival)
    assert next_text(html).startswith("Your test result is taking longer than usual.")


def test_disposition_says_where_they_go_and_shows_nothing_staff_only(city, client):
    arrival = to_disposition(declare(), "centralized_quarantine")
    other = declare(surname_latin="OTHERPERSON", given_names_native="다른")
    html = status_page(client, arrival, "en")
    assert current_step(html) == S.DISPOSED
    assert next_text(html) == (
        "You will be taken to a quarantine hotel in Yubei District. Stay in the waiting area "
        "until you are called."
    )
    decision = Disposition.objects.get(arrival=arrival, is_current=True)
    assert decision.rule_id and decision.rule_id not in html
    assert "centralized_quarantine" not in html
    assert other.display_code not in html and "OTHERPERSON" not in html


def test_hospital_and_onward_paths_end_where_they_end(city, client):
    hospital = to_disposition(declare(), "hospital")
    html = status_page(client, hospital, "en")
    assert [state for _, state in steps_of(html)][-2:] == ["disposition", "in_hospital"]
    assert next_text(html).startswith("You will be taken to a designated hospital.")
    handover.transfer_to_hospital(arrival=hospital, officer=dispatcher(), reason="")
    html = status_page(client, hospital)
    assert current_step(html) == S.IN_HOSPITAL
    assert [status for status, _ in steps_of(html)][-1] == "current"
    assert next_text(html).startswith("You are in the care of a designated hospital.")


def test_in_handover_received_and_released(city, client, yubei):
    arrival = to_disposition(declare(), "centralized_quarantine")
    batch = departed(arrival, yubei)
    html = status_page(client, arrival, "en")
    assert current_step(html) == S.IN_HANDOVER
    assert next_text(html).startswith("You are on your way to Yubei District.")
    assert "usually by about" in next_text(html)
    assert hotlines(html) == [Jurisdiction.objects.get(code="500112").hotline, "12345"]

    district = make_user("zhao-yubei", Role.DISTRICT_RECEIVING, jurisdiction=yubei)
    handover.receive(batch=batch, arrival_code=arrival.code, officer=district)
    arrival.refresh_from_db()
    html = status_page(client, arrival)
    assert current_step(html) == S.RECEIVED
    assert next_text(html) == "The district&#x27;s staff will tell you about your quarantine."
    end = timezone.localdate() + timedelta(days=14)
    quarantine = handover.start_quarantine(
        arrival=arrival, officer=district, planned_end=end, site=Site.objects.get(code="QH-YB-01")
    )
    html = status_page(client, arrival)
    with translation.override("en"):
        assert next_text(html) == (
            f"Your quarantine is planned to end on {formats.date_format(end, 'DATE_FORMAT')}."
        )
    assert "Yubei quarantine hotel 1 (example)" in html
    assert hotlines(html)[0] == Site.objects.get(code="QH-YB-01").hotline
    handover.release(quarantine=quarantine, officer=district, confirmed=True, reason="test")
    html = status_page(client, arrival)
    assert current_step(html) == S.RELEASED
    assert all(status == "done" for status, _ in steps_of(html)[:-1])
    assert next_text(html).startswith("Your quarantine has ended.")


# --- the traveler's language: Korean and Arabic -------------------------------------------------


def test_korean_status_in_korean(city, client):
    arrival = declare(language="ko")
    html = status_page(client, arrival)  # no cookie: the traveler's own language
    assert '<html lang="ko" dir="ltr">' in html
    assert next_text(html) == (
        "도착하면 Chongqing Jiangbei International Airport의 검역 데스크로 가서 코드를 보여 주세요."
    )
    with translation.override("ko"):
        assert str(S.DECLARED.label) in html and "시 민원 상담전화" in html
    arrival = screened(arrival)
    html = status_page(client, arrival)
    assert next_text(html).startswith("다음으로 검사를 위한 검체를 채취합니다.")


def test_arabic_status_right_to_left(city, client):
    arrival = to_disposition(declare(language="ar"), "centralized_quarantine")
    html = status_page(client, arrival)
    assert '<html lang="ar" dir="rtl">' in html
    assert next_text(html).startswith("ستُنقل إلى فندق للحجر الصحي في Yubei District.")
    assert "الخطوة التالية" in html and "الخط الساخن للمدينة" in html
    # The Korean name inside the right-to-left page is isolated, with its language.
    assert '<bdi dir="auto" lang="ko">김민준</bdi>' in html
    with translation.override("ar"):
        assert str(S.DISPOSED.label) in html


# --- hotlines from the reference data ---------------------------------------------------------


def test_hotlines_come_from_the_reference_files(city, client, settings):
    # Loaded from reference/chongqing/*.csv by the city fixture.
    assert Jurisdiction.objects.get(code="500112").hotline == "+86 23 0000 5112"
    assert Site.objects.get(code="WAIT-CKG-T3").hotline
    assert not Jurisdiction.objects.filter(hotline="").exists()
    arrival = declare()
    Jurisdiction.objects.filter(code="500112").update(hotline="023-6789 0000")
    settings.LIAISON_CITY_HOTLINE = "12345-1"
    html = status_page(client, arrival, "en")
    assert hotlines(html) == ["023-6789 0000", "12345-1"]
    # No number of its own: the city's alone.
    Jurisdiction.objects.filter(code="500112").update(hotline="")
    assert hotlines(status_page(client, arrival)) == ["12345-1"]


# --- the code as a PNG ------------------------------------------------------------------------


def test_the_code_downloads_as_png_behind_the_token(city, client):
    arrival = declare()
    html = client.get(f"/declare/status/{arrival.status_token}/?new=1").content.decode()
    assert f'href="/declare/status/{arrival.status_token}/code.png"' in html
    response = client.get(f"/declare/status/{arrival.status_token}/code.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(PNG_MAGIC)
    assert "no-store" in response["Cache-Control"]
    assert f"declaration-{arrival.code}.png" in response["Content-Disposition"]
    assert client.get("/declare/status/not-the-token/code.png").status_code == 404
    assert client.get(f"/declare/status/{arrival.status_token}x/code.png").status_code == 404


# --- switching language keeps what was typed --------------------------------------------------


def test_switching_language_on_the_form_keeps_what_was_typed(city, client):
    data = form_data(client)
    data.update(surname_latin="PARK", document_number="M99887766", seat="12C")
    data["history-0-city"] = "Busan"
    response = client.post(
        "/declare/",
        {**data, "switch_language": "1", "page_language": "ar"},
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    for typed in ('value="PARK"', 'value="M99887766"', 'value="12C"', 'value="Busan"'):
        assert typed in html, typed
    assert 'value="김"' in html and 'value="민준"' in html
    # Nothing is checked or saved; the choice is kept for the next pages.
    assert 'class="errorlist' not in html and 'role="alert"' not in html
    assert not Arrival.objects.exists()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    # Enter still sends the declaration: the hidden "send" comes before the switch.
    assert html.index('name="submit"') < html.index('name="switch_language"')
    # The declaration then goes through with the switch's fields in it.
    response = client.post("/declare/", {**data, "page_language": "ar", "submit": "1"})
    assert response.status_code == 302
    assert Arrival.objects.get().surname_latin == "PARK"


def test_the_preferred_language_follows_the_page_unless_chosen(city, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = form_data(client)  # the page in English
    response = client.post(
        "/declare/", {**data, "language": "en", "switch_language": "1", "page_language": "fa"}
    )
    html = response.content.decode()
    assert re.search(r'<option value="fa"[^>]*selected>', html.split('name="language"')[1])
    response = client.post(
        "/declare/", {**data, "language": "ko", "switch_language": "1", "page_language": "fa"}
    )
    html = response.content.decode()
    assert re.search(r'<option value="ko"[^>]*selected>', html.split('name="language"')[1])


def test_a_bad_language_keeps_the_page_language(city, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = form_data(client)
    response = client.post("/declare/", {**data, "switch_language": "1", "page_language": "xx"})
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()
    assert not Arrival.objects.exists()


def test_switching_language_while_amending_keeps_the_changes(city, client):
    arrival = declare()
    url = f"/declare/status/{arrival.status_token}/amend/"
    data = form_data(client, url)
    data["seat"] = "44K"
    response = client.post(url, {**data, "switch_language": "1", "page_language": "ja"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ja"' in html and 'value="44K"' in html
    arrival.refresh_from_db()
    assert arrival.seat != "44K"
