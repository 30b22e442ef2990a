"""Honest figures (issue 17, point 4): every figure of a briefing is what the desk's own list
shows for the same cut-off, and the closed loop reconciles in every briefing."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from liaison.arrivals.models import Arrival
from liaison.arrivals.states import ArrivalState
from liaison.leadership import figures, selectors, services
from tests.leadership.helpers import assert_closed_loop, linked, listed

pytestmark = pytest.mark.django_db


def test_every_briefing_figure_is_its_list_at_the_cut_off(
    world, leader, assistance_officer, airport_desk_officer, signed_in
):
    """The briefing of today, drafted at its cut-off (24:00) by the job's clock; then every
    figure's list, opened at that moment with the figure's own link, shows the same count."""
    today = timezone.localdate()
    cutoff = figures.cutoff_of(today)
    with time_machine.travel(cutoff, tick=False):
        briefing = services.draft(day=today)
        people = {
            "leader": leader,
            "assistance": assistance_officer,
            "airport desk": airport_desk_officer,  # the arrivals list of the breakdowns
        }
        readers = {who: signed_in(user) for who, user in people.items()}
        checked = {}
        for who, user in people.items():
            for key, value, url in linked(briefing.snapshot, user):
                assert listed(readers[who], url) == value, (key, url)
                checked[key] = value
    desks = {key.split(".")[0] for key in checked}
    assert desks == {
        "pipeline",
        "assistance",
        "contacts",
        "commitments",
        "aid",
        "incidents",
        "exchanges",
    }
    # Not a comparison of zeros: the demo filled the desks.
    assert checked["pipeline.total.in_transit"] > 0
    # The 14 days' breakdowns and each flight's arrived link to the arrivals list.
    for kind in ("nationality", "jurisdiction", "disposition"):
        assert any(k.startswith(f"pipeline.{kind}.") for k in checked), kind
    assert any(k.startswith("pipeline.flight.") and k.endswith(".arrived") for k in checked)
    assert "pipeline.total.in_quarantine" in checked  # the board's travelers received, not released
    assert checked["assistance.open"] == 4
    assert checked["commitments.overdue"] > 0
    assert sum(v for k, v in checked.items() if k.startswith("incidents.")) > 0
    assert_closed_loop(briefing.snapshot)
    flat = figures.flat(briefing.snapshot)
    assert flat["pipeline.total.arrived"]["value"] == Arrival.objects.count()


def test_the_dashboard_figures_are_their_lists_now(world, leader, signed_in):
    client = signed_in(leader)
    response = client.get("/leadership/")
    assert response.status_code == 200
    shown = {
        cell["key"]: cell
        for section in response.context["sections"]
        for tab in section["tables"]
        for r in tab["rows"]
        for cell in r["cells"]
    }
    urls = [(k, c["value"], c["url"]) for k, c in shown.items() if c["url"]]
    assert len(urls) > 40
    for key, value, url in urls:
        assert listed(client, url) == value, (key, url)
        assert f'href="{url.replace("&", "&amp;")}"' in response.content.decode()
    assert_closed_loop(selectors.live(leader))


def test_a_briefing_drafted_late_counts_the_pipeline_as_it_was_at_the_cut_off(
    city, leader, settings
):
    """Drafted the next morning, after a traveler went to hospital: the briefing still has them
    where they were at 24:00."""
    from liaison.core.roles import Role
    from liaison.handover import services as handover
    from tests.handover.conftest import declare, ready, staff

    day = timezone.localdate()
    waiting = [ready() for _ in range(2)]
    declare()
    dispatcher = staff("test-dispatch", Role.DISPATCH)
    with time_machine.travel(figures.cutoff_of(day) + timedelta(hours=9), tick=False):
        handover.transfer_to_hospital(arrival=waiting[0], officer=dispatcher, reason="fever")
        briefing = services.draft(day=day, by=leader)
        # The same figures taken now, the morning after, see the move.
        now = figures.flat(selectors.live(leader))
    assert now["pipeline.total.in_hospital"]["value"] == 1
    assert now["pipeline.total.at_airport"]["value"] == 2
    flat = figures.flat(briefing.snapshot)
    assert Arrival.objects.filter(state=ArrivalState.IN_HOSPITAL).count() == 1
    assert flat["pipeline.new.in_hospital"]["value"] == 0
    assert flat["pipeline.new.at_airport"]["value"] == 3
    assert flat["pipeline.new.arrived"]["value"] == 3
    assert_closed_loop(briefing.snapshot)


def test_the_breakdowns_and_flights_link_to_the_arrivals_list_of_their_days(
    world, airport_desk_officer, signed_in
):
    """Each of the 14 days' breakdowns links to the arrivals list of those 14 days with its
    filter (``since``/``until``), each flight's arrived to the list of that flight: for the
    airport desk, who may open that list, and the list shows the same count."""
    today = timezone.localdate()
    with time_machine.travel(figures.cutoff_of(today), tick=False):
        snap = services.draft(day=today).snapshot
        client = signed_in(airport_desk_officer)
        checked = 0
        for key, value, url in linked(snap, airport_desk_officer):
            kind = key.removeprefix("pipeline.").partition(".")[0]
            if kind not in ("nationality", "jurisdiction", "disposition", "flight"):
                continue
            if kind == "flight" and not key.endswith(".arrived"):
                continue  # a flight's groups link to the board
            assert url.startswith("/arrivals/?"), (key, url)
            if kind != "flight":
                since = (today - timedelta(days=figures.DAYS - 1)).isoformat()
                assert f"since={since}" in url and f"until={today.isoformat()}" in url
            assert listed(client, url) == value, (key, url)
            checked += 1
    assert checked >= 7
