"""Forms of the directory pages. They check shapes; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.core import countries
from liaison.core.models import Jurisdiction
from liaison.directory.models import Organization, OrganizationKind, Person
from liaison.directory.search import MAX_QUERY

ACTIVE_CHOICES = [("yes", _("Active")), ("no", _("Inactive")), ("all", _("All"))]


def _kind_choices():
    return [("", "—"), *OrganizationKind.choices]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name (any script)"), required=False, max_length=MAX_QUERY)
    kind = forms.ChoiceField(label=_("Type"), choices=_kind_choices, required=False)
    country = forms.ChoiceField(
        label=_("Country or region"), choices=countries.place_choices, required=False
    )
    active = forms.ChoiceField(label=_("Status"), choices=ACTIVE_CHOICES, required=False)


class ServingForm(forms.Form):
    # The directory also has the offices of Hong Kong and Macao, serving their residents.
    nationality = forms.ChoiceField(label=_("Nationality"), choices=countries.place_choices)
    jurisdiction = forms.ModelChoiceField(
        label=_("Jurisdiction"), queryset=Jurisdiction.objects.filter(active=True), required=False
    )


class LanguagesField(forms.CharField):
    """Language codes, space or comma separated ("ko en")."""

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [code for code in text.replace(",", " ").split() if code][:10]

    def prepare_value(self, value):
        return " ".join(value) if isinstance(value, list) else value


def _reason_field():
    # Kept in the record's history with the change; optional, as a phone number's fix needs none.
    return forms.CharField(
        label=_("Reason for the change (optional)"), required=False, max_length=500
    )


class OrganizationForm(forms.ModelForm):
    languages = LanguagesField(label=_("Languages of correspondence"), required=False)
    reason = _reason_field()
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = [
            "code",
            "kind",
            "name_zh",
            "name_en",
            "name_native",
            "country",
            "city",
            "parent",
            "address_zh",
            "address_en",
            "phone",
            "duty_phone",
            "email",
            "website",
            "languages",
            "since",
            "until",
            "notes",
            "active",
        ]
        widgets = {
            "since": forms.DateInput(attrs={"type": "date"}),
            "until": forms.DateInput(attrs={"type": "date"}),
        }


class PersonForm(forms.ModelForm):
    languages = LanguagesField(label=_("Languages"), required=False)
    reason = _reason_field()

    class Meta:
        model = Person
        fields = [
            "name_native",
            "name_latin",
            "name_zh",
            "title_zh",
            "title_en",
            "languages",
            "phone",
            "mobile",
            "email",
            "accreditation",
            "accreditation_number",
            "since",
            "until",
            "notes",
        ]
        widgets = {
            "since": forms.DateInput(attrs={"type": "date"}),
            "until": forms.DateInput(attrs={"type": "date"}),
        }
