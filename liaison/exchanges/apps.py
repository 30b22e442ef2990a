from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    name = "liaison.exchanges"
    label = "exchanges"
    verbose_name = _("Expert exchanges")

    def ready(self):
        from liaison.core.access import Area, NavItem, register_nav
        from liaison.core.waiting import register_waiting
        from liaison.exchanges import waiting

        register_waiting(Area.EXCHANGES, waiting.conferences)
        register_nav(
            NavItem(
                Area.EXCHANGES_READ,
                _("Expert exchanges"),
                "exchanges:conferences",
                _("Video conferences with foreign experts: participants, Q&A, materials, minutes"),
            ),
        )
