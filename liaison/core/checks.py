"""System checks that keep a production deployment from starting with its guards off.

``settings.py`` already refuses to load in production with the administrators' second factor
off; these checks also catch a settings module that imports ours and changes it afterwards
(``manage.py check``, ``migrate`` and ``runserver`` run them; ``check --deploy`` in CI).
"""

from django.conf import settings
from django.core.checks import Error, register


@register()
def production_guards(app_configs=None, **kwargs):
    if getattr(settings, "LIAISON_ENV", "local") != "production":
        return []
    problems = []
    if not settings.LIAISON_ADMIN_REQUIRES_2FA:
        problems.append(
            Error(
                "Administrators' second factor is off (LIAISON_ADMIN_REQUIRES_2FA) in production.",
                hint="Unset LIAISON_ADMIN_REQUIRES_2FA: it may be off only for local tests.",
                id="liaison.E001",
            )
        )
    directives = (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get("DIRECTIVES", {})
    script_src = directives.get("script-src") or directives.get("default-src") or []
    if not script_src or "'unsafe-inline'" in script_src or "'unsafe-eval'" in script_src:
        problems.append(
            Error(
                "The Content-Security-Policy lets inline or evaluated script run in production.",
                hint="Keep script-src to 'self' (CONTENT_SECURITY_POLICY in settings).",
                id="liaison.E002",
            )
        )
    if getattr(settings, "OTP_ADMIN_HIDE_SENSITIVE_DATA", False) is not True:
        problems.append(
            Error(
                "django-otp would show TOTP keys in the admin site.",
                hint="Set OTP_ADMIN_HIDE_SENSITIVE_DATA = True.",
                id="liaison.E003",
            )
        )
    return problems
