"""Form fields of a place and of a nationality, from the one list (``liaison.core.countries``):
the declaration, the staff's forms and the assistance desk use them, so every form offers the
same names in the reader's language and refuses the same codes with the same words.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from liaison.core import countries


class CountryChoiceField(forms.ChoiceField):
    """A place (a country or region of ISO 3166, Taiwan, Hong Kong and Macao included), by its
    name in the reader's language and order (``liaison.core.countries``)."""

    def __init__(self, **kwargs):
        super().__init__(choices=countries.place_choices, **kwargs)
        self.error_messages["invalid_choice"] = _("Choose a country or region from the list.")

    def valid_value(self, value):
        # A lookup, not a walk through the translated choices.
        return countries.is_place(value)


class NationalityChoiceField(CountryChoiceField):
    """A nationality: a country, not one of the regions of China, whose residents declare
    China with their own travel document (``countries.REGION_NOT_A_NATIONALITY``)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.choices = countries.nationality_choices

    def validate(self, value):
        if value in countries.REGIONS_OF_CHINA:
            raise ValidationError(countries.REGION_NOT_A_NATIONALITY, code="region_of_china")
        super().validate(value)

    def valid_value(self, value):
        return countries.is_nationality(value)
