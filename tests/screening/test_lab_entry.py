"""Laboratory entry is safe by default: no result is chosen for the officer, and a test time in
the minute of the sampling (what the officer can type) is not "before the sample"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.arrivals.states import ArrivalState
from liaison.core.refusals import Refused
from liaison.screening import results, sampling
from liaison.screening.models import LabResult
from tests.screening.conftest import screened

pytestmark = pytest.mark.django_db

BARCODE = "T3-000501"


@pytest.fixture
def collected_at():
    # Seconds and microseconds the officer never sees, in a minute of the last hour.
    return (timezone.now() - timedelta(minutes=40)).replace(second=47, microsecond=250_000)


@pytest.fixture
def sample(arrival, airport_desk_officer, sampler_at_t3, t3_sampling_site, collected_at):
    screened(arrival, airport_desk_officer)
    return sampling.register_sample(
        arrival=arrival,
        barcode=BARCODE,
        site=t3_sampling_site,
        collector=sampler_at_t3,
        collected_at=collected_at,
    )


@pytest.fixture
def lab_page(lab_user, signed_in):
    """The laboratory officer's browser, in English."""
    client = signed_in(lab_user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def _typed(moment) -> str:
    """What the officer types in the time field: local time, to the minute."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _result_form(html: str) -> str:
    start = html.index('data-testid="result-form"')
    return html[start : html.index("</form>", start)]


def test_no_result_value_is_preselected(lab_page):
    html = _result_form(lab_page.get("/screening/lab/").content.decode())
    for value in ("negative", "positive", "inconclusive"):
        assert f'type="radio" name="result" value="{value}"' in html
    assert "checked" not in html and "selected" not in html


def test_submitting_without_choosing_a_result_is_a_field_error(sample, lab_page, collected_at):
    client = lab_page
    base = {"action": "result", "barcode": BARCODE, "lab": "Jiangbei CDC"}
    base["tested_at"] = _typed(collected_at + timedelta(minutes=10))
    for result in ({}, {"result": ""}, {"result": "maybe"}):
        response = client.post("/screening/lab/", {**base, **result})
        assert response.status_code == 400, result
        form = _result_form(response.content.decode())
        assert 'class="error"' in form
    assert "Choose the result." in client.post("/screening/lab/", base).content.decode()
    assert not LabResult.objects.exists()
    sample.arrival.refresh_from_db()
    assert sample.arrival.state == ArrivalState.SAMPLED


def test_a_test_time_in_the_minute_of_the_sampling_is_accepted(sample, lab_page, collected_at):
    response = lab_page.post(
        "/screening/lab/",
        {
            "action": "result",
            "barcode": BARCODE,
            "result": "negative",
            "tested_at": _typed(collected_at),  # 47 seconds "before" the stored sampling time
            "lab": "Jiangbei CDC",
        },
    )
    assert response.status_code == 302
    assert LabResult.objects.get(sample=sample).result == "negative"


def test_a_test_time_a_minute_before_the_sampling_is_refused_on_the_field(
    sample, lab_page, collected_at
):
    response = lab_page.post(
        "/screening/lab/",
        {
            "action": "result",
            "barcode": BARCODE,
            "result": "negative",
            "tested_at": _typed(collected_at - timedelta(minutes=1)),
            "lab": "Jiangbei CDC",
        },
    )
    assert response.status_code == 400
    assert "before the sample was collected" in _result_form(response.content.decode())
    assert not LabResult.objects.exists()


def test_the_service_compares_minutes_whatever_the_source(sample, lab_user, collected_at):
    with pytest.raises(Refused) as refused:
        results.record_result(
            barcode=BARCODE,
            result="negative",
            lab="Jiangbei CDC",
            tested_at=collected_at.replace(second=0, microsecond=0) - timedelta(seconds=1),
            reported_by=lab_user,
        )
    assert refused.value.field == "tested_at"
    recorded = results.record_result(
        barcode=BARCODE,
        result="negative",
        lab="Jiangbei CDC",
        tested_at=collected_at.replace(second=0, microsecond=0),
        reported_by=lab_user,
    )
    assert recorded.created
