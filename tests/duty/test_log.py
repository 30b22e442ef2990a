"""The duty log: entries with their links, corrections shown with the entry they correct, and
no way to edit or delete an entry (service, model, queryset, API)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.core.refusals import Refused
from liaison.duty import log, selectors
from liaison.duty.log import EntryInput
from liaison.duty.models import LogEntry

pytestmark = pytest.mark.django_db


def test_an_entry_and_its_correction_are_shown_together(duty_officer, duty_chief):
    first = log.log(
        by=duty_officer, data=EntryInput("Called the Italian consulate.", incident_id=7)
    )
    later = log.log(by=duty_officer, data=EntryInput("Flight KE147 landed."))
    fixed = log.correct(
        by=duty_chief, entry=first, data=EntryInput("Called the Japanese consulate.")
    )
    again = log.correct(by=duty_chief, entry=fixed, data=EntryInput("Called the Korean consulate."))

    assert (fixed.corrects, again.corrects) == (first, first)  # both point to the original
    shown = selectors.log_list(duty_officer)
    assert shown == [later, first, fixed, again]
    first.refresh_from_db()
    assert first.text == "Called the Italian consulate."  # the original stays as written


def test_an_entry_cannot_be_edited_or_deleted(duty_officer):
    entry = log.log(by=duty_officer, data=EntryInput("Shift started."))
    entry.text = "Something else"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        LogEntry.objects.filter(pk=entry.pk).update(text="Something else")
    with pytest.raises(TypeError):
        LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.get().text == "Shift started."


def test_bad_entries_are_refused(duty_officer):
    with pytest.raises(Refused):
        log.log(by=duty_officer, data=EntryInput("   "))
    with pytest.raises(Refused):
        log.log(by=duty_officer, data=EntryInput("x", at=timezone.now() + timedelta(hours=2)))
    with pytest.raises(Refused) as refusal:
        log.log(by=duty_officer, data=EntryInput("x", arrival_id=999999))
    assert refusal.value.field == "arrival_id"
    assert not LogEntry.objects.exists()


def test_the_api_has_no_edit_and_no_delete(duty_officer, leader, signed_in):
    client = signed_in(duty_officer)
    made = client.post(
        "/api/v1/duty/log", json.dumps({"text": "Shift started."}), content_type="application/json"
    )
    assert made.status_code == 201, made.content
    url = f"/api/v1/duty/log/{made.json()['id']}"
    assert (
        client.put(url, json.dumps({"text": "x"}), content_type="application/json").status_code
        == 405
    )
    assert client.delete(url).status_code == 405
    fixed = client.post(
        f"{url}/corrections",
        json.dumps({"text": "Shift started at 08:05."}),
        content_type="application/json",
    )
    assert fixed.status_code == 201
    assert fixed.json()["corrects"] == made.json()["id"]
    assert [e.text for e in LogEntry.objects.order_by("pk")] == [
        "Shift started.",
        "Shift started at 08:05.",
    ]
    # Leadership reads, does not write.
    reader = signed_in(leader)
    assert reader.get("/api/v1/duty/log").status_code == 200
    assert (
        reader.post(
            "/api/v1/duty/log", json.dumps({"text": "x"}), content_type="application/json"
        ).status_code
        == 403
    )
    assert LogEntry.objects.count() == 2


def test_a_correction_on_the_page_without_text_is_a_400_on_the_log(duty_officer, signed_in):
    client = signed_in(duty_officer)
    first = log.log(by=duty_officer, data=EntryInput("Called the Korean consulate."))
    refused = client.post(f"/duty/log/{first.pk}/correct/", {"text": ""})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Called the Korean consulate." in text  # the log itself, with why above it
    assert LogEntry.objects.count() == 1
    done = client.post(f"/duty/log/{first.pk}/correct/", {"text": "Called at 09:10."})
    assert done.status_code == 302 and LogEntry.objects.count() == 2
