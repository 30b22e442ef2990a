"""notify(): in-app, e-mail and (urgent) SMS, each channel sent by a retried job and recorded."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import OrmQ, Task

from liaison.jobs import inline
from liaison.notifications.models import Delivery, DeliveryState, Notification
from liaison.notifications.services import mark_read, notify
from liaison.notifications.sms import RecordingBackend
from tests.conftest import make_user
from tests.notifications.conftest import ALERT

pytestmark = pytest.mark.django_db
# Sending runs the job queue as a worker does: with autocommit (liaison/jobs/inline.py).
sends = pytest.mark.django_db(transaction=True)


@pytest.fixture
def duty_officer(city):
    user = make_user("he-duty", "duty")
    user.email = "he.duty@fao.example"
    user.save()
    return user


@sends
def test_a_notification_is_listed_mailed_and_recorded_when_sent(duty_officer):
    (notification,) = notify(
        users=[duty_officer], kind=ALERT.code, data={"code": "B-17"}, link="/handover/"
    )
    assert mail.outbox == []  # sending is a job: nothing leaves inside the caller's request
    assert inline.run_due() == 1
    assert [m.to for m in mail.outbox] == [["he.duty@fao.example"]]
    assert "B-17" in mail.outbox[0].subject and "/handover/" in mail.outbox[0].body
    delivery = Delivery.objects.get(notification=notification)
    assert delivery.state == DeliveryState.SENT and delivery.sent_at is not None
    assert notification.created_at is not None and notification.read_at is None
    assert RecordingBackend.outbox == []  # not urgent: no SMS


@sends
def test_an_urgent_one_is_also_sent_by_sms_to_the_phone_the_roster_knows(duty_officer, phones):
    phones["he-duty"] = "+8613800000001"
    notify(users=[duty_officer], kind=ALERT.code, data={"code": "B-17"}, urgent=True)
    inline.run_due()
    assert [to for to, _text in RecordingBackend.outbox] == ["+8613800000001"]
    assert set(Delivery.objects.values_list("channel", "state")) == {
        ("email", DeliveryState.SENT),
        ("sms", DeliveryState.SENT),
    }


@sends
def test_without_an_address_the_channel_is_recorded_as_not_sent(duty_officer):
    notify(users=[duty_officer], kind=ALERT.code, data={"code": "B-1"}, urgent=True)
    inline.run_due()
    assert Delivery.objects.get(channel="sms").state == DeliveryState.SKIPPED


@sends
def test_a_failing_gateway_is_retried_and_the_message_goes_once_it_answers(
    duty_officer, phones, monkeypatch
):
    phones["he-duty"] = "+8613800000001"
    down = [True]

    def send(self, *, to, text):
        if down[0]:
            raise ConnectionError("gateway down")
        RecordingBackend.outbox.append((to, text))

    monkeypatch.setattr(RecordingBackend, "send", send)  # the outside world, not our code
    notify(users=[duty_officer], kind=ALERT.code, data={"code": "B-2"}, urgent=True)
    inline.run_due()
    (failed,) = Task.objects.filter(group="notifications.deliver", success=False)
    assert "gateway down" in failed.result and failed.attempt_count == 1
    assert OrmQ.objects.count() == 1  # the SMS waits for its retry; the e-mail went
    down[0] = False
    with time_machine.travel(timezone.now() + timedelta(seconds=Conf.RETRY + 1)):
        inline.run_due()
    assert len(RecordingBackend.outbox) == 1
    assert Delivery.objects.get(channel="sms").state == DeliveryState.SENT
    # Taken again (a worker that died before recording "done"): not sent twice.
    from liaison.notifications.jobs import deliver

    deliver(delivery_id=Delivery.objects.get(channel="sms").pk)
    assert len(RecordingBackend.outbox) == 1


def test_once_key_tells_each_user_once(duty_officer):
    first = notify(users=[duty_officer], kind=ALERT.code, once_key="batch:17:late")
    again = notify(users=[duty_officer, duty_officer], kind=ALERT.code, once_key="batch:17:late")
    assert len(first) == 1 and again == []
    assert Notification.objects.count() == 1


def test_bad_calls_are_refused_and_write_nothing(duty_officer):
    with pytest.raises(ValueError):
        notify(users=[duty_officer], kind="no.such.kind")
    with pytest.raises(ValueError):
        notify(users=[duty_officer], kind=ALERT.code, link="https://evil.example/")
    assert not Notification.objects.exists() and not OrmQ.objects.exists()


def test_inactive_users_are_not_notified(duty_officer):
    duty_officer.is_active = False
    duty_officer.save()
    assert notify(users=[duty_officer], kind=ALERT.code) == []


def test_mark_read_marks_only_ones_own(duty_officer, administrator):
    mine = notify(users=[duty_officer], kind=ALERT.code)[0]
    theirs = notify(users=[administrator], kind=ALERT.code)[0]
    assert mark_read(user=duty_officer, ids=[mine.pk, theirs.pk]) == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
