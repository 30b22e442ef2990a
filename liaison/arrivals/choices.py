"""The fixed answers of the declaration, with labels in every traveler language."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Unspecified")


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    # Residents of Hong Kong, Macao and Taiwan are Chinese nationals entering on their permit
    # (liaison/core/countries.py): these two require nationality CN.
    MAINLAND_TRAVEL_PERMIT_HK_MO = (
        "mainland_travel_permit_hk_mo",
        _("Mainland Travel Permit for Hong Kong and Macao Residents"),
    )
    MAINLAND_TRAVEL_PERMIT_TW = (
        "mainland_travel_permit_tw",
        _("Mainland Travel Permit for Taiwan Residents"),
    )
    CREW_CERTIFICATE = "crew_certificate", _("Crew member certificate")
    OTHER = "other", _("Other travel document")


MAINLAND_TRAVEL_PERMITS = frozenset(
    {DocumentType.MAINLAND_TRAVEL_PERMIT_HK_MO, DocumentType.MAINLAND_TRAVEL_PERMIT_TW}
)


def region_of_permit(document_type: str, document_number: str) -> str:
    """The region of China whose resident holds this permit ("HK", "MO", "TW"), or "": its
    office (Hong Kong's, Macao's) is the one told about them. A Hong Kong permit's number begins
    with H, a Macao one's with M."""
    if document_type == DocumentType.MAINLAND_TRAVEL_PERMIT_TW:
        return "TW"
    if document_type == DocumentType.MAINLAND_TRAVEL_PERMIT_HK_MO:
        return "MO" if (document_number or "").upper().startswith("M") else "HK"
    return ""


def permit_holders_of(region: str) -> Q:
    """The arrivals whose permit makes them residents of ``region``, as ``region_of_permit``
    reads it: a filter on an arrival's document type and number (none for another region)."""
    hk_mo = Q(document_type=DocumentType.MAINLAND_TRAVEL_PERMIT_HK_MO)
    macao = Q(document_number__istartswith="M")
    return {
        "HK": hk_mo & ~macao,
        "MO": hk_mo & macao,
        "TW": Q(document_type=DocumentType.MAINLAND_TRAVEL_PERMIT_TW),
    }.get(region, Q(pk__in=[]))


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
