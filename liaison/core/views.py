"""Staff shell: sign-in with a second factor, home pages, reference data, audit trail, tokens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login

from liaison.core import audit, selectors, services
from liaison.core.access import Area, navigation_for, public, requires, signed_in
from liaison.core.forms import ApiTokenForm, AuditFilterForm, SecondFactorForm


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
    """django-axes calls this instead of the login view while an account is locked."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    username = str((credentials or {}).get("username", ""))[:150]
    with audit.acting_as(username=username, ip_address=request.META.get("REMOTE_ADDR")):
        audit.record("login_failed", object_type="core.user", note="locked out")
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


@public
class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@signed_in
@second_factor_exempt
class LogoutView(auth_views.LogoutView):
    pass


@public
def set_language(request: HttpRequest) -> HttpResponse:
    return django_set_language(request)


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.role:
        return render(request, "core/no_role.html", status=403)
    return render(request, "core/home.html", {"cards": navigation_for(request.user)})


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
        return redirect(request.GET.get("next") or "core:home")
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


@requires(Area.AUDIT)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    entries = selectors.audit_entries_visible_to(request.user)
    if form.is_valid():
        entries = selectors.filter_audit_entries(entries, **form.cleaned_data)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "core/audit_log.html", {"form": form, "page": page, "query": query.urlencode()}
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
