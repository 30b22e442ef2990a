"""One flight of 200 travelers from declaration to receipt, the board reconciling at every step.

Mixed histories (Korea, Japan, Germany, Italy, Iran, and travelers who stayed home), two with
fever, one positive, one accredited diplomat, five leaving the city within 24 hours, bound for
Yubei and Jiangbei. Everything goes through the real services of each desk.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.arrivals.models import Arrival
from liaison.arrivals.states import ArrivalState
from liaison.core.models import Site
from liaison.core.roles import Role
from liaison.handover import selectors, services
from liaison.handover.models import Batch
from liaison.screening.desk import confirm_history, record_temperature, screen
from liaison.screening.models import Disposition
from liaison.screening.results import record_result
from liaison.screening.sampling import register_sample
from tests.handover.conftest import declare, onward, staff
from tests.handover.test_board import assert_board_reconciles

pytestmark = pytest.mark.django_db
S = ArrivalState
FLIGHT = "OZ 303"
COUNTRIES = [
    ("KR", "Seoul"),
    ("JP", "Tokyo"),
    ("DE", "Frankfurt"),
    ("IT", "Milan"),
    ("IR", "Tehran"),
]


def _history(index: int) -> list[dict]:
    today = timezone.localdate()
    country, city = COUNTRIES[index % len(COUNTRIES)]
    return [
        {
            "country": country,
            "city": city,
            "date_from": (today - timedelta(days=13)).isoformat(),
            "date_to": today.isoformat(),
        }
    ]


def _board_groups(user) -> dict[str, int]:
    (today,) = selectors.board(user)
    (row,) = today.flights
    assert row.flight.number.replace(" ", "") == FLIGHT.replace(" ", "")
    return row.tally.groups


def test_a_flight_of_200_from_declaration_to_receipt(
    dispatcher, leader, yubei, jiangbei, yubei_receiving_officer, jiangbei_receiving_officer
):
    desk = staff("test-desk", Role.AIRPORT_DESK)
    site = Site.objects.get(code="SAMP-CKG-T3")
    sampler = staff("test-sampler", Role.SAMPLING, site=site)
    lab = staff("test-lab", Role.LAB)

    # 1. Declarations: 200 on one flight. Index 0-1 fever, 2 positive, 3 diplomat, 4-8 onward.
    travelers = []
    for i in range(200):
        changes = {
            "flight_number": FLIGHT,
            "history": _history(i),
            "jurisdiction": "500112" if i % 2 else "500105",
            "nationality": COUNTRIES[i % len(COUNTRIES)][0],
        }
        if i == 3:
            changes.update(category="diplomat", accreditation_number="DIP-0042")
        if 4 <= i <= 8:
            changes.update(onward())
        travelers.append(declare(**changes))
    assert _board_groups(leader)["at_airport"] == 200
    assert_board_reconciles(leader)

    # 2. Screening: temperatures, history, screened. Fever decides "hospital" at once, before
    #    any test: those two move on to "disposition decided" and wait for the ambulance.
    for i, arrival in enumerate(travelers):
        celsius = "38.2" if i < 2 else "36.5"
        record_temperature(arrival=arrival, celsius=celsius, device="IR-3", officer=desk)
        confirm_history(arrival=arrival, officer=desk)
        screen(arrival=arrival, officer=desk)
    assert Counter(Arrival.objects.values_list("state", flat=True)) == {
        S.DISPOSED: 2,
        S.SCREENED: 198,
    }
    assert _board_groups(leader)["at_airport"] == 200
    assert_board_reconciles(leader)
    hospital = [
        arrival.pk
        for place in (yubei, jiangbei)
        for arrival in selectors.ready_for(
            dispatcher, jurisdiction_id=place.pk, disposition="hospital"
        )
    ]
    assert sorted(hospital) == sorted([travelers[0].pk, travelers[1].pk])
    for arrival in travelers[:2]:
        services.transfer_to_hospital(arrival=arrival, officer=dispatcher, reason="")
    assert _board_groups(leader)["in_hospital"] == 2
    assert_board_reconciles(leader)

    # 3. Samples and results: one positive, the others negative.
    for i, arrival in enumerate(travelers[2:], start=2):
        register_sample(arrival=arrival, barcode=f"OZ{i:06d}", site=site, collector=sampler)
    assert_board_reconciles(leader)
    for i in range(2, 200):
        record_result(
            barcode=f"OZ{i:06d}",
            result="positive" if i == 2 else "negative",
            lab="Jiangbei CDC",
            tested_at=timezone.now(),
            reported_by=lab,
        )
    assert_board_reconciles(leader)
    current = dict(
        Disposition.objects.filter(is_current=True).values_list("arrival_id", "disposition")
    )
    assert current[travelers[0].pk] == current[travelers[1].pk] == "hospital"
    assert current[travelers[2].pk] == "hospital"
    assert current[travelers[3].pk] == "diplomatic_arrangement"
    assert {current[t.pk] for t in travelers[4:9]} == {"onward_transfer"}
    assert Arrival.objects.filter(state=S.DISPOSED).count() == 198

    # 4. Dispatch: the positive by ambulance, the onward five leave, the rest in batches.
    services.transfer_to_hospital(arrival=travelers[2], officer=dispatcher, reason="")
    for arrival in travelers[4:9]:
        services.see_off(arrival=arrival, dispatcher=dispatcher)
    groups = selectors.ready_groups(dispatcher)
    batched = [g for g in groups if g.disposition not in ("hospital", "onward_transfer")]
    assert sum(g.count for g in batched) == 192
    batches = []
    for group in batched:
        arrivals = list(
            selectors.ready_for(
                dispatcher,
                jurisdiction_id=group.jurisdiction.pk,
                disposition=group.disposition,
            )
        )
        # A bus takes 30; a big group needs several.
        for start in range(0, len(arrivals), 30):
            batches.append(
                services.make_batch(
                    destination=group.jurisdiction,
                    disposition=group.disposition,
                    vehicle=f"渝A·{len(batches):05d}",
                    escort="Officer Liu",
                    planned_departure=timezone.now(),
                    arrivals=arrivals[start : start + 30],
                    dispatcher=dispatcher,
                )
            )
    assert selectors.ready_groups(dispatcher) == []
    assert_board_reconciles(leader)
    for batch in batches:
        services.mark_departed(batch=batch, dispatcher=dispatcher)
    assert _board_groups(leader) == {
        "at_airport": 0,
        "in_transit": 192,
        "received": 0,
        "in_hospital": 3,
        "left_city": 5,
    }
    assert_board_reconciles(leader)

    # 5. Receipt: each district scans its own travelers; the board follows every batch.
    officers = {yubei.pk: yubei_receiving_officer, jiangbei.pk: jiangbei_receiving_officer}
    for batch in batches:
        officer = officers[batch.destination_jurisdiction_id]
        other = next(o for o in officers.values() if o != officer)
        codes = list(batch.members.values_list("arrival__code", flat=True))
        with pytest.raises(services.OtherJurisdiction):
            services.receive(batch=batch, arrival_code=codes[0], officer=other)
        for code in codes:
            services.receive(batch=batch, arrival_code=code, officer=officer)
        batch.refresh_from_db()
        assert batch.status == Batch.Status.CLOSED
        assert_board_reconciles(leader)

    assert _board_groups(leader) == {
        "at_airport": 0,
        "in_transit": 0,
        "received": 192,
        "in_hospital": 3,
        "left_city": 5,
    }
    states = Counter(Arrival.objects.values_list("state", flat=True))
    assert states == {S.RECEIVED: 192, S.IN_HOSPITAL: 3, S.LEFT_CITY: 5}
    diplomat = Arrival.objects.get(pk=travelers[3].pk)
    assert diplomat.state == S.RECEIVED
    assert list(diplomat.events.values_list("to_state", flat=True)) == [
        S.DECLARED,
        S.SCREENED,
        S.SAMPLED,
        S.RESULT,
        S.DISPOSED,
        S.IN_HANDOVER,
        S.RECEIVED,
    ]
