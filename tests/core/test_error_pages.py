"""Error pages look like the app, speak the reader's language and offer a way back.

Staff pages answer in Chinese or English; traveler pages (/declare/…) in the traveler's language;
the 500 page needs neither the database nor the request beyond its language.
"""

import pytest
from django.db import connection
from django.test import Client
from django.urls import include, path
from django.utils import translation

import liaison.urls
from liaison.core.access import public
from liaison.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@public
def _boom(request):
    raise RuntimeError("a bug")


# This module is also the URLconf of the tests below: the app's, plus two views that fail.
urlpatterns = [
    path("boom/", _boom),
    path("declare/boom/", _boom),
    path("", include(liaison.urls)),
]
handler400 = liaison.urls.handler400
handler403 = liaison.urls.handler403
handler404 = liaison.urls.handler404
handler500 = liaison.urls.handler500


@pytest.fixture
def failing_views(settings):
    settings.ROOT_URLCONF = __name__


# The sentences (titles like "Page not found" may come from Django's own catalogues first).
STAFF = {
    "en": {
        400: "Something in what was sent is not right",
        403: "the form had expired",
        404: "There is no page at this address",
        500: "The page could not be shown",
        "home": "Back to your home page",
    },
    "zh-hans": {
        400: "所提交的内容有误",
        403: "表单已过期",
        404: "此地址没有页面",
        500: "页面无法显示",
        "home": "返回首页",
    },
}
TRAVELER = {
    "ko": {
        404: "이 주소에는 페이지가 없습니다",
        403: "페이지를 새로 고친 후",
        500: "페이지를 표시할 수 없습니다",
    },
    "ar": {404: "لا توجد صفحة على هذا العنوان", 403: "أعد تحميل الصفحة", 500: "تعذّر عرض الصفحة"},
    "de": {
        404: "Unter dieser Adresse gibt es keine Seite",
        403: "laden Sie die Seite neu",
        500: "Die Seite konnte nicht angezeigt werden",
    },
}
BACK_TO_FORM = {"ko": "신고서로 돌아가기", "ar": "العودة إلى نموذج الإقرار", "de": "Zurück zum"}


def _get(client, url, language, **extra):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language, **extra)


def _looks_like_the_staff_app(page: str, language: str):
    assert 'href="/static/core/liaison.css"' in page and 'class="brand"' in page
    assert f'lang="{language}"' in page
    assert 'href="/"' in page  # the way back


def _looks_like_the_traveler_pages(page: str, language: str):
    assert "<h1>" in page and f'lang="{language}"' in page
    assert 'href="/declare/"' in page  # back to the form
    assert BACK_TO_FORM[language] in page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_staff_404(client, city, language):
    response = _get(client, "/nowhere/", language)
    assert response.status_code == 404
    page = response.content.decode()
    _looks_like_the_staff_app(page, language)
    assert STAFF[language][404] in page and STAFF[language]["home"] in page


def test_staff_pages_in_another_browser_language_fall_back_to_the_office_language(client, city):
    page = _get(client, "/nowhere/", "ko").content.decode()
    assert 'lang="zh-hans"' in page and STAFF["zh-hans"][404] in page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_staff_400(client, city, language):
    response = _get(client, "/accounts/login/", language, HTTP_HOST="evil.example")
    assert response.status_code == 400
    page = response.content.decode()
    _looks_like_the_staff_app(page, language)
    assert STAFF[language][400] in page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_staff_403_for_a_form_without_its_token(city, language):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/accounts/login/", {"username": "x", "password": "y"}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 403
    page = response.content.decode()
    _looks_like_the_staff_app(page, language)
    assert STAFF[language][403] in page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_staff_403_for_a_page_of_another_role(airport_desk_officer, signed_in, language):
    client = signed_in(airport_desk_officer)
    response = _get(client, "/audit/", language)
    assert response.status_code == 403
    _looks_like_the_staff_app(response.content.decode(), language)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_staff_429_is_the_same_look(client, airport_desk_officer, settings, language):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            "/accounts/login/",
            {"username": "li-desk", "password": "wrong"},
            HTTP_ACCEPT_LANGUAGE=language,
        )
    assert response.status_code == 429
    page = response.content.decode()
    _looks_like_the_staff_app(page, language)
    assert 'href="/accounts/login/"' in page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_staff_500(city, failing_views, airport_desk_officer, signed_in, language):
    client = signed_in(airport_desk_officer)
    client.raise_request_exception = False
    response = _get(client, "/boom/", language)
    assert response.status_code == 500
    page = response.content.decode()
    _looks_like_the_staff_app(page, language)
    assert STAFF[language][500] in page
    # Nothing from the session or the database: no name, no menu, no sign-out.
    assert "li-desk" not in page and 'action="/accounts/logout/"' not in page


def test_the_500_page_needs_no_database(city, failing_views, rf):
    from liaison.core.errors import server_error

    def refuse(execute, sql, params, many, context):
        raise AssertionError(f"the 500 page queried the database: {sql}")

    request = rf.get("/boom/")
    with connection.execute_wrapper(refuse), translation.override("en"):
        response = server_error(request)
    assert response.status_code == 500
    assert "The page could not be shown" in response.content.decode()


@pytest.mark.parametrize("language", ["ko", "ar", "de"])
def test_traveler_404_in_the_travelers_language(client, city, language):
    response = _get(client, "/declare/status/no-such-token/", language)
    assert response.status_code == 404
    page = response.content.decode()
    _looks_like_the_traveler_pages(page, language)
    assert TRAVELER[language][404] in page
    if language == "ar":
        assert 'dir="rtl"' in page


@pytest.mark.parametrize("language", ["ko", "ar", "de"])
def test_traveler_403_for_a_form_without_its_token(city, language):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/declare/", {"surname_latin": "KIM"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    page = response.content.decode()
    _looks_like_the_traveler_pages(page, language)
    assert TRAVELER[language][403] in page


def test_traveler_400(client, city):
    response = _get(client, "/declare/", "ko", HTTP_HOST="evil.example")
    assert response.status_code == 400
    page = response.content.decode()
    _looks_like_the_traveler_pages(page, "ko")
    assert "보낸 내용에 문제가 있습니다" in page


@pytest.mark.parametrize("language", ["ko", "ar", "de"])
def test_traveler_500_in_the_travelers_language(city, failing_views, language):
    client = Client(raise_request_exception=False)
    response = _get(client, "/declare/boom/", language)
    assert response.status_code == 500
    page = response.content.decode()
    _looks_like_the_traveler_pages(page, language)
    assert TRAVELER[language][500] in page


def test_api_paths_answer_in_the_apis_error_shape(client, city):
    response = client.get("/api/v1/no-such-operation", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["errors"][0]["field"] == ""


def test_error_pages_are_wired_in_the_urlconf():
    assert liaison.urls.handler404 == "liaison.core.errors.page_not_found"
    assert liaison.urls.handler500 == "liaison.core.errors.server_error"
    assert liaison.urls.handler400 == "liaison.core.errors.bad_request"
    assert liaison.urls.handler403 == "liaison.core.errors.permission_denied"


def test_a_refused_page_is_still_audited(airport_desk_officer, signed_in):
    signed_in(airport_desk_officer).get("/audit/")
    assert AuditEntry.objects.filter(action="denied").exists()
