import pytest
from django.utils.translation import gettext_lazy

from liaison.notifications import services
from liaison.notifications.kinds import register_kind
from liaison.notifications.sms import RecordingBackend

ALERT = register_kind("test.alert", gettext_lazy("Batch %(code)s is not confirmed"))


@pytest.fixture(autouse=True)
def _outboxes(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LIAISON_SMS_BACKEND = "liaison.notifications.sms.RecordingBackend"
    RecordingBackend.outbox.clear()
    yield
    RecordingBackend.outbox.clear()


@pytest.fixture
def phones():
    """The duty roster's phones, as that app registers them."""
    known = {}
    source = lambda user: known.get(user.username, "")  # noqa: E731
    services.register_phone_source(source)
    yield known
    services._PHONE_SOURCES.remove(source)
