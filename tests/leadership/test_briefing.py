"""The daily briefing (issue 17, point 2): drafted at the cut-off, highlights written, approved
by a leader (audited, who and when), then frozen — the page, the PDF and the spreadsheet all
from the one approved snapshot, whatever the desks do afterwards."""

import copy
import io
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from liaison.core.models import AuditEntry
from liaison.core.refusals import Conflict, Refused
from liaison.core.roles import Role
from liaison.handover import services as handover
from liaison.incidents import services as incidents
from liaison.jobs.registry import job_named, next_due
from liaison.leadership import figures, services
from liaison.leadership.jobs import _local_midnight_in_utc, draft_briefing
from liaison.leadership.models import Briefing, BriefingStatus
from tests.handover.conftest import declare, ready, staff
from tests.leadership.helpers import assert_closed_loop

pytestmark = pytest.mark.django_db


@pytest.fixture
def day_of_work(city):
    """Today: three travelers at the airport, one of them decided; an incident."""
    arrivals = [ready(), declare(), declare(surname_native="朴", given_names_native="敏俊")]
    incidents.report(kind="security", severity=2, at=timezone.now(), title="Crowd at gate 4")
    return arrivals


def drafted(day=None, by=None) -> Briefing:
    day = day or timezone.localdate()
    with time_machine.travel(figures.cutoff_of(day), tick=False):
        return services.draft(day=day, by=by)


def approved(leader) -> Briefing:
    briefing = drafted()
    services.write_highlights(briefing=briefing, by=leader, zh="入境平稳。", en="Arrivals steady.")
    return services.approve(briefing=briefing, by=leader)


def test_the_job_drafts_yesterday_at_midnight_office_time_once(day_of_work):
    assert _local_midnight_in_utc() == timedelta(hours=16)  # 24:00 in Beijing
    job = job_named("leadership.draft_briefing")
    assert (job.every, job.at, job.func) == (timedelta(days=1), timedelta(hours=16), draft_briefing)
    midnight = figures.cutoff_of(timezone.localdate())
    assert next_due(job, midnight - timedelta(hours=1)) == midnight
    with time_machine.travel(midnight, tick=False):
        draft_briefing(due_at=midnight)
        draft_briefing(due_at=midnight)  # taken again after a worker died: nothing more
    (briefing,) = Briefing.objects.all()
    assert briefing.day == timezone.localdate()
    assert briefing.cutoff == midnight
    assert briefing.drafted_by is None and briefing.status == BriefingStatus.DRAFT
    flat = figures.flat(briefing.snapshot)
    assert flat["pipeline.new.arrived"]["value"] == 3
    assert flat["pipeline.new.at_airport"]["value"] == 3
    assert flat["incidents.severity.2"]["value"] == 1
    assert_closed_loop(briefing.snapshot)
    assert AuditEntry.objects.filter(
        object_type="leadership.briefing", action="create", object_id=str(briefing.pk)
    ).exists()


def test_approval_is_audited_with_who_and_when_and_freezes_the_briefing(day_of_work, leader):
    briefing = approved(leader)
    assert briefing.status == BriefingStatus.APPROVED
    assert briefing.approved_by == leader and briefing.approved_at is not None
    entry = AuditEntry.objects.get(object_type="leadership.briefing", note="approved")
    assert (entry.actor_id, entry.action) == (leader.pk, "update")
    assert set(entry.fields) == {"status", "approved_by", "approved_at"}
    with pytest.raises(Conflict):
        services.approve(briefing=briefing, by=leader)
    with pytest.raises(Conflict):
        services.write_highlights(briefing=briefing, by=leader, zh="改", en="changed")
    briefing.refresh_from_db()
    assert briefing.highlights_en == "Arrivals steady."


def test_only_leadership_approves_and_only_with_both_highlights(day_of_work, leader, duty_chief):
    briefing = drafted()
    with pytest.raises(Refused) as refused:
        services.approve(briefing=briefing, by=leader)
    assert refused.value.status == 400  # no highlights yet
    services.write_highlights(briefing=briefing, by=duty_chief, zh="要点", en="Highlights")
    with pytest.raises(Refused) as refused:
        services.approve(briefing=briefing, by=duty_chief)
    assert refused.value.status == 403
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.DRAFT and briefing.highlights_by == duty_chief


def test_a_day_not_over_or_drafted_twice_is_refused(day_of_work, leader):
    with pytest.raises(Refused) as refused:
        services.draft(day=timezone.localdate(), by=leader)
    assert refused.value.status == 400
    first = drafted(by=leader)
    with pytest.raises(Conflict):
        drafted(by=leader)
    assert Briefing.objects.get().snapshot == first.snapshot


def test_the_snapshot_page_pdf_and_spreadsheet_never_change_after_the_data_do(
    day_of_work, leader, signed_in
):
    briefing = approved(leader)
    frozen = copy.deepcopy(briefing.snapshot)
    client = signed_in(leader)
    before = {
        "page": client.get(f"/leadership/briefings/{briefing.pk}/").content,
        "xlsx": client.get(f"/leadership/briefings/{briefing.pk}/briefing.xlsx").content,
    }
    # The desks go on: a traveler to hospital, a new traveler, another incident.
    handover.transfer_to_hospital(
        arrival=day_of_work[0], officer=staff("test-dispatch", Role.DISPATCH), reason="fever"
    )
    declare()
    incidents.report(kind="media", severity=3, at=timezone.now(), title="Camera crew")
    live = figures.flat(figures.snapshot(day=timezone.localdate(), cutoff=timezone.now()))
    assert live["pipeline.new.in_hospital"]["value"] == 1  # the desks did change
    briefing.refresh_from_db()
    assert briefing.snapshot == frozen
    page = client.get(f"/leadership/briefings/{briefing.pk}/").content
    assert _body(page) == _body(before["page"])
    assert 'data-key="pipeline.new.in_hospital" data-value="0"' in _body(page)
    sheet = client.get(f"/leadership/briefings/{briefing.pk}/briefing.xlsx").content
    assert _cells(sheet) == _cells(before["xlsx"])
    values = {row[4]: row[3] for row in _cells(sheet)[1:]}
    assert values["pipeline.new.in_hospital"] == 0  # counts are numbers, to add up
    assert values["pipeline.new.arrived"] == 3
    assert values["highlights.en"] == "Arrivals steady."


def _body(page: bytes) -> str:
    """The briefing itself, from its title to its last table (the page's header holds a CSRF
    token and the reader's unread count, which do change)."""
    text = page.decode()
    start = text.index('<h1 class="document-title">')
    return text[start : text.index('<div class="charts">', start)]


def _cells(xlsx: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(xlsx), read_only=True).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_two_briefings_compare_figure_by_figure(day_of_work, leader, signed_in):
    first = drafted()
    tomorrow = timezone.localdate() + timedelta(days=1)
    with time_machine.travel(figures.office_midnight(tomorrow) + timedelta(hours=8)):
        ready(arrival_date=tomorrow.isoformat())
    second = drafted(day=tomorrow)
    client = signed_in(leader)
    response = client.get(f"/leadership/briefings/compare/?a={first.pk}&b={second.pk}")
    assert response.status_code == 200
    rows = {r["key"]: r for r in response.context["rows"]}
    assert (rows["pipeline.total.arrived"]["a"], rows["pipeline.total.arrived"]["b"]) == (3, 4)
    assert rows["pipeline.total.arrived"]["change"] == 1
    assert rows["pipeline.new.arrived"]["change"] == 1 - 3
    assert rows["incidents.severity.2"]["change"] == 0
    api = client.get(f"/api/v1/briefings/compare?a={first.pk}&b={second.pk}").json()
    assert {r["key"]: r["change"] for r in api}["pipeline.total.arrived"] == 1


def test_the_demo_makes_one_approved_briefing_and_one_waiting_once(city, capsys):
    from django.core.management import call_command

    call_command("demo_accounts")
    call_command("demo_briefing")
    call_command("demo_briefing")
    statuses = list(Briefing.objects.order_by("day").values_list("status", flat=True))
    assert statuses == [BriefingStatus.APPROVED, BriefingStatus.DRAFT]
    assert "there already" in capsys.readouterr().out
    approval = AuditEntry.objects.get(note="approved")
    assert approval.actor_username == "demo-leader"
