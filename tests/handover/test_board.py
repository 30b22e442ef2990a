"""The closed-loop board: arrived = at the airport + in transit + received + in hospital + left."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison.arrivals.models import Arrival
from liaison.arrivals.states import ArrivalState
from liaison.core.roles import Role
from liaison.handover import selectors, services
from liaison.handover.models import Batch, Incident
from tests.conftest import make_user
from tests.handover.conftest import declare, onward, ready, sampled, screened, to_disposition

pytestmark = pytest.mark.django_db
S = ArrivalState


def assert_board_reconciles(user) -> None:
    """Every flight's and day's numbers add up, and match the arrivals table itself."""
    days = selectors.board(user)
    assert sum(d.tally.arrived for d in days) == Arrival.objects.count()
    for day in days:
        assert day.tally.reconciles
        assert day.tally.arrived == Arrival.objects.filter(arrival_date=day.day).count()
        for row in day.flights:
            assert row.tally.reconciles
            assert (
                row.tally.arrived
                == Arrival.objects.filter(flight=row.flight, arrival_date=day.day).count()
            )
            for group, states in selectors.GROUPS.items():
                assert (
                    row.tally.groups[group]
                    == Arrival.objects.filter(
                        flight=row.flight, arrival_date=day.day, state__in=states
                    ).count()
                )


def test_the_board_counts_every_group_per_flight_and_day(dispatcher, yubei):
    declare()
    declare(flight_number="AZ 790")
    screened(declare())
    ready("hospital")
    in_batch = [ready(), ready()]
    batch = services.make_batch(
        destination=yubei,
        disposition="centralized_quarantine",
        vehicle="v",
        escort="e",
        planned_departure=timezone.now(),
        arrivals=in_batch,
        dispatcher=dispatcher,
    )
    services.mark_departed(batch=batch, dispatcher=dispatcher)
    services.see_off(arrival=ready("onward_transfer", **onward()), dispatcher=dispatcher)
    services.transfer_to_hospital(arrival=ready("hospital"), officer=dispatcher, reason="fever")
    (today,) = selectors.board(dispatcher)
    groups = today.tally.groups
    assert today.tally.arrived == 8
    assert groups == {
        "at_airport": 4,
        "in_transit": 2,
        "received": 0,
        "in_hospital": 1,
        "left_city": 1,
    }
    assert len(today.flights) == 2
    assert today.tally.by_state[S.DECLARED] == 2
    assert_board_reconciles(dispatcher)


def test_the_board_is_one_grouped_query_whatever_the_number_of_flights(dispatcher):
    for n in range(6):
        declare(flight_number=f"CA {400 + n}")
    with CaptureQueriesContext(connection) as queries:
        days = selectors.board(dispatcher)
    assert len(days[0].flights) == 6
    assert len(queries) == 2  # the GROUP BY, and the flights it names


def test_only_board_roles_see_the_board(yubei_receiving_officer, airport_desk_officer, leader):
    declare()
    assert selectors.board(yubei_receiving_officer) == []
    assert selectors.board(leader)[0].tally.arrived == 1
    assert selectors.board(airport_desk_officer)[0].tally.arrived == 1


def test_alerts_follow_their_thresholds(settings, departed_batch, dispatcher):
    settings.LIAISON_BATCH_CONFIRM_HOURS = 2
    settings.LIAISON_RESULT_WAIT_HOURS = 6
    settings.LIAISON_UNSCREENED_HOURS = 1
    waiting = sampled(screened(declare()))
    unscreened = declare()
    now = timezone.now()
    quiet = selectors.alerts(dispatcher, now=now)
    assert quiet.batches_unconfirmed == [] and quiet.count == 0
    later = selectors.alerts(dispatcher, now=now + timedelta(hours=2, minutes=1))
    assert [b.pk for b in later.batches_unconfirmed] == [departed_batch.pk]
    assert list(later.never_screened) == [unscreened]
    assert list(later.waiting_for_result) == []
    much_later = selectors.alerts(dispatcher, now=now + timedelta(hours=6, minutes=1))
    assert list(much_later.waiting_for_result) == [waiting]
    # A closed batch is no longer an alert.
    Batch.objects.filter(pk=departed_batch.pk).update(status=Batch.Status.CLOSED)
    assert selectors.alerts(dispatcher, now=now + timedelta(hours=3)).batches_unconfirmed == []


# --- the board leads somewhere (issue 13, point 9), over HTTP -----------------------------------


class Tables(HTMLParser):
    """Each table of a page: its header cells (with their scope) and its body rows' widths."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self._in = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"headers": [], "rows": []})
        elif tag in ("thead", "tbody"):
            self._in = tag
        elif tag == "tr" and self._in == "tbody":
            self.tables[-1]["rows"].append(0)
        elif tag == "th" and self._in == "thead":
            self.tables[-1]["headers"].append(attrs.get("scope"))
        elif tag in ("td", "th") and self._in == "tbody":
            self.tables[-1]["rows"][-1] += int(attrs.get("colspan", 1))


def assert_every_column_has_a_header(html: str) -> None:
    parser = Tables()
    parser.feed(html)
    assert parser.tables
    for table in parser.tables:
        assert table["headers"] and set(table["headers"]) == {"col"}, table
        assert all(width == len(table["headers"]) for width in table["rows"]), table


def get(client, url: str, language: str = "en") -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return response.content.decode()


def test_group_pages_link_each_name_to_the_traveler_and_their_batch(
    departed_batch, dispatcher, leader, airport_desk_officer, signed_in
):
    members = [m.arrival for m in departed_batch.members.select_related("arrival")]
    batch_link = f'href="/handover/dispatch/batches/{departed_batch.pk}/"'
    html = get(signed_in(dispatcher), "/handover/board/in_transit/")
    for traveler in members:
        assert f'href="/handover/board/arrivals/{traveler.pk}/">{traveler.name_latin}' in html
    assert html.count(batch_link) == 3
    # Leadership may not open a dispatch batch: its number, not a link.
    html = get(signed_in(leader), "/handover/board/in_transit/")
    assert departed_batch.number in html and batch_link not in html
    # The airport desk follows a name to its own traveler page.
    html = get(signed_in(airport_desk_officer), "/handover/board/in_transit/")
    assert f'href="/screening/desk/{members[0].pk}/"' in html


def test_the_boards_traveler_page_says_where_they_are_and_what_comes_next(
    departed_batch, leader, jiangbei, signed_in
):
    traveler = departed_batch.members.select_related("arrival").first().arrival
    client = signed_in(leader)
    html = get(client, f"/handover/board/arrivals/{traveler.pk}/")
    assert traveler.display_code in html and departed_batch.number in html
    assert "On the way: the district confirms receipt" in html
    assert "转运途中：待区县确认接收" in get(
        client, f"/handover/board/arrivals/{traveler.pk}/", "zh-hans"
    )
    jiangbei_leader = make_user("qian-jiangbei", Role.LEADERSHIP, jurisdiction=jiangbei)
    response = signed_in(jiangbei_leader).get(f"/handover/board/arrivals/{traveler.pk}/")
    assert response.status_code == 404 and traveler.display_code not in response.content.decode()


def test_an_open_incident_is_an_alert_until_resolved(
    departed_batch, dispatcher, yubei_receiving_officer, signed_in
):
    missing = departed_batch.members.select_related("arrival").first().arrival
    incident = services.report_incident(
        batch=departed_batch,
        kind=Incident.Kind.MISSING,
        officer=yubei_receiving_officer,
        note="not on the bus",
        arrival_code=missing.code,
    )
    client = signed_in(dispatcher)
    html = get(client, "/handover/board/")
    alert = html.split('data-testid="incident"')[1].split("</li>")[0]
    assert "Missing traveler" in alert and missing.display_code in alert
    assert f'href="/handover/board/arrivals/{missing.pk}/"' in alert
    assert f'href="/handover/dispatch/batches/{departed_batch.pk}/"' in alert
    assert "Alerts (1)" in html
    assert "人员缺失" in get(client, "/handover/board/", "zh-hans")
    services.resolve_incident(incident=incident, dispatcher=dispatcher, resolution="found")
    html = get(client, "/handover/board/")
    assert 'data-testid="incident"' not in html and "Alerts (0)" in html


def test_a_positive_result_is_among_the_boards_alerts(city, leader, signed_in):
    positive = to_disposition(declare(), None, result="positive")
    assert positive.state == S.DISPOSED
    html = get(signed_in(leader), "/handover/board/")
    alerts = html.split('data-testid="alerts"')[1].split("</section>\n<p")[0]
    assert "1 traveler with a positive result, not yet in hospital" in alerts
    assert f'href="/handover/board/arrivals/{positive.pk}/"' in alerts
    assert "Alerts (1)" in html
    assert "1 名检测阳性入境人员，尚未送医" in get(signed_in(leader), "/handover/board/", "zh-hans")


def test_the_board_refreshes_itself_every_minute_without_a_script(
    departed_batch, leader, signed_in
):
    client = signed_in(leader)
    for url in ["/handover/board/", "/handover/board/in_transit/", "/handover/board/declared/"]:
        response = client.get(url)
        html = response.content.decode()
        assert '<meta http-equiv="refresh" content="60">' in html, url
        # Allowed by the Content-Security-Policy: a meta refresh is no script, and the page
        # keeps a policy that allows no inline script.
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]


def test_every_column_of_the_board_has_a_header(departed_batch, dispatcher, signed_in):
    declare()
    traveler = departed_batch.members.select_related("arrival").first().arrival
    client = signed_in(dispatcher)
    for url in [
        "/handover/board/",
        "/handover/board/in_transit/",
        "/handover/board/at_airport/",
        f"/handover/board/arrivals/{traveler.pk}/",
    ]:
        assert_every_column_has_a_header(get(client, url))
