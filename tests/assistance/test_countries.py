"""The assistance desk's nationality and places (issue 13): Taiwan, Hong Kong and Macao are where
a citizen may be, never a person's nationality; countries are shown by their names."""

import pytest

from liaison.assistance import services
from liaison.assistance.models import AssistanceCase
from liaison.core import audit
from liaison.core.refusals import Refused

pytestmark = pytest.mark.django_db

CASE = {
    "person_name": "陈大文",
    "person_name_latin": "CHAN Tai Man",
    "category": "medical",
    "priority": "normal",
    "summary": "Needs his insulin refilled.",
    "requester": "self",
}


def test_a_region_as_nationality_is_refused_on_the_page(assistance_officer, signed_in, city):
    client = signed_in(assistance_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post("/assistance/cases/new/", {**CASE, "nationality": "HK"})
    assert response.status_code == 400
    assert "choose China as the nationality" in response.content.decode()
    assert AssistanceCase.objects.count() == 0


def test_the_case_form_offers_regions_only_as_places(assistance_officer, signed_in, city):
    html = signed_in(assistance_officer).get("/assistance/cases/new/").content.decode()
    nationality = html[
        html.index('name="nationality"') : html.index("</select>", html.index('name="nationality"'))
    ]
    place = html[html.index('name="location_country"') :]
    assert 'value="HK"' not in nationality and 'value="CN"' in nationality
    assert '<option value="HK">中国香港</option>' in place


def test_the_service_refuses_a_region_as_nationality(assistance_officer):
    with audit.acting_as(assistance_officer), pytest.raises(Refused) as refused:
        services.open_case(**CASE, nationality="TW", opened_by=assistance_officer)
    assert refused.value.field == "nationality" and "choose China" in refused.value.message
    assert AssistanceCase.objects.count() == 0


def test_a_citizen_in_hong_kong_is_a_case_shown_by_region_name(assistance_officer, signed_in):
    with audit.acting_as(assistance_officer):
        case = services.open_case(
            **{**CASE, "category": "stranded"},
            nationality="CN",
            location_country="HK",
            location_city="Kowloon",
            opened_by=assistance_officer,
        )
    client = signed_in(assistance_officer)
    assert "Kowloon, 中国香港" in client.get(f"/assistance/cases/{case.pk}/").content.decode()
    by_country = client.get("/assistance/by-country/").content.decode()
    assert "中国香港" in by_country and "中国</a>" in by_country


def test_a_hong_kong_resident_on_their_permit_is_told_to_hong_kongs_office(city):
    from liaison.arrivals.models import Source
    from liaison.arrivals.services import declare
    from liaison.assistance import consular
    from tests.arrivals.test_countries import hong_kong_resident

    arrival = declare(data=hong_kong_resident(), source=Source.API).arrival
    assert arrival.nationality == "CN"
    draft = consular.draft_for_disposition(arrival=arrival, disposition="home_quarantine")
    assert draft.mission.code == "HK-ETO-CTU"
    macao = hong_kong_resident(document_number="M12345678", flight_number="NX 188")
    arrival = declare(data=macao, source=Source.API).arrival
    draft = consular.draft_for_disposition(arrival=arrival, disposition="home_quarantine")
    assert draft.mission.code == "MO-OFF-BJ"
