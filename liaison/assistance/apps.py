from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "liaison.assistance"
    label = "assistance"
    verbose_name = _("Assistance")

    def ready(self):
        from liaison.assistance import waiting
        from liaison.core.access import Area, NavItem, register_nav
        from liaison.core.waiting import register_waiting

        register_waiting(Area.ASSISTANCE, waiting.cases)
        register_waiting(Area.MISSIONS, waiting.notifications)

        register_nav(
            NavItem(
                Area.ASSISTANCE,
                _("Assistance cases"),
                "assistance:cases",
                _("Citizens abroad, foreigners and Hong Kong/Macao/Taiwan residents here"),
            ),
            NavItem(
                Area.MISSIONS,
                _("Consular notifications"),
                "assistance:notifications",
                _("Drafts to review, sent notifications awaiting acknowledgement"),
            ),
        )
