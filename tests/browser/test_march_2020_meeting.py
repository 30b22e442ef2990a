"""March 2020: the director-general phones the Korean consul general in Chengdu. The liaison
officer logs the call through the contact pages, with two commitments on each side (the form
has three outcome rows; the fourth is added by a recorded correction), then sees it on the
consulate's page in the directory and in the calendar: the week of the call, and the week the
commitments fall due. Screenshots of each go to test-artifacts/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.contacts.models import Commitment, Contact
from liaison.core import audit, reference
from liaison.core.roles import Role
from liaison.directory.models import Organization, Person
from tests.browser.test_staff_shell import sign_in
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)

COMMITMENTS = [
    ("ours", "officer:liaison", "Send the list of Korean nationals in quarantine"),
    ("ours", "officer:director", "Arrange a visit to the quarantine hotel"),
    ("theirs", "person:consul", "Inform Korean citizens of the quarantine rules"),
    ("theirs", "organization", "Give the arrival flights of Korean citizens"),
]


@pytest.fixture
def desk(settings):
    """The city's reference data (its directory holds the Korean consulate general in Chengdu
    and its consul general), the director-general and a liaison officer."""
    with audit.acting_as(username="test"):
        reference.load(settings.LIAISON_REFERENCE_DIR / "chongqing")
    consulate = Organization.objects.get(code="KR-CG-CTU")
    return {
        "consulate": consulate,
        "consul": Person.objects.get(organization=consulate, name_latin="Example Contact J"),
        "director": make_user("zhou-director", Role.LEADERSHIP),
        "liaison": make_user("sun-liaison", Role.LIAISON),
    }


def due_days():
    """Four days of next week (Monday to Thursday): in the future, and in one calendar week."""
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    return [monday + timedelta(days=n) for n in range(4)]


def fill_outcome(page, row: int, side: str, owner: str, text: str, due, desk) -> None:
    prefix = f"#id_outcome-{row}"
    page.select_option(f"{prefix}-kind", "commitment")
    page.fill(f"{prefix}-text", text)
    page.select_option(f"{prefix}-side", side)
    if owner.startswith("officer:"):
        user = desk["director"] if owner.endswith("director") else desk["liaison"]
        page.select_option(f"{prefix}-owner_officer", str(user.pk))
    elif owner == "person:consul":
        page.select_option(f"{prefix}-owner_person", str(desk["consul"].pk))
    else:
        page.select_option(f"{prefix}-owner_organization", str(desk["consulate"].pk))
    page.fill(f"{prefix}-due_on", due.isoformat())


def log_the_call(page, desk) -> Contact:
    """The call, logged through the contact pages by the liaison officer."""
    days = due_days()
    sign_in(page, "sun-liaison")
    page.wait_for_selector("h1")
    page.goto("/contacts/new/")
    page.select_option("#id_kind", "call")
    page.fill("#id_starts_at", "2020-03-20T15:00")
    page.fill("#id_ends_at", "2020-03-20T15:40")
    page.fill("#id_place", "Foreign Affairs Building, Chongqing")
    page.fill("#id_medium", "Phone")
    page.fill("#id_topics", "Measures against imported cases\nKorean nationals in quarantine")
    page.fill("#id_summary", "Explained the 14-day quarantine on arrival; heard the concerns.")
    page.select_option("#id_who-0-officer", str(desk["director"].pk))
    page.select_option("#id_who-0-role", "led")
    page.select_option("#id_who-1-officer", str(desk["liaison"].pk))
    page.select_option("#id_who-1-role", "note_taker")
    page.select_option("#id_who-2-person", str(desk["consul"].pk))
    page.select_option("#id_who-2-role", "led")
    for row, (side, owner, text) in enumerate(COMMITMENTS[:3]):
        fill_outcome(page, row, side, owner, text, days[row], desk)
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url("**/contacts/*/")
    contact = Contact.objects.get()

    # The fourth commitment: a correction of the contact, with its reason.
    page.goto(f"/contacts/{contact.pk}/correct/")
    side, owner, text = COMMITMENTS[3]
    fill_outcome(page, 0, side, owner, text, days[3], desk)
    page.fill("#id_reason", "The consulate's second promise, noted after the call.")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url(f"**/contacts/{contact.pk}/")
    open_ones = Commitment.objects.filter(contact=contact, status="open")
    assert sorted(open_ones.values_list("side", flat=True)) == ["ours", "ours", "theirs", "theirs"]
    return contact


def test_the_call_is_in_the_calendar(page, screenshot, desk):
    log_the_call(page, desk)
    days = due_days()
    # The week of the call…
    page.goto("/calendar/?start=2020-03-20")
    march = page.locator("[data-testid=day][data-day='2020-03-20']")
    march.wait_for()
    assert "通话：大韩民国驻成都总领事馆" in march.inner_text()
    assert page.locator("[data-testid=item]").count() == 1
    screenshot("calendar-march")

    # …and the week its commitments fall due, one a day, each linked to its page.
    page.goto(f"/calendar/?start={days[0].isoformat()}")
    page.locator("[data-testid=days]").wait_for()
    for day, (_side, _owner, description) in zip(days, COMMITMENTS, strict=True):
        cell = page.locator(f"[data-testid=day][data-day='{day.isoformat()}']").inner_text()
        assert description in cell, (day, cell)
    assert page.locator("[data-testid=item][data-kind=commitment]").count() == 4
    screenshot("calendar-due")

    # Her own: the call, at which she took the notes.
    page.goto("/calendar/?start=2020-03-20&whose=mine")
    page.locator("[data-testid=days]").wait_for()
    assert page.locator("[data-testid=item]").count() == 1


def test_the_call_is_on_the_consulates_page(page, screenshot, desk):
    log_the_call(page, desk)
    page.goto(f"/directory/{desk['consulate'].pk}/")
    panel = page.locator("[data-testid=organization-contacts]")
    panel.wait_for()
    screenshot("consulate")
    text = panel.inner_text()
    # A Chinese page names him as the directory writes his name in Chinese.
    assert "2020-03-20 15:00" in text and desk["consul"].name_zh in text
    assert page.locator("[data-testid=organization-contacts] [data-testid=commitment]").count() == 4
    for _side, _owner, description in COMMITMENTS:
        assert description in text
