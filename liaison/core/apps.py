from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CoreConfig(AppConfig):
    name = "liaison.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from liaison.core import (  # noqa: F401  (connect the audit receivers, register checks)
            audit,
            checks,
            lookups,
            waiting_admin,
        )
        from liaison.core.access import Area, NavItem, register_nav
        from liaison.core.waiting import register_waiting

        lookups.register()

        register_waiting(Area.ADMIN, waiting_admin.accounts)
        register_waiting(Area.TOKENS, waiting_admin.tokens)

        register_nav(
            NavItem(Area.HOME, _("Home"), "core:home"),
            NavItem(
                Area.REFERENCE,
                _("Reference data"),
                "core:reference",
                _("Jurisdictions, ports of entry and designated sites"),
            ),
            NavItem(Area.AUDIT, _("Audit trail"), "core:audit_log", _("Who did what, and when")),
            NavItem(
                Area.TOKENS, _("API tokens"), "core:api_tokens", _("Tokens for laboratory systems")
            ),
            NavItem(Area.API_DOCS, _("API docs"), "api:openapi-view", _("The REST API")),
            NavItem(
                Area.ADMIN,
                pgettext_lazy("menu", "Administration"),
                "admin:index",
                _("Users, roles, sites"),
            ),
        )
