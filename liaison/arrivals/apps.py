from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArrivalsConfig(AppConfig):
    name = "liaison.arrivals"
    label = "arrivals"
    verbose_name = _("Arrivals")

    def ready(self) -> None:
        from liaison.arrivals import waiting
        from liaison.arrivals.services import connect_cache_invalidation
        from liaison.core.access import Area, NavItem, register_nav
        from liaison.core.waiting import register_waiting

        register_waiting(Area.ARRIVALS_DESK, waiting.desk)

        connect_cache_invalidation()

        register_nav(
            NavItem(
                Area.ARRIVALS_DESK,
                _("Arrivals"),
                "arrivals:list",
                _("Declarations, staff-assisted entry with the passport zone, flight manifests."),
            )
        )
