from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "liaison.agenda"
    label = "agenda"
    verbose_name = _("Calendar")

    def ready(self):
        from liaison.core.access import Area, NavItem, register_nav

        register_nav(
            NavItem(
                Area.CALENDAR,
                _("Calendar"),
                "agenda:calendar",
                _("Upcoming contacts, conferences and commitments due; a feed for your calendar"),
            ),
        )
