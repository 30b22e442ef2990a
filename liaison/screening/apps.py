from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    """The airport side after the declaration: screening desk, sampling, laboratory, disposition."""

    name = "liaison.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from liaison.core.access import Area, NavItem, register_nav
        from liaison.core.waiting import register_waiting
        from liaison.screening import reviews, waiting

        register_waiting(Area.ARRIVALS_DESK, waiting.desk)
        register_waiting(Area.ARRIVALS_SAMPLING, waiting.sampling)
        register_waiting(Area.ARRIVALS_LAB, waiting.lab)

        reviews.connect()

        register_nav(
            NavItem(
                Area.ARRIVALS_DESK,
                _("Screening desk"),
                "screening:desk",
                _("Find a traveler by code, document or name; temperatures; screened."),
            ),
            NavItem(
                Area.ARRIVALS_SAMPLING,
                _("Sampling"),
                "screening:sampling",
                _("Scan the traveler's code and the tube barcode."),
            ),
            NavItem(
                Area.ARRIVALS_LAB,
                _("Laboratory results"),
                "screening:lab",
                _("One result, or a CSV/XLSX file with a preview."),
            ),
        )
