"""Officers' free text about a traveler or a case ends with their personal data: the duty log's
entries and the incidents linked to them are blanked in the batch that anonymizes them; the
times, authors, types and states stay, others' entries stay as written, the pages still open.
Free text linked to no one (which may still name travelers) ends on a rule of its own: a duty
log entry a year after it was written, an incident a year after it was closed."""

import pytest
from django.utils import timezone

from liaison.assistance.models import AssistanceCase
from liaison.core.roles import Role
from liaison.duty import log
from liaison.duty.log import EntryInput
from liaison.duty.models import LogEntry
from liaison.incidents import services as incidents
from liaison.incidents.models import EscalationStep, Incident, IncidentEvent, Post
from liaison.retention import runs
from liaison.retention import services as retention
from tests.conftest import make_user
from tests.retention.conftest import declare, on_day, open_stranded_case

pytestmark = pytest.mark.django_db

ABOUT_HIM = "Mr KIM Minjun, passport M1234, room 1203 of the Hilton, asked for his consul."
ABOUT_OTHER = "Ms ROSSI asked for an interpreter."


@pytest.fixture
def duty_officer(city):
    """On the escalation chain: may acknowledge an incident."""
    officer = make_user("wang-duty", Role.DUTY)
    EscalationStep.objects.create(position=1, post=Post.DUTY_OFFICER, user=officer)
    return officer


def _words_about(arrival, duty_officer, *, case=None):
    link = {"arrival_id": arrival.pk} if arrival else {"case_id": case.pk}
    entry = log.log(by=duty_officer, data=EntryInput(ABOUT_HIM, **link))
    correction = log.correct(
        by=duty_officer, entry=entry, data=EntryInput(ABOUT_HIM + " (room 1204)")
    )
    incident = _report(duty_officer, arrival=arrival, case=case)
    return entry, correction, Incident.objects.get(pk=incident.pk)


def _others(duty_officer):
    other = declare()
    entry = log.log(by=duty_officer, data=EntryInput(ABOUT_OTHER, arrival_id=other.pk))
    unlinked = log.log(by=duty_officer, data=EntryInput("Shift started."))
    incident = incidents.report(
        kind="other",
        severity=4,
        at=timezone.now(),
        by=duty_officer,
        title="Interpreter",
        description=ABOUT_OTHER,
        arrival=other,
    )
    return other, [entry, unlinked], incident


def test_a_travelers_duty_log_and_incidents_lose_their_words_with_him(
    city, clock, duty_officer, signed_in
):
    traveler = declare()  # lands 20 March, never screened: ends on day 28
    entry, correction, incident = _words_about(traveler, duty_officer)
    on_day(clock, 20)
    other, others_entries, others_incident = _others(duty_officer)  # ends on day 48
    status, severity = incident.status, incident.severity

    on_day(clock, 28)
    receipt = next(r for r in runs.run() if r.rule == "arrival.not_quarantined")
    assert receipt.anonymized == 1

    for written in (entry, correction):
        after = LogEntry.objects.get(pk=written.pk)
        assert after.text == ""
        assert (after.at, after.author_id, after.arrival_id) == (
            written.at,
            written.author_id,
            written.arrival_id,
        )
    incident = Incident.objects.get(pk=incident.pk)
    assert (incident.title, incident.description, incident.place, incident.summary) == (
        "",
        "",
        "",
        "",
    )
    assert (incident.status, incident.severity, incident.arrival_id) == (
        status,
        severity,
        traveler.pk,
    )
    assert incident.display_title() == str(incident.get_kind_display())
    assert not IncidentEvent.objects.filter(incident=incident).exclude(text="").exists()
    assert IncidentEvent.objects.filter(incident=incident).count() == 3  # reported, taken, acted
    # Others' words, and words about no one, stay as written.
    assert [LogEntry.objects.get(pk=e.pk).text for e in others_entries] == [
        ABOUT_OTHER,
        "Shift started.",
    ]
    assert Incident.objects.get(pk=others_incident.pk).description == ABOUT_OTHER

    desk = signed_in(duty_officer)
    page = desk.get("/duty/log/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    body = page.content.decode()
    assert "KIM Minjun" not in body and "1203" not in body
    assert ABOUT_OTHER in body and 'data-testid="anonymized"' in body
    detail = desk.get(f"/incidents/{incident.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert detail.status_code == 200
    assert "KIM" not in detail.content.decode() and "Hilton" not in detail.content.decode()
    # The incident's workflow goes on: it can still be closed.
    incidents.move(incident=incident, to="closed", by=duty_officer, at=timezone.now(), text="Done.")


def test_a_cases_duty_log_and_incidents_lose_their_words_with_it(city, clock, duty_officer):
    officer = make_user("liu-assistance", Role.ASSISTANCE)
    case = open_stranded_case(officer)
    entry, _correction, incident = _words_about(None, duty_officer, case=case)
    AssistanceCase.objects.filter(pk=case.pk).update(status="closed", closed_at=timezone.now())
    on_day(clock, 1)  # a day later: words about no one go a year after they were written
    kept = log.log(by=duty_officer, data=EntryInput("Shift started."))

    on_day(clock, 365)
    assert next(r for r in runs.run() if r.rule == "case.closed").anonymized == 1
    assert LogEntry.objects.get(pk=entry.pk).text == ""
    assert Incident.objects.get(pk=incident.pk).description == ""
    assert LogEntry.objects.get(pk=kept.pk).text == "Shift started."


def _hold(kind, record, administrator):
    return retention.place_hold(
        kind=kind, record_id=record.pk, reason="Inquiry", officer=administrator
    )


def test_an_entry_about_no_one_goes_a_year_after_it_was_written(
    city, clock, duty_officer, administrator, signed_in
):
    """An entry linked to no traveler may still name one ("KIM Minjun" in free text); what a
    link reaches goes with its record, and a hold on that record keeps it, this rule or not."""
    unlinked = log.log(by=duty_officer, data=EntryInput(ABOUT_HIM))
    corrected = log.correct(by=duty_officer, entry=unlinked, data=EntryInput(ABOUT_HIM + " 1204"))
    traveler = declare()
    _hold("arrival", traveler, administrator)  # held: the traveler's words stay with him
    linked = log.log(by=duty_officer, data=EntryInput(ABOUT_HIM, arrival_id=traveler.pk))
    correction_of_linked = log.correct(by=duty_officer, entry=linked, data=EntryInput("1204."))
    on_day(clock, 1)
    later = log.log(by=duty_officer, data=EntryInput(ABOUT_OTHER))

    page = signed_in(duty_officer).get("/duty/log/", HTTP_ACCEPT_LANGUAGE="zh-hans").content
    assert "其他条目的文字在写入 365 天后匿名化" in page.decode()

    on_day(clock, 364)
    assert next(r for r in runs.run() if r.rule == "duty_log.written").anonymized == 0
    on_day(clock, 365)
    assert next(r for r in runs.run() if r.rule == "duty_log.written").anonymized == 2
    texts = {e.pk: LogEntry.objects.get(pk=e.pk).text for e in (unlinked, corrected)}
    assert texts == {unlinked.pk: "", corrected.pk: ""}
    after = LogEntry.objects.get(pk=unlinked.pk)
    assert (after.at, after.author_id, after.recorded_at) == (
        unlinked.at,
        unlinked.author_id,
        unlinked.recorded_at,
    )
    # The held traveler's entry and its correction, and the entry of the next day, stay.
    assert LogEntry.objects.get(pk=linked.pk).text == ABOUT_HIM
    assert LogEntry.objects.get(pk=correction_of_linked.pk).text == "1204."
    assert LogEntry.objects.get(pk=later.pk).text == ABOUT_OTHER
    body = signed_in(duty_officer).get("/duty/log/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert body.count('data-testid="anonymized"') == 2 and ABOUT_OTHER in body
    # A hold on an entry keeps it; a second run anonymizes nothing twice.
    on_day(clock, 366)
    _hold("duty_log_entry", later, administrator)
    assert next(r for r in runs.run() if r.rule == "duty_log.written").anonymized == 0
    assert LogEntry.objects.get(pk=later.pk).text == ABOUT_OTHER


def _report(duty_officer, **link):
    incident = incidents.report(
        kind="other",
        severity=3,
        at=timezone.now(),
        by=duty_officer,
        title="KIM Minjun fainted",
        description=ABOUT_HIM,
        place="Hilton, room 1203",
        **link,
    )
    incidents.acknowledge(incident=incident, by=duty_officer, at=timezone.now())
    incidents.act(incident=incident, text="Called " + ABOUT_HIM, by=duty_officer, at=timezone.now())
    return incident


def test_a_closed_incident_about_no_one_goes_a_year_after_it_was_closed(
    city, clock, duty_officer, administrator, signed_in
):
    closed = _report(duty_officer)
    still_open = _report(duty_officer)
    traveler = declare()
    _hold("arrival", traveler, administrator)
    about_him = _report(duty_officer, arrival=traveler)
    on_day(clock, 2)
    for incident in (closed, about_him):
        incidents.move(
            incident=incident, to="closed", by=duty_officer, at=timezone.now(), text=ABOUT_HIM
        )

    def detail(incident, language="zh-hans"):
        response = signed_in(duty_officer).get(
            f"/incidents/{incident.pk}/", HTTP_ACCEPT_LANGUAGE=language
        )
        assert response.status_code == 200
        return response.content.decode()

    assert "将于 2021-03-22 匿名化。" in detail(closed)  # 2 + 365 days after 20 March 2020
    assert "365 天（自事件关闭起）" in detail(still_open)  # not dated until it closes
    assert "随所涉旅客或个案的个人信息一并匿名化" in detail(about_him)

    closed_at = Incident.objects.get(pk=closed.pk).closed_at
    on_day(clock, 366)
    assert next(r for r in runs.run() if r.rule == "incident.closed").anonymized == 0
    on_day(clock, 367)
    assert next(r for r in runs.run() if r.rule == "incident.closed").anonymized == 1
    after = Incident.objects.get(pk=closed.pk)
    assert (after.title, after.description, after.place, after.summary) == ("", "", "", "")
    assert (after.status, after.severity, after.closed_at) == ("closed", 3, closed_at)
    events = IncidentEvent.objects.filter(incident=after)
    assert events.count() >= 4 and not events.exclude(text="").exists()
    page = detail(closed, "en")
    assert "KIM" not in page and "Hilton" not in page and "Anonymized on 2021-03-22." in page
    for kept in (still_open, about_him):
        assert Incident.objects.get(pk=kept.pk).description == ABOUT_HIM
    assert IncidentEvent.objects.filter(incident=about_him).exclude(text="").exists()
