from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArrivalsConfig(AppConfig):
    name = "liaison.arrivals"
    label = "arrivals"
    verbose_name = _("Arrivals")

    def ready(self) -> None:
        from liaison.core.access import Area, NavItem, register_nav

        register_nav(
            NavItem(
                Area.ARRIVALS_DESK,
                _("Arrivals"),
                "arrivals:list",
                _("Declarations, staff-assisted entry with the passport zone, flight manifests."),
            )
        )
