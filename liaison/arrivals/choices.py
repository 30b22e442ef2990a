"""The fixed answers of the declaration, with labels in every traveler language."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Unspecified")


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    TRAVEL_PERMIT = "travel_permit", _("Travel permit (Hong Kong, Macao, Taiwan)")
    CREW_CERTIFICATE = "crew_certificate", _("Crew member certificate")
    OTHER = "other", _("Other travel document")


class Category(models.TextChoices):
    TOURIST = "tourist", _("Tourist")
    BUSINESS = "business", _("Business")
    STUDENT = "student", _("Student")
    RETURNING_RESIDENT = "returning_resident", _("Returning resident")
    CREW = "crew", _("Crew")
    DIPLOMAT = "diplomat", _("Diplomat")
    CONSULAR = "consular", _("Consular staff")


class DestinationKind(models.TextChoices):
    CITY = "city", _("I am staying in the city")
    ONWARD = "onward", _("I am travelling on to another place")


class Source(models.TextChoices):
    SELF = "self", _("Self-declared (form)")
    STAFF = "staff", _("Entered by staff")
    API = "api", _("API")
