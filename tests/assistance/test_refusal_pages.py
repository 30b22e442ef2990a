"""The case page's refusals (``test_refusals`` has them through the services): a 400 with the
message beside the form, and nothing written. The assistance desk has no API for cases yet."""

import pytest

from liaison.assistance import services
from liaison.assistance.models import AssistanceCase, CaseEvent
from liaison.core.models import AuditEntry

pytestmark = pytest.mark.django_db
# Audit entries of a write; a refused request leaves its read, never one of these.
WRITES = (AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE, AuditEntry.Action.DELETE)


def snapshot(case) -> tuple:
    return (
        AssistanceCase.objects.values_list("status", "assigned_to").get(pk=case.pk),
        list(case.missions.values_list("pk", flat=True)),
        CaseEvent.objects.filter(case=case).count(),
        AuditEntry.objects.filter(action__in=WRITES).count(),
    )


@pytest.fixture
def desk(assistance_officer, signed_in):
    client = signed_in(assistance_officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_a_closed_case_cannot_be_assigned(
    stranded_in_milan, assistance_officer, second_assistance_officer, desk
):
    case = services.take(case=stranded_in_milan, officer=assistance_officer)
    case = services.move_case(case=case, to="resolved", by=assistance_officer)
    case = services.move_case(case=case, to="closed", by=assistance_officer)
    before = snapshot(case)
    response = desk.post(
        f"/assistance/cases/{case.pk}/",
        {"op": "assign", "assign-officer": second_assistance_officer.pk},
    )
    assert response.status_code == 400
    assert list(response.context["forms"]["assign"].non_field_errors()) == [
        "A Closed case cannot be assigned; reopen it first."
    ]
    assert snapshot(case) == before


def test_a_mission_is_linked_once(stranded_in_milan, assistance_officer, italy_consulate, desk):
    url = f"/assistance/cases/{stranded_in_milan.pk}/"
    link = {"op": "link", "link-mission": italy_consulate.pk}
    assert desk.post(url, link).status_code == 302
    before = snapshot(stranded_in_milan)
    response = desk.post(url, link)
    assert response.status_code == 400
    assert response.context["forms"]["link"].errors == {
        "mission": ["This mission is already linked to the case."]
    }
    assert (
        snapshot(stranded_in_milan)
        == before
        == (
            before[0],
            [italy_consulate.pk],
            before[2],
            before[3],
        )
    )
