from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "liaison.retention"
    label = "retention"
    verbose_name = _("Retention of personal data")

    def ready(self):
        from liaison.core.access import Area, NavItem, register_nav

        register_nav(
            NavItem(
                Area.RETENTION,
                _("Retention"),
                "retention:overview",
                _("When personal data is anonymized: rules, legal holds, runs and receipts"),
            ),
            NavItem(
                Area.ARRIVALS_DESK,
                _("Correction requests"),
                "retention:corrections",
                _("Travelers who asked for their data to be corrected"),
            ),
        )
