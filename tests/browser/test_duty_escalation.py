"""The duty desk in a real browser, in zh-hans: a positive result opens an incident by itself,
nobody acknowledges it, it escalates to the duty chief, the chief acknowledges it; the shift is
handed over and the incoming officer countersigns after reading the open incidents.

The scheduler is not running in a test: its two jobs' services are called with the clock they
would have (the alarm scan now, the escalation 15 minutes later)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.core.roles import Role
from liaison.incidents import escalation
from liaison.incidents.alarms import open_alarm_incidents
from liaison.incidents.models import EscalationStep, Handover, Incident, Post
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_staff_shell import sign_in
from tests.conftest import make_user
from tests.handover.conftest import declare, to_disposition

pytestmark = pytest.mark.django_db(transaction=True)


def _as(browser, live_server, user):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1024, "height": 768}, locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, user.username)
    page.wait_for_selector("h1")
    return page


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"duty-escalation-{name}.png"), full_page=True)


def test_a_positive_result_escalates_to_the_chief_who_acknowledges(browser, live_server, city):
    officer = make_user("he-duty", Role.DUTY)
    incoming = make_user("ma-duty", Role.DUTY)
    chief = make_user("qian-chief", Role.DUTY)
    director = make_user("zhao-dg", Role.LEADERSHIP)
    EscalationStep.objects.create(position=1, post=Post.DUTY_OFFICER, user=officer)
    EscalationStep.objects.create(position=2, post=Post.DUTY_CHIEF, user=chief, after_minutes=10)
    EscalationStep.objects.create(
        position=3, post=Post.DIRECTOR_GENERAL, user=director, after_minutes=20
    )
    arrival = to_disposition(declare(), None, result="positive")
    now = timezone.now()
    (incident,) = open_alarm_incidents(now=now)
    assert incident.arrival_id == arrival.pk and incident.severity == 1
    # Nobody acknowledges: 5 minutes the deadline, 10 more the chief.
    escalation.escalate_due(now=now + timedelta(minutes=15))

    chief_page = _as(browser, live_server, chief)
    chief_page.goto(f"/incidents/{incident.pk}/")
    history = chief_page.inner_text("[data-testid=history]")
    assert "升级至第 2 级（值班长）：qian-chief" in history
    assert "检测阳性" in chief_page.inner_text("h1")
    shot(chief_page, "1-escalated-to-chief")
    chief_page.click("[data-testid=acknowledge]")
    chief_page.wait_for_selector("[data-testid=status] >> text=已确认")
    shot(chief_page, "2-acknowledged")
    assert Incident.objects.get(pk=incident.pk).acknowledged_by == chief

    officer_page = _as(browser, live_server, officer)
    officer_page.goto("/incidents/handovers/")
    officer_page.select_option("#id_incoming", str(incoming.pk))
    officer_page.fill("#id_note", "阳性旅客一名，值班长已确认，救护车在途。")
    officer_page.click("[data-testid=hand-over]")
    officer_page.wait_for_selector("[data-testid=note]")
    assert officer_page.locator("[data-testid=countersign]").count() == 0
    shot(officer_page, "3-handover-written")

    incoming_page = _as(browser, live_server, incoming)
    incoming_page.goto(officer_page.url.replace(live_server.url, ""))
    listed = incoming_page.inner_text("[data-testid=open-incidents]")
    assert "检测阳性" in listed
    shot(incoming_page, "4-countersign-form")
    incoming_page.fill("#id_confirmed_count", "1")
    incoming_page.click("[data-testid=countersign]")
    incoming_page.wait_for_selector("[data-testid=countersigned]")
    shot(incoming_page, "5-countersigned")
    assert Handover.objects.get().countersigned_at is not None
