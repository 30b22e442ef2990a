"""Forms of the aid desk's pages. They check shapes; the services check the rules.

Several lines without JavaScript: formsets with a few empty rows; a row left empty is no row.
Quantities are typed as text so that a fraction or a negative number reaches the service's
own, clearer refusal instead of the browser's.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from liaison.aid.models import CertificateKind, Direction, DonationStatus, Item, Unit
from liaison.aid.services import LineIn
from liaison.aid.shipping import ReceivedIn, ShippedIn
from liaison.core.models import Jurisdiction, Site
from liaison.core.params import validate_years
from liaison.directory.models import Organization

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label, required=True):
    return forms.DateField(
        label=label, required=required, widget=DATE_INPUT, validators=[validate_years]
    )


def organizations():
    return Organization.objects.filter(active=True).order_by("country", "kind", "code")


class OrganizationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.country.code})" if obj.country else obj.name


class DonationFilterForm(forms.Form):
    direction = forms.ChoiceField(
        choices=[("", "—"), *Direction.choices], required=False, label=_("Direction")
    )
    status = forms.ChoiceField(
        choices=[("", "—"), *DonationStatus.choices], required=False, label=_("Status")
    )
    country = forms.ChoiceField(required=False, label=_("Country or region"))
    item = forms.ModelChoiceField(Item.objects.all(), required=False, label=_("Item"))
    since = _date(_("Pledged from"), required=False)
    until = _date(_("Pledged to"), required=False)
    donor = OrganizationChoice(organizations(), required=False, label=_("Donor"))
    recipient = OrganizationChoice(organizations(), required=False, label=_("Recipient"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *countries]
        self.fields["donor"].queryset = organizations()
        self.fields["recipient"].queryset = organizations()


class DonationForm(forms.Form):
    donor = OrganizationChoice(organizations(), label=_("Donor"))
    recipient = OrganizationChoice(organizations(), label=_("Recipient"))
    occasion = forms.CharField(label=_("Occasion"), max_length=300)
    pledged_on = _date(_("Pledged on"))
    estimated_value = forms.CharField(label=_("Estimated value"), required=False, max_length=20)
    currency = forms.CharField(
        label=_("Currency"), required=False, max_length=3, help_text=_("ISO 4217: CNY, EUR, USD…")
    )
    donor_may_be_named = forms.BooleanField(
        label=_("The donor consents to be named in public"), required=False
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor"].queryset = organizations()
        self.fields["recipient"].queryset = organizations()


class CorrectionForm(forms.Form):
    occasion = forms.CharField(label=_("Occasion"), max_length=300)
    pledged_on = _date(_("Pledged on"))
    estimated_value = forms.CharField(label=_("Estimated value"), required=False, max_length=20)
    currency = forms.CharField(label=_("Currency"), required=False, max_length=3)
    donor_may_be_named = forms.BooleanField(
        label=_("The donor consents to be named in public"), required=False
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea)
    reason = forms.CharField(label=_("Why it is corrected"), widget=forms.Textarea)


def _unit_choices():
    return [("", _("the item's unit")), *Unit.choices]


class LineForm(forms.Form):
    item = forms.ModelChoiceField(Item.objects.filter(active=True), required=False, label=_("Item"))
    quantity = forms.CharField(label=_("Quantity"), required=False, max_length=20)
    unit = forms.ChoiceField(choices=_unit_choices, required=False, label=_("Counted in"))

    def line(self) -> LineIn | None:
        data = self.cleaned_data
        if not data.get("item") and not (data.get("quantity") or "").strip():
            return None
        return LineIn(
            item=data["item"].pk if data.get("item") else None,
            quantity=data.get("quantity"),
            unit=data.get("unit") or "",
        )


LineFormSet = forms.formset_factory(LineForm, extra=4, max_num=50, validate_max=True)


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=DonationStatus.choices, label=_("New status"))
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BatchForm(forms.Form):
    sent_on = _date(_("Sent on"))
    expected_on = _date(_("Expected"), required=False)
    waybill = forms.CharField(label=_("Waybill"), required=False, max_length=80)
    carrier = forms.CharField(label=_("Carrier"), required=False, max_length=200)
    route = forms.CharField(label=_("Route or flight"), required=False, max_length=200)
    consignee = OrganizationChoice(
        organizations(),
        required=False,
        label=_("Addressed to"),
        help_text=_("When the batch is for a part of the recipient, e.g. a sister city."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consignee"].queryset = organizations()


class ShipLineForm(forms.Form):
    """One donation line in a batch: the page gives ``line`` as initial data."""

    line = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    quantity = forms.CharField(label=_("Quantity"), required=False, max_length=20)
    unit = forms.ChoiceField(choices=_unit_choices, required=False, label=_("Counted in"))

    def shipped(self) -> ShippedIn | None:
        data = self.cleaned_data
        if not (data.get("quantity") or "").strip():
            return None
        return ShippedIn(line=data["line"], quantity=data["quantity"], unit=data.get("unit") or "")


ShipLineFormSet = forms.formset_factory(ShipLineForm, extra=0, max_num=50, validate_max=True)


class ReceiptForm(forms.Form):
    arrived_on = _date(_("Arrived on"))


class ReceiveLineForm(forms.Form):
    line = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    accepted = forms.CharField(label=_("Accepted"), max_length=20)
    rejected = forms.CharField(label=_("Rejected"), required=False, max_length=20)
    reason = forms.CharField(
        label=_("Why rejected"), required=False, widget=forms.Textarea(attrs={"rows": 1})
    )

    def received(self) -> ReceivedIn:
        data = self.cleaned_data
        return ReceivedIn(
            line=data["line"],
            accepted=data["accepted"],
            rejected=(data.get("rejected") or "").strip() or 0,
            reason=data.get("reason") or "",
        )


ReceiveLineFormSet = forms.formset_factory(ReceiveLineForm, extra=0, max_num=50, validate_max=True)


class SiteChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.get_kind_display()}"


class AllocationForm(forms.Form):
    line = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    units = forms.CharField(label=_("Units"), max_length=20)
    site = SiteChoice(
        Site.objects.filter(active=True), required=False, label=_("Hospital or quarantine site")
    )
    jurisdiction = forms.ModelChoiceField(
        Jurisdiction.objects.filter(active=True), required=False, label=_("or a district")
    )
    allocated_on = _date(_("Allocated on"))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class LotForm(forms.Form):
    item = forms.ModelChoiceField(Item.objects.filter(active=True), label=_("Item"))
    number = forms.CharField(label=_("Lot number"), max_length=80)
    manufacturer = forms.CharField(label=_("Manufacturer"), required=False, max_length=200)
    expires_on = _date(_("Expires"), required=False)


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(choices=CertificateKind.choices, label=_("Certificate"))
    number = forms.CharField(label=_("Certificate number"), required=False, max_length=120)
    file = forms.FileField(label=_("File (PDF or image)"))
