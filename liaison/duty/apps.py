from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "liaison.duty"
    label = "duty"
    verbose_name = _("Duty desk")

    def ready(self):
        from liaison.core.access import Area, NavItem, register_nav
        from liaison.core.waiting import register_panel, register_waiting
        from liaison.duty import waiting

        register_waiting(Area.DUTY, waiting.gaps)
        register_panel(waiting.on_duty_line)

        register_nav(
            NavItem(
                Area.DUTY_READ,
                _("Duty desk"),
                "duty:now",
                _("The roster, who is on duty now, language coverage, the duty log"),
            ),
        )
