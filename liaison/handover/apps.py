from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoverConfig(AppConfig):
    """From the airport to the district: batches, departure, receipt, the closed-loop board."""

    name = "liaison.handover"
    label = "handover"
    verbose_name = _("Handover")
