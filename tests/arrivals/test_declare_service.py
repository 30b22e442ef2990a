"""declare(): one transaction that validates, deduplicates, keeps every version and starts the
arrival's history. Through the service layer, on the real database."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.arrivals import services
from liaison.arrivals.models import (
    Arrival,
    ArrivalEvent,
    DeclarationRevision,
    Flight,
    IdempotencyRecord,
    Source,
)
from liaison.arrivals.states import ArrivalState
from liaison.core.models import AuditEntry
from liaison.policy.engine import facts_from_record
from tests.arrivals.conftest import valid_payload

pytestmark = pytest.mark.django_db


def counts():
    return (
        Arrival.objects.count(),
        DeclarationRevision.objects.count(),
        ArrivalEvent.objects.count(),
        IdempotencyRecord.objects.count(),
        Flight.objects.count(),
    )


def test_a_declaration_makes_a_declared_arrival_with_its_first_event(city):
    result = services.declare(data=valid_payload(), source=Source.API)
    arrival = result.arrival
    assert result.created and not result.replayed
    assert arrival.state == ArrivalState.DECLARED
    assert len(arrival.code) == 8 and set(arrival.code) <= set("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    assert len(arrival.status_token) >= 32
    assert arrival.phone == "+821023456789"
    assert arrival.document_number == "M12345678"
    assert arrival.flight.number == "KE147" and arrival.flight.port.code == "CKG"
    assert arrival.jurisdiction.code == "500112"
    assert arrival.surname_native == "김" and arrival.surname_latin == "KIM"
    event = arrival.events.get()
    assert (event.from_state, event.to_state) == ("", ArrivalState.DECLARED)
    assert arrival.revisions.get().number == 1
    assert AuditEntry.objects.filter(
        action="create", object_type="arrivals.arrival", object_id=str(arrival.pk)
    ).exists()


def test_the_policy_facts_are_built_from_the_declaration(city):
    today = timezone.localdate()
    arrival = services.declare(
        data=valid_payload(
            symptoms=["cough"],
            category="diplomat",
            accreditation_number="DIP-0042",
            transits=[{"country": "JP", "city": "Tokyo", "on": today.isoformat()}],
        ),
        source=Source.API,
    ).arrival
    facts = facts_from_record(arrival.facts)
    assert facts.arrival_date == today
    assert [s.country for s in facts.history] == ["KR"]
    assert [t.country for t in facts.transits] == ["JP"]
    assert facts.symptoms is True and facts.contact_with_cases is False
    assert facts.category == "diplomat" and facts.accreditation_number == "DIP-0042"
    assert facts.destination_kind == "city" and facts.destination_jurisdiction == "500112"
    assert facts.age == today.year - 1990 - ((today.month, today.day) < (1, 31))


def test_onward_travelers_have_no_jurisdiction_and_their_departure_in_hours(city):
    tomorrow = timezone.localdate() + timedelta(days=1)
    arrival = services.declare(
        data=valid_payload(
            destination_kind="onward",
            jurisdiction="",
            address="",
            onward_destination="Chengdu",
            onward_departure=f"{tomorrow.isoformat()}T10:00",
        ),
        source=Source.API,
    ).arrival
    assert arrival.jurisdiction is None
    facts = facts_from_record(arrival.facts)
    assert facts.destination_kind == "onward"
    assert 0 < facts.onward_departure_hours <= 34


def test_the_same_traveler_amending_with_their_token_has_one_arrival_with_both_versions(city):
    first = services.declare(data=valid_payload(), source=Source.SELF)
    second = services.declare(
        data=valid_payload(document_number="m1234-5678", address="Another hotel"),
        source=Source.API,
        status_token=first.arrival.status_token,
    )
    assert second.arrival.pk == first.arrival.pk and not second.created
    assert Arrival.objects.count() == 1
    versions = list(first.arrival.revisions.order_by("number"))
    assert [(v.number, v.source) for v in versions] == [(1, "self"), (2, "api")]
    assert versions[0].data["address"] == "渝北区 1 号"
    assert versions[1].data["address"] == "Another hotel"
    second.arrival.refresh_from_db()
    assert second.arrival.address == "Another hotel"
    assert second.arrival.code == first.arrival.code
    # The first event is written once, not per version.
    assert ArrivalEvent.objects.count() == 1


def test_a_new_version_keeps_what_screening_added_to_the_facts(city):
    arrival = services.declare(data=valid_payload(), source=Source.API).arrival
    Arrival.objects.filter(pk=arrival.pk).update(
        facts={**arrival.facts, "temperatures": [37.8], "test_result": "negative"}
    )
    services.declare(
        data=valid_payload(symptoms=["fever"]), source=Source.API, status_token=arrival.status_token
    )
    arrival.refresh_from_db()
    facts = facts_from_record(arrival.facts)
    assert facts.temperatures == (37.8,) and facts.test_result == "negative"
    assert facts.symptoms is True


def test_another_flight_or_document_is_another_arrival(city):
    services.declare(data=valid_payload(), source=Source.API)
    services.declare(data=valid_payload(flight_number="OZ 321"), source=Source.API)
    services.declare(data=valid_payload(document_number="M87654321"), source=Source.API)
    assert Arrival.objects.count() == 3


def test_a_retry_with_the_same_key_returns_the_first_answer_and_writes_nothing(city):
    first = services.declare(data=valid_payload(), source=Source.API, idempotency_key="key-00001")
    before = counts()
    audit_before = AuditEntry.objects.count()
    again = services.declare(data=valid_payload(), source=Source.API, idempotency_key="key-00001")
    assert again.replayed and not again.created
    assert again.arrival.pk == first.arrival.pk and again.revision.pk == first.revision.pk
    assert counts() == before
    assert AuditEntry.objects.count() == audit_before


def test_the_same_key_with_another_body_is_refused(city):
    services.declare(data=valid_payload(), source=Source.API, idempotency_key="key-00002")
    before = counts()
    with pytest.raises(services.IdempotencyConflict):
        services.declare(
            data=valid_payload(seat="1A"), source=Source.API, idempotency_key="key-00002"
        )
    assert counts() == before


def test_an_invalid_declaration_raises_with_every_field_and_stores_nothing(city):
    before = counts()
    with pytest.raises(services.InvalidDeclaration) as caught:
        services.declare(
            data=valid_payload(date_of_birth="2999-01-01", nationality="XX", phone="abc"),
            source=Source.API,
        )
    fields = {e["field"] for e in caught.value.errors}
    assert fields == {"date_of_birth", "nationality", "phone"}
    assert counts() == before


def test_staff_entry_records_the_officer(city, airport_desk_officer):
    result = services.declare(
        data=valid_payload(), source=Source.STAFF, entered_by=airport_desk_officer
    )
    assert result.arrival.entered_by == airport_desk_officer
    assert result.revision.entered_by == airport_desk_officer
    assert result.arrival.events.get().actor == airport_desk_officer


def test_what_is_stored_is_what_the_answer_says(city):
    """A first declaration is written in one go (core.rows): read every row back."""
    result = services.declare(
        data=valid_payload(), source=Source.API, idempotency_key="stored-key-1"
    )
    stored = Arrival.objects.get(pk=result.arrival.pk)
    for field in Arrival._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(result.arrival, field.attname), field.name
    revision = DeclarationRevision.objects.get(pk=result.revision.pk)
    assert (revision.arrival_id, revision.number) == (stored.pk, 1)
    assert revision.data == result.revision.data
    assert revision.data["document_number"] == "M12345678"
    record = IdempotencyRecord.objects.get(key="stored-key-1")
    assert (record.arrival_id, record.revision_id) == (stored.pk, revision.pk)
    event = ArrivalEvent.objects.get(arrival=stored)
    assert event.at == stored.created_at and event.why == ""
    assert event.data == {"kind": "declared", "source": "api", "port": "CKG"}


_BLANK = {"country": "", "city": "", "date_from": "", "date_to": ""}


@pytest.mark.parametrize(
    "history",
    [
        pytest.param(lambda rows: [_BLANK], id="blank row"),
        pytest.param(lambda rows: [*rows, _BLANK], id="blank second row"),
        pytest.param(lambda rows: [_BLANK, *rows], id="blank first row"),
        pytest.param(lambda rows: [], id="no row"),
        pytest.param(lambda rows: [*rows, rows[0]], id="two rows"),
        pytest.param(lambda rows: [dict(rows[0], date_from="2020-01-01")], id="old row"),
        pytest.param(lambda rows: [{"country": "KR"}], id="partial row"),
    ],
)
@pytest.mark.parametrize("transits", [[], [{"country": "", "on": ""}], [{"country": "JP"}]])
def test_json_rows_validate_exactly_as_the_browser_formsets_do(city, history, transits):
    """An API body's rows are bound to the row forms directly; a browser's post goes through
    the formsets. Both must give the same answer, errors or data."""
    from liaison.arrivals.declaration_input import DeclarationInput, flatten

    payload = valid_payload(history=history(valid_payload()["history"]), transits=transits)
    as_posted = DeclarationInput(flatten(payload))
    as_json = DeclarationInput.from_json(payload)
    assert as_posted.is_valid() == as_json.is_valid()
    if as_json.is_valid():
        assert as_json.cleaned().data == as_posted.cleaned().data
    else:
        assert as_json.errors() == as_posted.errors()


def test_a_retry_that_no_longer_validates_is_still_answered_by_its_key(city, monkeypatch):
    """Days later the same request fails validation (the arrival date left the window); its key
    still replays the first answer, and the key with another body is still refused."""
    from datetime import timedelta

    from liaison.arrivals import forms

    first = services.declare(data=valid_payload(), source=Source.API, idempotency_key="late-key-1")
    later = forms.today() + timedelta(days=30)
    monkeypatch.setattr(forms, "today", lambda: later)
    with pytest.raises(services.InvalidDeclaration):
        services.declare(data=valid_payload(), source=Source.API)
    before = counts()
    again = services.declare(data=valid_payload(), source=Source.API, idempotency_key="late-key-1")
    assert again.replayed and again.arrival.pk == first.arrival.pk
    with pytest.raises(services.IdempotencyConflict):
        services.declare(
            data=valid_payload(seat="1A"), source=Source.API, idempotency_key="late-key-1"
        )
    assert counts() == before
