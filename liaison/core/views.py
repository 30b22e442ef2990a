"""Staff shell: sign-in with a second factor, home pages, reference data, audit trail, tokens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login

from liaison.core import audit, redirects, selectors, services, sign_in_limits, waiting
from liaison.core.access import Area, navigation_for, public, requires, signed_in
from liaison.core.forms import ApiTokenForm, SecondFactorForm


def second_factor_exempt(view):
    """Reachable before the second factor is given: the pages that ask for it, and sign-out."""
    view.second_factor_exempt = True
    return view


@public
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


def locked_out(request: HttpRequest, original_response, credentials) -> HttpResponse:
    """django-axes calls this instead of the login view while an account name is locked.

    Names without an account lock alike, so this page says nothing about whether one exists.
    """
    username = str((credentials or {}).get("username", ""))[:150]
    everywhere = sign_in_limits.account_locked(username)
    if everywhere:
        minutes = sign_in_limits.account_unlocks_in_minutes(username)
    else:
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    with audit.acting_as(username=username, ip_address=request.META.get("REMOTE_ADDR")):
        audit.record(
            "login_failed",
            object_type="core.user",
            note="locked out (account)" if everywhere else "locked out",
        )
    response = render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": minutes, "everywhere": everywhere},
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response


class _NextStaysHere:
    """Django's own ``next`` check, replaced by the one every view of ours uses."""

    def get_redirect_url(self):
        url = self.request.POST.get("next", self.request.GET.get("next", ""))
        return url if redirects.is_safe(self.request, url) else ""


@public
class LoginView(_NextStaysHere, auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@signed_in
@second_factor_exempt
class LogoutView(_NextStaysHere, auth_views.LogoutView):
    pass


@public
def set_language(request: HttpRequest) -> HttpResponse:
    return django_set_language(request)


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.role:
        return render(request, "core/no_role.html", status=403)
    return render(
        request,
        "core/home.html",
        {
            "cards": navigation_for(request.user),
            "waiting": waiting.waiting_for(request.user),
            "unbuilt": waiting.unbuilt_desk(request.user),
            "panels": waiting.panels_for(request.user),
        },
    )


@signed_in
@second_factor_exempt
@never_cache
def second_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the authenticator code; set one up first if the user has none."""
    user = request.user
    if user.is_verified():
        return redirect("core:home")
    device, secret_uri = services.pending_totp_device(user=user)
    form = SecondFactorForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        services.confirm_totp_device(device=device)
        otp_login(request, device)
        return redirect(redirects.safe_next(request, "core:home"))
    return render(
        request,
        "core/second_factor.html",
        {
            "form": form,
            "setting_up": not device.confirmed,
            "qr_svg": selectors.qr_svg(secret_uri) if not device.confirmed else "",
            "secret": services.base32_secret(device) if not device.confirmed else "",
        },
    )


@requires(Area.REFERENCE)
def reference(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/reference.html",
        {
            "jurisdictions": selectors.jurisdictions_visible_to(request.user),
            "sites": selectors.sites_visible_to(request.user),
            "ports": selectors.ports_visible_to(request.user),
        },
    )


@requires(Area.TOKENS)
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        _token, new_secret = services.create_api_token(
            name=form.cleaned_data["name"], user=form.cleaned_data["user"], created_by=request.user
        )
        form = ApiTokenForm()
    return render(
        request,
        "core/api_tokens.html",
        {"form": form, "tokens": selectors.api_tokens_visible_to(request.user), "new": new_secret},
    )


@requires(Area.TOKENS)
@require_POST
def revoke_api_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(selectors.api_tokens_visible_to(request.user), pk=token_id)
    if not token.is_active:
        messages.error(request, _("This token was already revoked."))
    else:
        services.revoke_api_token(token=token)
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("core:api_tokens")
