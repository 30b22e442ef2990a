"""The Content-Security-Policy built once (liaison.core.content_policy) says what django-csp
would say, follows the settings, and leaves nonces and per-view policies to django-csp."""

from csp.constants import NONCE
from csp.decorators import csp_exempt, csp_update
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from liaison.core.content_policy import CSPMiddleware

HEADER = "Content-Security-Policy"
WITH_NONCES = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
STRICTER = {"DIRECTIVES": {"default-src": ["'none'"], "img-src": ["'self'"]}}


def _through(middleware_class, view, path="/declare/"):
    request = RequestFactory().get(path)
    return middleware_class(view)(request)


def _directives(response) -> dict[str, str]:
    # django-csp orders the directives as a set does: by the process's string hashes.
    parts = (part.strip().split(" ", 1) for part in response[HEADER].split(";"))
    return dict(parts)


def _page(request):
    return HttpResponse("page")


def test_the_header_is_the_one_django_csp_builds():
    ours, theirs = _through(CSPMiddleware, _page), _through(DjangoCSPMiddleware, _page)
    assert ours[HEADER] == theirs[HEADER]
    assert "script-src 'self'" in ours[HEADER] and "frame-ancestors 'none'" in ours[HEADER]
    assert "Content-Security-Policy-Report-Only" not in ours


def test_the_header_follows_the_settings():
    before = _through(CSPMiddleware, _page)[HEADER]
    with override_settings(CONTENT_SECURITY_POLICY=STRICTER):
        during = _through(CSPMiddleware, _page)[HEADER]
        assert during == _through(DjangoCSPMiddleware, _page)[HEADER]
        assert "default-src 'none'" in during and "script-src" not in during
    assert _through(CSPMiddleware, _page)[HEADER] == before


def test_a_report_only_policy_is_sent_too():
    policy = {"DIRECTIVES": {"default-src": ["'self'"], "report-uri": "/csp-report"}}
    with override_settings(CONTENT_SECURITY_POLICY_REPORT_ONLY=policy):
        response = _through(CSPMiddleware, _page)
        expected = _through(DjangoCSPMiddleware, _page)
    assert (
        response["Content-Security-Policy-Report-Only"]
        == (expected["Content-Security-Policy-Report-Only"])
    )
    assert "report-uri /csp-report" in response["Content-Security-Policy-Report-Only"]


def test_a_nonce_asked_for_is_in_the_header():
    def page_with_a_nonce(request):
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

    with override_settings(CONTENT_SECURITY_POLICY=WITH_NONCES):
        response = _through(CSPMiddleware, page_with_a_nonce)
        nonce = response.content.decode().split("'")[1]
        assert len(nonce) >= 16
        assert _directives(response) == {
            "default-src": "'self'",
            "script-src": f"'self' 'nonce-{nonce}'",
        }
        # The next page, which asks for none, gets the settings' header without that nonce.
        assert _directives(_through(CSPMiddleware, _page)) == {
            "default-src": "'self'",
            "script-src": "'self'",
        }


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error():
    request = RequestFactory().get("/declare/")
    CSPMiddleware(_page)(request)
    try:
        str(request.csp_nonce)
    except Exception as error:  # django-csp's CSPNonceError
        assert "nonce" in str(error).lower()
    else:
        raise AssertionError("a nonce after the header was written must be refused")


def test_per_view_policies_and_exemptions_still_apply():
    updated = _through(CSPMiddleware, csp_update({"img-src": "https://maps.example"})(_page))
    assert "https://maps.example" in updated[HEADER]
    assert "https://maps.example" not in _through(CSPMiddleware, _page)[HEADER]
    assert HEADER not in _through(CSPMiddleware, csp_exempt()(_page))


def test_a_header_the_view_set_itself_is_kept():
    def own(request):
        response = HttpResponse("x")
        response[HEADER] = "default-src 'none'"
        return response

    assert _through(CSPMiddleware, own)[HEADER] == "default-src 'none'"


def test_both_middleware_chains_use_it():
    from liaison.handlers import INTAKE_MIDDLEWARE

    name = "liaison.core.content_policy.CSPMiddleware"
    assert name in settings.MIDDLEWARE and name in INTAKE_MIDDLEWARE
    assert "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE + INTAKE_MIDDLEWARE
