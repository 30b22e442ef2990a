"""Cases: opening with a due date by priority, the workflow table, the timeline, search."""

from datetime import timedelta
from itertools import product

import pytest
from django.utils import timezone

from liaison.assistance import selectors, services
from liaison.assistance.models import AssistanceCase, CaseEvent, Status
from liaison.assistance.workflow import CASE_MOVES
from liaison.core.models import AuditEntry
from liaison.core.refusals import Conflict, Refused
from liaison.directory.serving import mission_serving

pytestmark = pytest.mark.django_db


def open_for(officer, **overrides):
    values = {
        "person_name": "Anna Müller",
        "nationality": "DE",
        "category": "medical",
        "summary": "Needs her insulin.",
        "requester": "self",
        "opened_by": officer,
    }
    return services.open_case(**{**values, **overrides})


@pytest.mark.parametrize(
    ("priority", "hours"), [("urgent", 4), ("high", 24), ("normal", 72), ("low", 168)]
)
def test_the_due_date_follows_the_priority(assistance_officer, priority, hours):
    case = open_for(assistance_officer, priority=priority)
    assert case.due_at - case.opened_at == timedelta(hours=hours)
    assert case.status == Status.NEW and case.kind == "foreigner_in_city"
    assert case.location_country == "CN"


def test_the_time_limits_are_configurable(assistance_officer, settings):
    settings.LIAISON_ASSISTANCE_DUE_HOURS = {"urgent": 1}
    case = open_for(assistance_officer, priority="urgent")
    assert case.due_at - case.opened_at == timedelta(hours=1)
    assert open_for(assistance_officer, priority="high").due_at - timezone.now() > timedelta(
        hours=23
    )


def test_an_earlier_due_date_may_be_set_and_a_new_priority_moves_it(assistance_officer):
    due = timezone.now() + timedelta(hours=2)
    case = open_for(assistance_officer, due_at=due)
    assert case.due_at == due
    case = services.change_priority(case=case, priority="low", by=assistance_officer)
    assert case.due_at == case.opened_at + timedelta(days=7)


def test_a_citizen_abroad_is_where_the_case_says(stranded_in_milan):
    case = stranded_in_milan
    assert case.kind == "citizen_abroad"
    assert (case.location_country, case.location_city) == ("IT", "Milan")
    assert case.phone == "+393123456789"
    assert case.jurisdiction is None
    opened = case.events.get()
    assert (opened.type, opened.to_status) == ("opened", "new")
    assert AuditEntry.objects.filter(
        action="create", object_type="assistance.assistancecase", object_id=str(case.pk)
    ).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"person_name": "  "}, "person_name"),
        ({"nationality": ""}, "nationality"),
        ({"nationality": "XX"}, "nationality"),
        ({"category": ""}, "category"),
        ({"category": "bored"}, "category"),
        ({"priority": "whenever"}, "priority"),
        ({"summary": ""}, "summary"),
        ({"requester": "neighbour"}, "requester"),
        ({"phone": "not a phone"}, "phone"),
        ({"due_at": timezone.now() - timedelta(minutes=1)}, "due_at"),
        ({"category": "stranded"}, "location_country"),
        ({"category": "stranded", "location_country": "CN"}, "location_country"),
    ],
)
def test_bad_input_opens_nothing_and_names_the_field(assistance_officer, overrides, field):
    entries = AuditEntry.objects.count()
    with pytest.raises(Refused) as error:
        open_for(assistance_officer, **overrides)
    assert field in dict(error.value.problems)
    assert AssistanceCase.objects.count() == 0
    assert AuditEntry.objects.count() == entries


def test_an_officer_takes_works_and_resolves_a_case(stranded_in_milan, assistance_officer):
    case = services.take(case=stranded_in_milan, officer=assistance_officer)
    assert (case.status, case.assigned_to) == (Status.ASSIGNED, assistance_officer)
    services.log_action(case=case, text="Called the family.", by=assistance_officer)
    services.log_action(
        case=case, text="Hotel found near the station.", type="note", by=assistance_officer
    )
    for status in ("in_progress", "waiting", "in_progress", "resolved", "closed"):
        case = services.move_case(case=case, to=status, by=assistance_officer)
    assert case.status == Status.CLOSED and case.resolved_at and case.closed_at
    case = services.move_case(
        case=case, to="reopened", note="The flight was cancelled again.", by=assistance_officer
    )
    assert case.status == Status.REOPENED and case.closed_at is None
    case = services.move_case(case=case, to="in_progress", by=assistance_officer)
    types = list(case.events.values_list("type", flat=True))
    assert types == ["opened", "assigned", "action", "note"] + ["status"] * 7
    last = case.events.last()
    assert (last.from_status, last.to_status, last.actor) == (
        "reopened",
        "in_progress",
        assistance_officer,
    )


def test_a_closed_case_does_not_go_back_to_work_without_being_reopened(
    stranded_in_milan, assistance_officer
):
    case = services.take(case=stranded_in_milan, officer=assistance_officer)
    case = services.move_case(case=case, to="resolved", by=assistance_officer)
    case = services.move_case(case=case, to="closed", by=assistance_officer)
    events = case.events.count()
    with pytest.raises(Conflict) as error:
        services.move_case(case=case, to="in_progress", by=assistance_officer)
    assert "Reopen it first" in dict(error.value.problems)["status"]
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.events.count() == events


def test_reopening_needs_a_reason(stranded_in_milan, assistance_officer):
    case = services.take(case=stranded_in_milan, officer=assistance_officer)
    case = services.move_case(case=case, to="resolved", by=assistance_officer)
    with pytest.raises(Refused) as error:
        services.move_case(case=case, to="reopened", by=assistance_officer)
    assert "note" in dict(error.value.problems)
    case.refresh_from_db()
    assert case.status == Status.RESOLVED


def test_work_starts_only_once_someone_has_the_case(stranded_in_milan, assistance_officer):
    for status in ("in_progress", "assigned", "resolved"):
        with pytest.raises(Refused):
            services.move_case(case=stranded_in_milan, to=status, by=assistance_officer)
    stranded_in_milan.refresh_from_db()
    assert stranded_in_milan.status == Status.NEW


def test_every_move_outside_the_table_is_refused(stranded_in_milan, assistance_officer):
    case = stranded_in_milan
    for source, target in product(Status, Status):
        # Put the case in ``source`` directly: this is about the table, not the way there.
        AssistanceCase.objects.filter(pk=case.pk).update(
            status=source, assigned_to=assistance_officer
        )
        allowed = target in CASE_MOVES[source] and target != Status.ASSIGNED
        try:
            services.move_case(case=case, to=target, by=assistance_officer, note="because")
        except Refused:
            moved = False
        else:
            moved = True
        case.refresh_from_db()
        assert (moved, case.status) == (allowed, target if allowed else source), (source, target)


def test_assigning_is_for_assistance_officers_and_keeps_the_work_going(
    stranded_in_milan, assistance_officer, second_assistance_officer, liaison_officer
):
    with pytest.raises(Refused):
        services.assign(case=stranded_in_milan, officer=liaison_officer, by=assistance_officer)
    case = services.take(case=stranded_in_milan, officer=assistance_officer)
    case = services.move_case(case=case, to="in_progress", by=assistance_officer)
    case = services.assign(case=case, officer=second_assistance_officer, by=assistance_officer)
    assert (case.status, case.assigned_to) == (Status.IN_PROGRESS, second_assistance_officer)
    with pytest.raises(Refused):
        services.assign(case=case, officer=second_assistance_officer, by=assistance_officer)


def test_an_empty_action_is_refused(stranded_in_milan, assistance_officer):
    with pytest.raises(Refused) as error:
        services.log_action(case=stranded_in_milan, text="  ", by=assistance_officer)
    assert "text" in dict(error.value.problems)
    assert stranded_in_milan.events.count() == 1


def test_work_views_mine_unassigned_overdue(
    stranded_in_milan, korean_in_yubei, assistance_officer, second_assistance_officer
):
    services.take(case=korean_in_yubei, officer=second_assistance_officer)
    cases = selectors.cases_visible_to(assistance_officer)
    mine = selectors.filter_cases(cases, user=second_assistance_officer, view="mine")
    assert list(mine) == [korean_in_yubei]
    unassigned = selectors.filter_cases(cases, user=assistance_officer, view="unassigned")
    assert list(unassigned) == [stranded_in_milan]
    later = timezone.now() + timedelta(hours=30)
    groups = {g.priority: g.cases for g in selectors.overdue_by_priority(assistance_officer, later)}
    assert groups["high"] == [stranded_in_milan]
    assert groups["normal"] == [] and groups["urgent"] == []
    in_four_days = timezone.now() + timedelta(days=4)
    groups = selectors.overdue_by_priority(assistance_officer, in_four_days)
    assert {g.priority: len(g.cases) for g in groups} == {
        "urgent": 0,
        "high": 1,
        "normal": 1,
        "low": 0,
    }


def test_by_country_and_by_mission(stranded_in_milan, korean_in_yubei, assistance_officer):
    services.link_mission(
        case=korean_in_yubei,
        mission=mission_serving(nationality="KR"),
        by=assistance_officer,
    )
    rows = {r["code"]: r for r in selectors.open_cases_by_country(assistance_officer)}
    assert rows["KR"]["nationality"] == 1
    assert rows["IT"]["location_country"] == 1
    cases = selectors.cases_visible_to(assistance_officer)
    assert list(selectors.filter_cases(cases, user=assistance_officer, country="IT")) == [
        stranded_in_milan
    ]
    by_mission = list(selectors.open_cases_by_mission(assistance_officer))
    assert [(m.code, m.open_cases) for m in by_mission] == [("KR-CG-CKG", 1)]


def test_search_by_name_in_any_script_document_or_phone(
    korean_in_yubei, stranded_in_milan, assistance_officer
):
    cases = selectors.cases_visible_to(assistance_officer)
    for query in (
        "김민준",
        "민준",
        "kim minjun",
        "KIM",
        "M12345678",
        "m 1234-5678",
        "13800001234",
        "+86 138 0000 1234",
        "138-0000-1234",
    ):
        assert list(selectors.search_cases(cases, query)) == [korean_in_yubei], query


def test_search_folds_case_accents_and_width(assistance_officer):
    case = open_for(assistance_officer, person_name="Anna MÜLLER")
    open_for(assistance_officer, person_name="Иван Петров", nationality="RU")
    cases = selectors.cases_visible_to(assistance_officer)
    for query in ("müller", "MULLER", "Ｍüller", "anna"):
        assert list(selectors.search_cases(cases, query)) == [case], query
    assert selectors.search_cases(cases, "иван").get().nationality == "RU"


def test_search_finds_the_city_citizen_by_chinese_name(stranded_in_milan, assistance_officer):
    cases = selectors.cases_visible_to(assistance_officer)
    assert list(selectors.search_cases(cases, "小明")) == [stranded_in_milan]
    assert list(selectors.search_cases(cases, "+39 312 345 6789")) == [stranded_in_milan]
    assert not selectors.search_cases(cases, "nobody").exists()


def test_other_roles_see_no_cases(
    stranded_in_milan, liaison_officer, airport_desk_officer, administrator
):
    for user in (liaison_officer, airport_desk_officer, administrator):
        assert not selectors.cases_visible_to(user).exists()


def test_every_timeline_entry_is_recorded_for_the_audit(stranded_in_milan, assistance_officer):
    services.log_action(case=stranded_in_milan, text="Called.", by=assistance_officer)
    assert AuditEntry.objects.filter(
        action="update",
        object_type="assistance.assistancecase",
        object_id=str(stranded_in_milan.pk),
        fields=["events"],
    ).exists()
    assert CaseEvent.objects.filter(case=stranded_in_milan).count() == 2
