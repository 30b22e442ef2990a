"""The desk shows what matters (issue 13, point 7): the declared symptoms and contact with cases,
the travel history by country names, every temperature with the highest marked a fever at the
threshold of the rules in force, the next step; and alarms (a fever, a positive result) at the
top of the desks that act on them, each reader seeing only the travelers they may see."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.arrivals.states import ArrivalState
from liaison.core.models import AuditEntry, Site
from liaison.core.roles import Role
from liaison.handover import services as handover
from liaison.policy import services as policy
from liaison.policy.models import RulesVersion
from liaison.policy.selectors import fever_threshold_in_force
from liaison.screening import desk, results, waiting
from liaison.screening.next_step import next_step
from tests.conftest import make_user
from tests.policy.conftest import REFERENCE
from tests.screening.conftest import declare, sampled, screened

pytestmark = pytest.mark.django_db
S = ArrivalState

DEFAULT_RULES = (REFERENCE / "default-rules.yaml").read_text(encoding="utf-8")


def publish_rules(author, *, fever: str | None) -> RulesVersion:
    """The default rules, with the fever at ``fever`` °C, or with no temperature at all."""
    text = DEFAULT_RULES.replace('version: "2020-03-20.1"', 'version: "2020-03-20.2"')
    old = "        - temperature_at_least: 37.3\n"
    assert old in text
    text = text.replace(old, f"        - temperature_at_least: {fever}\n" if fever else "")
    draft = policy.create_draft(
        kind="rules",
        text=text,
        author=author,
        note="fever threshold",
        effective_from=timezone.now(),
    )
    return policy.publish(version=draft, by=author).version


def page(client, arrival, language="en") -> str:
    response = client.get(f"/screening/desk/{arrival.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def reading(arrival, officer, celsius: str) -> None:
    desk.record_temperature(arrival=arrival, celsius=celsius, device="IR-3", officer=officer)


@pytest.fixture
def desk_client(airport_desk_officer, signed_in):
    return signed_in(airport_desk_officer)


# --- what the desk shows of one traveler ------------------------------------------------------


def test_the_declared_symptoms_and_contact_with_cases_in_the_readers_language(desk_client):
    traveler = declare(symptoms=["cough", "sore_throat"], contact_with_cases=True)
    english = page(desk_client, traveler)
    assert "Cough" in english and "Sore throat" in english
    assert "Yes, declared contact with cases" in english
    chinese = page(desk_client, traveler, "zh-hans")
    assert "咳嗽" in chinese and "咽痛" in chinese and "cough" not in chinese
    assert "是，申报有病例接触史" in chinese


def test_a_traveler_without_symptoms_or_contact_says_so(desk_client):
    traveler = declare()
    assert "None declared" in page(desk_client, traveler)
    assert "未申报" in page(desk_client, traveler, "zh-hans")


def test_the_travel_history_names_its_countries(desk_client):
    today = timezone.localdate()
    stays = [
        {
            "country": "IT",
            "city": "Milan",
            "date_from": (today - timedelta(days=9)).isoformat(),
            "date_to": (today - timedelta(days=2)).isoformat(),
        },
        {
            "country": "KR",
            "city": "Seoul",
            "date_from": (today - timedelta(days=1)).isoformat(),
            "date_to": today.isoformat(),
        },
    ]
    traveler = declare(history=stays)
    english = page(desk_client, traveler)
    assert "Italy" in english and "South Korea" in english
    chinese = page(desk_client, traveler, "zh-hans")
    assert "意大利" in chinese and "韩国" in chinese


def test_the_highest_reading_is_marked_a_fever_at_the_rules_threshold(
    desk_client, airport_desk_officer
):
    traveler = declare()
    reading(traveler, airport_desk_officer, "36.9")
    reading(traveler, airport_desk_officer, "38.4")
    reading(traveler, airport_desk_officer, "37.8")
    html = page(desk_client, traveler)
    assert html.count('class="fever"') == 1
    fever_row = html.split('data-testid="fever-reading"')[1].split("</tr>")[0]
    assert "<strong>38.4</strong>" in fever_row and "Fever (highest reading)" in fever_row
    assert "The rules in force call 37.3 °C or more a fever." in html
    assert "发热（最高读数）" in page(desk_client, traveler, "zh-hans")


def test_a_reading_below_the_threshold_is_not_a_fever(desk_client, airport_desk_officer):
    traveler = declare()
    reading(traveler, airport_desk_officer, "37.2")
    html = page(desk_client, traveler)
    assert 'class="fever"' not in html and "Fever (highest reading)" not in html


def test_the_threshold_is_the_rules_in_force_not_a_constant(
    desk_client, airport_desk_officer, administrator
):
    traveler = declare()
    reading(traveler, airport_desk_officer, "37.5")
    assert 'data-testid="fever-reading"' in page(desk_client, traveler)
    publish_rules(administrator, fever="38.0")
    assert str(fever_threshold_in_force()) == "38.0"
    html = page(desk_client, traveler)
    assert 'data-testid="fever-reading"' not in html
    assert "The rules in force call 38.0 °C or more a fever." in html


def test_rules_without_a_temperature_call_nothing_a_fever(
    desk_client, airport_desk_officer, administrator
):
    traveler = declare()
    reading(traveler, airport_desk_officer, "39.0")
    publish_rules(administrator, fever=None)
    assert fever_threshold_in_force() is None
    html = page(desk_client, traveler)
    assert 'data-testid="fever-reading"' not in html and 'data-testid="alarms"' not in html
    assert "The rules in force read no temperature." in html


# --- the next step ----------------------------------------------------------------------------


def step_of(client, traveler) -> str:
    html = page(client, traveler)
    return html.split('data-testid="next-step" data-step="')[1].split('"')[0]


def test_the_next_step_follows_the_pipeline(
    desk_client, airport_desk_officer, sampler_at_t3, t3_sampling_site, lab_user
):
    traveler = declare()
    assert step_of(desk_client, traveler) == "take_temperature"
    reading(traveler, airport_desk_officer, "36.6")
    assert step_of(desk_client, traveler) == "check_history"
    desk.confirm_history(arrival=traveler, officer=airport_desk_officer)
    assert step_of(desk_client, traveler) == "mark_screened"
    desk.screen(arrival=traveler, officer=airport_desk_officer)
    traveler.refresh_from_db()
    html = page(desk_client, traveler)
    assert "Send to sampling" in html
    assert "送去采样" in page(desk_client, traveler, "zh-hans")
    sampled(traveler, airport_desk_officer, sampler_at_t3, t3_sampling_site, screen=False)
    traveler.refresh_from_db()
    assert step_of(desk_client, traveler) == "wait_for_result"
    results.record_result(
        barcode="T3-000001",
        result="negative",
        lab="Jiangbei CDC",
        tested_at=timezone.now(),
        reported_by=lab_user,
    )
    traveler.refresh_from_db()
    assert traveler.state == S.DISPOSED
    assert step_of(desk_client, traveler) == "ready_for_dispatch"


def test_a_fever_leads_to_the_hospital_form(desk_client, airport_desk_officer, city):
    traveler = declare()
    reading(traveler, airport_desk_officer, "38.6")
    desk.confirm_history(arrival=traveler, officer=airport_desk_officer)
    html = page(desk_client, traveler)
    assert 'data-step="screen_for_hospital"' in html and 'href="#screen"' in html
    desk.screen(arrival=traveler, officer=airport_desk_officer)
    traveler.refresh_from_db()
    html = page(desk_client, traveler)
    assert 'data-step="hospital_transfer"' in html and 'href="#hospital"' in html
    assert 'id="hospital"' in html and 'data-testid="hospital-form"' in html
    hospital = Site.objects.filter(kind=Site.Kind.DESIGNATED_HOSPITAL).first()
    response = desk_client.post(
        f"/screening/desk/{traveler.pk}/", {"action": "hospital", "hospital": hospital.pk}
    )
    assert response.status_code == 302
    traveler.refresh_from_db()
    assert traveler.state == S.IN_HOSPITAL
    assert step_of(desk_client, traveler) == "done"


def test_the_next_step_links_only_where_the_reader_acts(city, airport_desk_officer):
    dispatcher = make_user("sun-dispatch", Role.DISPATCH)
    traveler = screened(declare(), airport_desk_officer)
    traveler.refresh_from_db()
    assert next_step(airport_desk_officer, traveler).url == ""  # sampling is another desk
    sampler = make_user("zhao-sampler", Role.SAMPLING)
    assert next_step(sampler, traveler).url == "/screening/sampling/"
    assert next_step(dispatcher, traveler).url == ""


# --- alarms -----------------------------------------------------------------------------------


def fever_case(officer, **changes):
    traveler = declare(**changes)
    reading(traveler, officer, "38.6")
    return traveler


def test_a_fever_raises_an_alarm_on_every_desk_that_acts_on_it(
    city, airport_desk_officer, sampler_at_t3, lab_user, signed_in
):
    dispatcher = make_user("sun-dispatch", Role.DISPATCH)
    other = declare(document_number="M55555555")
    feverish = fever_case(airport_desk_officer)
    desk_page = page(signed_in(airport_desk_officer), other)
    alarm = desk_page.split('data-testid="alarms"')[1].split("</section>")[0]
    assert f'href="/screening/desk/{feverish.pk}/"' in alarm
    assert feverish.display_code in alarm and "38.6 °C" in alarm
    assert "1 traveler with a fever (≥ 37.3 °C), not yet in hospital" in alarm
    for user, url in [
        (sampler_at_t3, "/screening/sampling/"),
        (lab_user, "/screening/lab/"),
        (dispatcher, "/handover/dispatch/"),
        (dispatcher, "/handover/board/"),
    ]:
        html = signed_in(user).get(url).content.decode()
        assert 'data-testid="alarms"' in html, url
        assert feverish.display_code in html.split('data-testid="alarms"')[1], url
    zh = page(signed_in(airport_desk_officer), other, "zh-hans")
    assert "1 名发热入境人员（≥ 37.3 °C），尚未送医：" in zh


def test_the_alarm_ends_when_the_traveler_is_in_hospital(city, airport_desk_officer, signed_in):
    feverish = fever_case(airport_desk_officer)
    client = signed_in(airport_desk_officer)
    assert 'data-testid="alarms"' in page(client, feverish)
    handover.transfer_to_hospital(arrival=feverish, officer=airport_desk_officer, reason="fever")
    assert 'data-testid="alarms"' not in page(client, feverish)


def test_a_positive_result_raises_an_alarm(
    city, airport_desk_officer, sampler_at_t3, t3_sampling_site, lab_user, signed_in
):
    traveler = sampled(declare(), airport_desk_officer, sampler_at_t3, t3_sampling_site)
    results.record_result(
        barcode="T3-000001",
        result="positive",
        lab="Jiangbei CDC",
        tested_at=timezone.now(),
        reported_by=lab_user,
    )
    html = signed_in(lab_user).get("/screening/lab/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    alarm = html.split('data-testid="alarm-positives"')[1].split("</ul>")[0]
    assert traveler.display_code in alarm
    assert "1 traveler with a positive result, not yet in hospital" in html
    # The laboratory has no traveler page: the name is shown, not linked.
    assert "/screening/desk/" not in alarm and "/handover/board/arrivals/" not in alarm
    board = signed_in(make_user("zhou-leader", Role.LEADERSHIP)).get("/handover/board/")
    assert f'href="/handover/board/arrivals/{traveler.pk}/"' in board.content.decode()


def test_the_desk_page_and_its_alarms_are_one_read(city, airport_desk_officer, signed_in):
    feverish = fever_case(airport_desk_officer)
    other = declare(document_number="M55555555")
    client = signed_in(airport_desk_officer)
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    page(client, other)
    reads = list(AuditEntry.objects.filter(id__gt=before, action="read"))
    assert len(reads) == 1
    assert set(reads[0].object_ids) == {str(other.pk), str(feverish.pk)}


def test_a_district_bound_reader_sees_only_their_districts_alarms(
    city, airport_desk_officer, jiangbei, jiangbei_receiving_officer, signed_in
):
    yubei_case = fever_case(airport_desk_officer)
    jiangbei_case = fever_case(
        airport_desk_officer, document_number="M66666666", jurisdiction=jiangbei.code
    )
    jiangbei_leader = make_user("qian-jiangbei", Role.LEADERSHIP, jurisdiction=jiangbei)
    html = signed_in(jiangbei_leader).get("/handover/board/").content.decode()
    alarm = html.split('data-testid="alarms"')[1].split("</section>")[0]
    assert jiangbei_case.display_code in alarm and yubei_case.display_code not in alarm
    assert yubei_case.display_code not in html
    district = signed_in(jiangbei_receiving_officer)
    for url in ["/handover/board/", f"/screening/desk/{jiangbei_case.pk}/"]:
        response = district.get(url)
        assert response.status_code == 403
        assert jiangbei_case.display_code not in response.content.decode()


# --- the home page's count --------------------------------------------------------------------


def test_the_home_fever_count_uses_the_rules_threshold(
    city, airport_desk_officer, administrator, signed_in
):
    reading(declare(), airport_desk_officer, "37.5")
    counts = {item.label: item.count for item in waiting.desk(airport_desk_officer)}
    fever = "Travelers of today with a fever, still at the airport"
    assert counts[fever] == 1  # the default rules: 37.3
    publish_rules(administrator, fever="38.0")
    counts = {item.label: item.count for item in waiting.desk(airport_desk_officer)}
    assert counts[fever] == 0
    home = signed_in(airport_desk_officer).get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'data-count="0">' in home.content.decode().split(fever)[1][:200]


def test_the_alarms_api_follows_the_same_rules(
    city, airport_desk_officer, jiangbei, jiangbei_receiving_officer, signed_in
):
    yubei_case = fever_case(airport_desk_officer)
    jiangbei_case = fever_case(
        airport_desk_officer, document_number="M66666666", jurisdiction=jiangbei.code
    )
    client = signed_in(airport_desk_officer)
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    body = client.get("/api/v1/alarms").json()
    assert body["threshold"] == "37.3" and body["fever_count"] == 2
    assert {f["code"] for f in body["fevers"]} == {
        yubei_case.display_code,
        jiangbei_case.display_code,
    }
    assert body["fevers"][0]["celsius"] == "38.6" and body["positives"] == []
    reads = AuditEntry.objects.filter(id__gt=before, action="read")
    assert [set(r.object_ids) for r in reads] == [{str(yubei_case.pk), str(jiangbei_case.pk)}]
    jiangbei_leader = make_user("qian-jiangbei", Role.LEADERSHIP, jurisdiction=jiangbei)
    body = signed_in(jiangbei_leader).get("/api/v1/alarms").json()
    assert [f["code"] for f in body["fevers"]] == [jiangbei_case.display_code]
    response = signed_in(jiangbei_receiving_officer).get("/api/v1/alarms")
    assert response.status_code == 403 and "errors" in response.json()
