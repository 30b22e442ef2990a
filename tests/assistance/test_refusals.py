"""Refusals of the assistance services that no other test reaches: each names its field."""

import pytest

from liaison.assistance import services
from liaison.assistance.models import CaseEvent
from liaison.core.refusals import Conflict, Refused

pytestmark = pytest.mark.django_db


def test_a_closed_case_cannot_be_assigned(stranded_in_milan, assistance_officer):
    case = services.take(case=stranded_in_milan, officer=assistance_officer)
    case = services.move_case(case=case, to="resolved", by=assistance_officer)
    case = services.move_case(case=case, to="closed", by=assistance_officer)
    events = case.events.count()
    with pytest.raises(Conflict) as error:
        services.assign(case=case, officer=assistance_officer, by=assistance_officer)
    assert error.value.problems == [
        ("assigned_to", "A Closed case cannot be assigned; reopen it first.")
    ]
    case.refresh_from_db()
    assert case.events.count() == events


def test_a_mission_is_linked_once(stranded_in_milan, assistance_officer, italy_consulate):
    services.link_mission(case=stranded_in_milan, mission=italy_consulate, by=assistance_officer)
    linked = CaseEvent.objects.filter(case=stranded_in_milan, type=CaseEvent.Type.MISSION).count()
    with pytest.raises(Refused) as error:
        services.link_mission(
            case=stranded_in_milan, mission=italy_consulate, by=assistance_officer
        )
    assert error.value.problems == [("mission", "This mission is already linked to the case.")]
    assert stranded_in_milan.missions.count() == 1
    assert (
        CaseEvent.objects.filter(case=stranded_in_milan, type=CaseEvent.Type.MISSION).count()
        == linked
    )
