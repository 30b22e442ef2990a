"""A staff session left idle too long is signed out, audited, and sent to sign in (ASVS 3.3.2)."""

import time

import pytest

from liaison.core.middleware import SessionIdleMiddleware
from liaison.core.models import AuditEntry

pytestmark = pytest.mark.django_db

KEY = SessionIdleMiddleware.KEY


def _idle_for(client, minutes: float) -> None:
    session = client.session
    session[KEY] = int(time.time() - minutes * 60)
    session.save()


def test_the_idle_limit_is_thirty_minutes_by_default_besides_the_absolute_one():
    from liaison import settings as app_settings

    assert app_settings.LIAISON_SESSION_IDLE_MINUTES == 30
    assert app_settings.SESSION_COOKIE_AGE == 12 * 3600


def test_a_request_within_the_limit_keeps_the_session_and_renews_it(
    airport_desk_officer, signed_in
):
    client = signed_in(airport_desk_officer)
    _idle_for(client, 29)
    assert client.get("/").status_code == 200
    assert time.time() - client.session[KEY] < 5  # the clock started again


def test_an_idle_session_is_signed_out_audited_and_sent_to_sign_in(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    assert client.get("/reference/").status_code == 200
    _idle_for(client, 31)
    response = client.get("/reference/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/reference/"
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.filter(action="logout").latest("at")
    assert (entry.actor_username, entry.note, entry.path) == (
        "li-desk",
        "idle timeout",
        "/reference/",
    )
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You were signed out after 30 minutes without activity. Sign in again." in page
    # Still signed out afterwards.
    assert client.get("/reference/").status_code == 302


def test_the_sign_out_message_is_in_chinese_too(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    _idle_for(client, 45)
    response = client.get("/", follow=True)
    assert "您已 30 分钟无操作，已自动退出登录。请重新登录。" in response.content.decode()


def test_the_limit_is_configurable(airport_desk_officer, signed_in, settings):
    settings.LIAISON_SESSION_IDLE_MINUTES = 5
    client = signed_in(airport_desk_officer)
    _idle_for(client, 6)
    assert client.get("/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_an_idle_session_on_the_api_gets_the_apis_refusal(airport_desk_officer, signed_in):
    client = signed_in(airport_desk_officer)
    assert client.get("/api/v1/me").status_code == 200
    _idle_for(client, 31)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["errors"]


def test_a_form_sent_after_the_limit_is_not_acted_on(administrator, signed_in):
    client = signed_in(administrator)
    _idle_for(client, 31)
    response = client.post("/api-tokens/", {"name": "late"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not AuditEntry.objects.filter(object_type="core.apitoken", action="create").exists()
