"""The item catalogue (issue 15, point 2): what a donation may hold, counted in units.

An ``Item`` is a kind of goods with its standard and its unit (a mask is counted in pieces,
gloves in pairs, test kits in kits). A ``PackSize`` says how many units one pack holds (a box of
50 masks), so a quantity entered in packs converts to units; quantities are never stored in
packs. Items that filter alike share an ``equivalence`` group (FFP2 ≈ KN95 ≈ N95 ≈ KF94), shown
beside each other. A ``Lot`` is one manufacturer's lot of an item, with its expiry and its
certificates (CE, FDA EUA, NMPA…) attached as files.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.models import BilingualName
from liaison.core.tracking import AuditedModel


class Unit(models.TextChoices):
    PIECE = "piece", _("piece")
    PAIR = "pair", _("pair")
    KIT = "kit", _("kit")
    SET = "set", _("set")
    DEVICE = "device", _("device")
    BOX = "box", _("box")
    CARTON = "carton", _("carton")


class Category(models.TextChoices):
    RESPIRATOR = "respirator", _("Respirator mask")
    SURGICAL_MASK = "surgical_mask", _("Surgical mask")
    GLOVES = "gloves", _("Gloves")
    GOWN = "gown", _("Protective gown")
    GOGGLES = "goggles", _("Goggles")
    FACE_SHIELD = "face_shield", _("Face shield")
    TEST_KIT = "test_kit", _("Test kit")
    THERMOMETER = "thermometer", _("Thermometer")
    VENTILATOR = "ventilator", _("Ventilator")


class Equivalence(models.TextChoices):
    """Items of one group may stand for each other (for filtration, not for certification)."""

    NONE = "", _("None")
    FILTERING_95 = (
        "filtering_95",
        _("Filter alike (94–95 per cent of particles or more): FFP2 ≈ KN95 ≈ N95 ≈ KF94"),
    )


class Item(AuditedModel, BilingualName):
    code = models.CharField(_("code"), max_length=40, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    # The standard it is made to, as written on it: "EN 149:2001+A1:2009 FFP2".
    standard = models.CharField(_("standard"), max_length=200, blank=True)
    equivalence = models.CharField(
        _("equivalent to"), max_length=20, choices=Equivalence.choices, blank=True
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def equivalents(self):
        """The other items that filter alike (empty when it has no group)."""
        if not self.equivalence:
            return Item.objects.none()
        return Item.objects.filter(equivalence=self.equivalence).exclude(pk=self.pk)


class PackSize(models.Model):
    """One pack of an item: ``units`` of the item's unit in a ``unit`` (box, carton)."""

    item = models.ForeignKey(Item, models.CASCADE, related_name="packs")
    unit = models.CharField(_("pack"), max_length=10, choices=Unit.choices)
    units = models.PositiveIntegerField(_("units per pack"))

    class Meta:
        ordering = ["item", "units"]
        constraints = [
            models.UniqueConstraint(fields=["item", "unit"], name="aid_pack_once"),
            models.CheckConstraint(condition=Q(units__gt=1), name="aid_pack_more_than_one"),
        ]

    def __str__(self) -> str:
        return f"{self.get_unit_display()} × {self.units}"


class Lot(AuditedModel):
    item = models.ForeignKey(Item, models.PROTECT, related_name="lots", verbose_name=_("item"))
    number = models.CharField(_("lot number"), max_length=80)
    manufacturer = models.CharField(_("manufacturer"), max_length=200, blank=True)
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "number"]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        constraints = [
            models.UniqueConstraint(fields=["item", "manufacturer", "number"], name="aid_lot_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.number}"


class CertificateKind(models.TextChoices):
    CE = "ce", _("CE marking (EU)")
    FDA_EUA = "fda_eua", _("FDA Emergency Use Authorization (US)")
    FDA_510K = "fda_510k", _("FDA 510(k) clearance (US)")
    NIOSH = "niosh", _("NIOSH approval (US)")
    NMPA = "nmpa", _("NMPA registration (China)")
    MFDS = "mfds", _("MFDS approval (Korea)")
    TEST_REPORT = "test_report", _("Test report")
    OTHER = "other", _("Other certificate")


class Certificate(models.Model):
    """A lot's certificate, as a file (a PDF or an image, checked by its content)."""

    lot = models.ForeignKey(Lot, models.PROTECT, related_name="certificates")
    kind = models.CharField(_("certificate"), max_length=20, choices=CertificateKind.choices)
    number = models.CharField(_("certificate number"), max_length=120, blank=True)
    file = models.FileField(_("file"), upload_to="aid/certificates/%Y/%m/")
    file_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["lot", "uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()
