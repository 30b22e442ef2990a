"""Dispatch opens on who is ready to leave; a district opens on who is on the way to it.

Expected rows come from the story each test tells (who was decided, batched, sent, received),
not from the selectors.
"""

import csv
import io

import pytest

from liaison.core.models import AuditEntry
from liaison.handover import services
from tests.handover.conftest import declare, ready, screened

pytestmark = pytest.mark.django_db


def _codes(response) -> list[str]:
    return [a.code for a in response.context["listing"].shown]


def _last_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _batch(destination, travelers, dispatcher, *, depart=True):
    batch = services.make_batch(
        destination=destination,
        disposition="centralized_quarantine",
        vehicle="渝A·12345",
        escort="Officer Liu",
        planned_departure=travelers[0].created_at,
        arrivals=travelers,
        dispatcher=dispatcher,
    )
    return services.mark_departed(batch=batch, dispatcher=dispatcher) if depart else batch


@pytest.fixture
def airport(yubei, dispatcher):
    """Two ready for quarantine, one for home quarantine, one in a planned batch, one only
    screened."""
    first = ready("centralized_quarantine")
    home = ready("home_quarantine")
    second = ready("centralized_quarantine")
    batched = ready("centralized_quarantine")
    _batch(yubei, [batched], dispatcher, depart=False)
    screened(declare())
    return {"first": first, "home": home, "second": second, "batched": batched}


def test_dispatch_opens_on_everyone_ready_longest_waiting_first(airport, dispatcher, signed_in):
    response = signed_in(dispatcher).get("/handover/dispatch/")
    assert response.status_code == 200
    assert _codes(response) == [airport[n].code for n in ("first", "home", "second")]
    # The groups by destination and disposition are still there.
    groups = {(g.disposition, g.count) for g in response.context["groups"]}
    assert groups == {("centralized_quarantine", 2), ("home_quarantine", 1)}


def test_the_disposition_filter_narrows_dispatch(airport, dispatcher, signed_in):
    client = signed_in(dispatcher)
    response = client.get("/handover/dispatch/", {"disposition": "home_quarantine"})
    assert _codes(response) == [airport["home"].code]
    answer = client.get("/api/v1/handover/queues/dispatch", {"disposition": "home_quarantine"})
    assert [r["code"] for r in answer.json()["results"]] == [airport["home"].code]


def test_a_bad_disposition_is_a_400_on_the_page_and_in_the_api(airport, dispatcher, signed_in):
    client = signed_in(dispatcher)
    before = _last_id()
    assert client.get("/handover/dispatch/", {"disposition": "exile"}).status_code == 400
    answer = client.get("/api/v1/handover/queues/dispatch", {"disposition": "exile"})
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "disposition"
    assert not AuditEntry.objects.filter(id__gt=before, action__in=["read", "export"]).exists()


@pytest.fixture
def on_the_road(departed_batch, jiangbei, dispatcher, yubei_receiving_officer):
    """Yubei's batch of three (one already received), and a Jiangbei batch of two."""
    members = list(departed_batch.members.select_related("arrival").order_by("id"))
    services.receive(
        batch=departed_batch, arrival_code=members[0].arrival.code, officer=yubei_receiving_officer
    )
    to_jiangbei = [ready("centralized_quarantine", jurisdiction="500105") for _ in range(2)]
    jiangbei_batch = _batch(jiangbei, to_jiangbei, dispatcher)
    return {
        "yubei": [m.arrival for m in members[1:]],
        "received": members[0].arrival,
        "jiangbei": to_jiangbei,
        "jiangbei_batch": jiangbei_batch,
        "yubei_batch": departed_batch,
    }


def test_a_district_opens_on_its_batches_and_travelers_on_the_way(
    on_the_road, yubei_receiving_officer, jiangbei_receiving_officer, signed_in
):
    yubei_page = signed_in(yubei_receiving_officer).get("/handover/receiving/")
    assert _codes(yubei_page) == [a.code for a in on_the_road["yubei"]]
    assert [b.pk for b in yubei_page.context["in_transit"]] == [on_the_road["yubei_batch"].pk]
    jiangbei_page = signed_in(jiangbei_receiving_officer).get("/handover/receiving/")
    assert _codes(jiangbei_page) == [a.code for a in on_the_road["jiangbei"]]
    assert [b.pk for b in jiangbei_page.context["in_transit"]] == [on_the_road["jiangbei_batch"].pk]


def test_a_jiangbei_export_has_no_yubei_traveler_and_is_one_audited_export(
    on_the_road, jiangbei_receiving_officer, signed_in
):
    client = signed_in(jiangbei_receiving_officer)
    before = _last_id()
    # Even asking for Yubei's travelers by name of their jurisdiction finds none of them.
    response = client.get("/handover/receiving/", {"format": "csv", "jurisdiction": "500112"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1:] == []
    response = client.get("/handover/receiving/", {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    codes = {r[0].replace("-", "") for r in rows[1:]}
    assert codes == {a.code for a in on_the_road["jiangbei"]}
    assert not codes & {a.code for a in on_the_road["yubei"]}
    # The empty file named nobody; the other is one entry naming every row it holds.
    (entry,) = AuditEntry.objects.filter(id__gt=before, action="export")
    assert sorted(map(int, entry.object_ids)) == sorted(a.pk for a in on_the_road["jiangbei"])
    assert entry.actor_username == "zhao-jiangbei"


def test_the_receiving_api_answers_the_pages_ids(
    on_the_road, yubei_receiving_officer, jiangbei_receiving_officer, signed_in
):
    for officer in (yubei_receiving_officer, jiangbei_receiving_officer):
        client = signed_in(officer)
        shown = [a.pk for a in client.get("/handover/receiving/").context["listing"].shown]
        answer = client.get("/api/v1/handover/queues/receiving")
        assert answer.status_code == 200
        assert [r["id"] for r in answer.json()["results"]] == shown
    assert (
        signed_in(yubei_receiving_officer).get("/api/v1/handover/queues/dispatch").status_code
        == 403
    )
