from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "liaison.aid"
    label = "aid"
    verbose_name = _("Aid desk")

    def ready(self):
        from liaison.aid import waiting
        from liaison.core.access import Area, NavItem, register_nav
        from liaison.core.waiting import register_waiting

        register_waiting(Area.AID, waiting.aid_desk)
        register_nav(
            NavItem(
                Area.AID_READ,
                _("Donations"),
                "aid:queue",
                _("Donations out and in: items, batches, receipt, allocation to the last unit"),
            ),
        )
