from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadershipConfig(AppConfig):
    name = "liaison.leadership"
    label = "leadership"
    verbose_name = _("Leadership")

    def ready(self):
        from liaison.core.access import Area, NavItem, register_nav
        from liaison.core.waiting import register_panel, register_waiting
        from liaison.leadership import waiting

        register_panel(waiting.situation_panel)
        register_waiting(Area.BRIEFING_APPROVE, waiting.briefings_waiting)
        register_nav(
            NavItem(
                Area.LEADERSHIP,
                _("Dashboard"),
                "leadership:dashboard",
                _("Every desk for the day and the last 14 days"),
            ),
            NavItem(
                Area.LEADERSHIP,
                _("Daily briefings"),
                "leadership:briefings",
                _("The daily briefing (日报): drafted, approved, frozen; past ones compared"),
            ),
        )
