"""The audit trail: every write and read recorded, no values kept, nothing editable."""

import pytest
from django.db import DatabaseError, connection, transaction

from liaison.core import audit
from liaison.core.models import AuditEntry, Site

pytestmark = pytest.mark.django_db


def test_create_update_delete_are_recorded_with_field_names_only(city, yubei):
    with audit.acting_as(username="tester", ip_address="10.1.2.3"):
        site = Site.objects.create(
            code="QH-TEST",
            kind="quarantine_hotel",
            name_zh="测试",
            name_en="Secret Hotel",
            jurisdiction=yubei,
            capacity=10,
        )
        site.capacity = 12
        site.save()
        site_id = site.pk
        site.delete()
    entries = list(
        AuditEntry.objects.filter(object_type="core.site", object_id=str(site_id)).order_by("id")
    )
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert entries[1].fields == ["capacity"]
    assert {e.actor_username for e in entries} == {"tester"}
    assert {e.ip_address for e in entries} == {"10.1.2.3"}
    for entry in entries:
        assert "Secret Hotel" not in str(entry.__dict__)
        assert "12" not in entry.fields


def test_an_entry_cannot_be_changed_or_deleted_through_the_model(city):
    entry = audit.record("read", object_type="core.site", object_id="1")
    entry.note = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


@pytest.mark.parametrize(
    "sql",
    ["UPDATE core_auditentry SET note = 'changed'", "DELETE FROM core_auditentry"],
)
def test_the_database_refuses_to_change_an_entry(city, sql):
    audit.record("read", object_type="core.site", object_id="1")
    before = list(AuditEntry.objects.values_list("id", "note"))
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert list(AuditEntry.objects.values_list("id", "note")) == before


def test_queryset_update_is_refused_too(city):
    audit.record("read", object_type="core.site", object_id="1")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.update(note="x")


def test_sign_in_and_reads_carry_the_request_address(client, airport_desk_officer):
    client.post(
        "/accounts/login/",
        {"username": airport_desk_officer.username, "password": "wrong"},
        REMOTE_ADDR="192.0.2.7",
    )
    failed = AuditEntry.objects.get(action="login_failed")
    assert failed.actor_username == "li-desk"
    assert failed.ip_address == "192.0.2.7"


def test_administrator_browses_and_filters_the_trail(administrator, signed_in, city):
    client = signed_in(administrator)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    with audit.acting_as(username="someone-else"):
        audit.record("read", object_type="arrivals.arrival", object_id="42")
    shown = ">Arrival</span> 42"  # the record type by its name, not its code
    page = client.get("/audit/", {"actor": "someone-else"}).content.decode()
    assert shown in page
    page = client.get("/audit/", {"actor": "nobody"}).content.decode()
    assert shown not in page
    page = client.get("/audit/", {"action": "read", "object_id": "42"}).content.decode()
    assert shown in page


def test_bad_filter_values_answer_400_with_the_form_not_an_error(administrator, signed_in):
    response = signed_in(administrator).get("/audit/", {"since": "2020-02-31", "action": "x"})
    assert response.status_code == 400
