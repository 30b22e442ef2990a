from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    """The airport side after the declaration: screening desk, sampling, laboratory, disposition."""

    name = "liaison.screening"
    label = "screening"
    verbose_name = _("Screening")
