"""The desks of the liaison group, one role each (domain.md, "Who uses it")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AIRPORT_DESK = "airport_desk", _("Airport desk officer")
    SAMPLING = "sampling", _("Sampling site staff")
    LAB = "lab", _("Laboratory")
    DISPATCH = "dispatch", _("Dispatch officer")
    DISTRICT_RECEIVING = "district_receiving", _("District receiving officer")
    ASSISTANCE = "assistance", _("Assistance officer")
    LIAISON = "liaison", _("Liaison officer")
    AID = "aid", _("Aid officer")
    EXCHANGES = "exchanges", _("Exchange officer")
    DUTY = "duty", _("Duty officer")
    LEADERSHIP = "leadership", _("Leadership")
    ADMINISTRATOR = "administrator", _("Administrator")
