"""Each role's home page says what waits for it: counts that follow the records, within the
officer's jurisdiction, and plain words for desks not built yet (``liaison.core.waiting``)."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from liaison.arrivals import services as arrivals
from liaison.arrivals.models import Source
from liaison.assistance import services as assistance
from liaison.core import audit
from liaison.core.roles import Role
from liaison.handover import services as handover
from tests.arrivals.conftest import valid_payload
from tests.conftest import make_user
from tests.handover.conftest import declare, ready, sampled, screened

ROW = re.compile(
    r'<tr[^>]*data-testid="waiting-item">\s*<td>(?:<a href="([^"]*)">)?(.*?)(?:</a>)?</td>\s*'
    r'<td class="num" data-count="(\d+)">(.*?)</td>',
    re.S,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def home(client, language="en") -> str:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def waiting(client, language="en") -> dict[str, int]:
    """What the home page lists as waiting: label → count."""
    return {
        html.unescape(label): int(count)
        for _u, label, count, _t in ROW.findall(home(client, language))
    }


def links(client) -> dict[str, str]:
    return {html.unescape(label): url for url, label, _c, _t in ROW.findall(home(client))}


def yubei_batch(dispatcher, yubei, travelers):
    batch = handover.make_batch(
        destination=yubei,
        disposition="centralized_quarantine",
        vehicle="渝A·12345",
        escort="Officer Liu",
        planned_departure=timezone.now(),
        arrivals=travelers,
        dispatcher=dispatcher,
    )
    return handover.mark_departed(batch=batch, dispatcher=dispatcher)


# --- the airport desk -----------------------------------------------------------------------


NOT_SCREENED = "Travelers arriving today, declared and not yet screened"
FEVER = "Travelers of today with a fever, still at the airport"
CONFLICTS = "Conflicting declarations to check"


def test_the_desk_sees_nothing_waiting_on_a_quiet_day(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    counts = waiting(client)
    assert counts[NOT_SCREENED] == 0 and counts[FEVER] == 0 and counts[CONFLICTS] == 0
    assert "nothing waiting" in home(client)
    assert links(client)[NOT_SCREENED] == "/screening/desk/"


def test_the_desks_counts_follow_the_travelers(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    first, second = declare(), declare()
    declare(arrival_date=(timezone.localdate() + timezone.timedelta(days=1)).isoformat())
    assert waiting(client)[NOT_SCREENED] == 2  # tomorrow's traveler does not count today
    screened(first, celsius="38.2")
    counts = waiting(client)
    assert counts[NOT_SCREENED] == 1
    assert counts[FEVER] == 1
    screened(second)
    assert waiting(client)[FEVER] == 1


def test_an_open_conflicting_declaration_waits_at_the_desk(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    declare(document_number="M77777777")
    with audit.acting_as(username="test"):
        answer = arrivals.declare(
            data=valid_payload(document_number="M77777777", phone="+82 10-9999-0000"),
            source=Source.API,
        )
    assert isinstance(answer, arrivals.Received)
    assert waiting(client)[CONFLICTS] == 1
    assert 'class="urgent"' in home(client)


# --- sampling, laboratory, dispatch ---------------------------------------------------------


def test_sampling_and_the_lab_see_their_queues(sampler_at_t3, signed_in, city):
    lab = signed_in(make_user("lab-home", Role.LAB))
    sampling = signed_in(sampler_at_t3)
    traveler = screened(declare())
    assert waiting(sampling)["Screened travelers waiting for sampling"] == 1
    assert waiting(lab)["Samples waiting for a result"] == 0
    sampled(traveler)
    assert waiting(sampling)["Screened travelers waiting for sampling"] == 0
    assert waiting(lab)["Samples waiting for a result"] == 1
    assert FEVER not in waiting(lab)  # only the desk's items for the desk


def test_dispatch_counts_are_one_query_each_however_many_travelers(city, signed_in):
    client = signed_in(make_user("home-dispatch", Role.DISPATCH))
    ready()
    assert waiting(client)["Travelers ready for a batch"] == 1
    with CaptureQueriesContext(connection) as one:
        home(client)
    ready(), ready()
    with CaptureQueriesContext(connection) as three:
        assert waiting(client)["Travelers ready for a batch"] == 3
    assert len(three) == len(one)


# --- district receipt: the officer's own district only ---------------------------------------


def test_a_district_officer_counts_only_batches_to_their_district(
    yubei, yubei_receiving_officer, jiangbei_receiving_officer, signed_in
):
    dispatcher = make_user("home-dispatch", Role.DISPATCH)
    yubei_client = signed_in(yubei_receiving_officer)
    jiangbei_client = signed_in(jiangbei_receiving_officer)
    assert waiting(yubei_client)["Batches on their way to you"] == 0
    yubei_batch(dispatcher, yubei, [ready(), ready()])
    counts = waiting(yubei_client)
    assert counts["Batches on their way to you"] == 1
    assert counts["Travelers in those batches not yet received"] == 2
    other = waiting(jiangbei_client)
    assert other["Batches on their way to you"] == 0
    assert other["Travelers in those batches not yet received"] == 0


# --- assistance, administrator, leadership --------------------------------------------------


def test_assistance_counts_the_officers_own_open_cases(city, signed_in):
    officer = make_user("home-assistance", Role.ASSISTANCE)
    colleague = make_user("home-assistance-2", Role.ASSISTANCE)
    client = signed_in(officer)
    assert waiting(client)["Open cases assigned to you"] == 0
    with audit.acting_as(officer):
        case = assistance.open_case(
            person_name="王小明",
            person_name_latin="WANG Xiaoming",
            nationality="CN",
            document_number="E12345678",
            phone="+39 312 345 6789",
            category="stranded",
            priority="high",
            summary="Flight cancelled.",
            requester="family",
            location_country="IT",
            location_city="Milan",
            opened_by=officer,
        )
        assistance.assign(case=case, officer=colleague, by=officer)
    assert waiting(client)["Open cases assigned to you"] == 0  # a colleague's
    assert waiting(signed_in(colleague))["Open cases assigned to you"] == 1


def test_the_administrator_sees_accounts_without_a_second_factor(administrator, signed_in):
    client = signed_in(administrator)  # signing in set up the administrator's own factor
    label = "Staff accounts without a second factor"
    before = waiting(client)[label]
    make_user("home-new-desk", Role.AIRPORT_DESK)
    assert waiting(client)[label] == before + 1
    assert "API tokens not used for 30 days" in waiting(client)


def test_leadership_sees_the_boards_alert_count(city, signed_in):
    client = signed_in(make_user("home-leader", Role.LEADERSHIP))
    assert waiting(client)["Alerts on the closed-loop board"] == 0


# --- desks not built yet, and the page in Chinese -------------------------------------------


def test_a_desk_not_built_yet_says_so(city, signed_in, monkeypatch):
    from liaison.core import waiting as core_waiting

    # Every desk is built now; the mechanism stays for the next role that has none.
    monkeypatch.setitem(core_waiting.UNBUILT_DESKS, Role.AID, "This desk is not built yet.")
    page = home(signed_in(make_user("home-aid", Role.AID)))
    assert 'data-testid="unbuilt-desk"' in page
    assert "is not built yet" in page


def test_a_built_desk_does_not_say_it_is_unbuilt(airport_desk_officer, signed_in):
    assert "not built yet" not in home(signed_in(airport_desk_officer))
    liaison = signed_in(make_user("home-liaison", Role.LIAISON))
    assert "not built yet" not in home(liaison)
    duty = signed_in(make_user("home-duty", Role.DUTY))
    assert "not built yet" not in home(duty)


def test_the_home_page_speaks_chinese(airport_desk_officer, signed_in):
    page = home(signed_in(airport_desk_officer), "zh-hans")
    assert "等待您处理" in page
    assert "今日抵达、已申报、尚未筛查的入境人员" in page
    assert "暂无待办" in page
