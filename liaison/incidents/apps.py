from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "liaison.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        from liaison.core.access import Area, NavItem, register_nav
        from liaison.core.waiting import register_waiting
        from liaison.incidents import waiting

        register_waiting(Area.DUTY, waiting.incidents_waiting)
        register_nav(
            NavItem(
                Area.DUTY_READ,
                _("Incidents"),
                "incidents:queue",
                _("Open incidents, their deadlines and escalations; shift handovers"),
            ),
        )
