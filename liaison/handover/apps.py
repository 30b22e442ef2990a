from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoverConfig(AppConfig):
    """From the airport to the district: batches, departure, receipt, the closed-loop board."""

    name = "liaison.handover"
    label = "handover"
    verbose_name = _("Handover")

    def ready(self):
        from liaison.core.access import Area, NavItem, register_nav
        from liaison.core.waiting import register_waiting
        from liaison.handover import waiting

        register_waiting(Area.ARRIVALS_DISPATCH, waiting.dispatch)
        register_waiting(Area.ARRIVALS_RECEIVING, waiting.receiving)
        register_waiting(Area.ARRIVALS_BOARD, waiting.board)

        register_nav(
            NavItem(
                Area.ARRIVALS_DISPATCH,
                _("Dispatch"),
                "handover:dispatch",
                _("Batches to the districts, manifests, departures"),
            ),
            NavItem(
                Area.ARRIVALS_RECEIVING,
                _("Receipt"),
                "handover:receiving",
                _("Batches bound for your jurisdiction, quarantine"),
            ),
            NavItem(
                Area.ARRIVALS_BOARD,
                _("Closed-loop board"),
                "handover:board",
                _("Where every arrival is, per flight and per day"),
            ),
        )
