"""The health declaration's form: its fields, the main form and the two row formsets
(history, transits), shared by the public form, the staff form and, through
``liaison.arrivals.declaration_input``, the API. Messages are Django-translated, so a traveler
reads them in the language of the page or of the Accept-Language header.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.arrivals import mrz as mrz_reader
from liaison.arrivals.choices import MAINLAND_TRAVEL_PERMITS
from liaison.arrivals.models import Category, DestinationKind, DocumentType, Sex
from liaison.arrivals.reference_cache import active_jurisdictions
from liaison.core import countries
from liaison.core.country_fields import CountryChoiceField, NationalityChoiceField
from liaison.core.normalize import document_number, flight_number, phone_e164
from liaison.core.params import validate_years

HISTORY_DAYS = 14
MAX_HISTORY_ROWS = 30
MAX_TRANSIT_ROWS = 10
# A declaration made days ahead is fine; one for next year is a typo.
ARRIVAL_DAYS_BEFORE = 3
ARRIVAL_DAYS_AHEAD = 14

SYMPTOMS = [
    ("fever", _("Fever")),
    ("cough", _("Cough")),
    ("sore_throat", _("Sore throat")),
    ("breathing", _("Difficulty breathing")),
    ("fatigue", _("Fatigue or muscle pain")),
    ("diarrhoea", _("Diarrhoea")),
    ("smell_taste", _("Loss of smell or taste")),
]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]

_LATIN_EXTRA = set(" -'.")
_DOCUMENT = re.compile(r"^[A-Z0-9]{5,20}$")
_PASSPORT = re.compile(r"^[A-Z0-9]{5,9}$")
_FLIGHT = re.compile(r"^(?:[A-Z0-9]{2}|[A-Z]{3})[0-9]{1,4}[A-Z]?$")
SEAT = re.compile(r"^[0-9]{1,3}[A-L]$")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def today() -> date:
    return timezone.localdate()


def _no_control_characters(value: str) -> None:
    if any(unicodedata.category(c)[0] == "C" for c in value):
        raise ValidationError(_("Remove the invisible control characters from this field."))


def _latin_letters(value: str) -> None:
    for char in value:
        if char in _LATIN_EXTRA:
            continue
        if not (char.isalpha() and unicodedata.name(char, "").startswith("LATIN")):
            raise ValidationError(
                _("Write this name in Latin letters (A–Z), as in your passport."),
                code="latin",
            )


def _jurisdiction_choices():
    return [("", "—")] + [(code, j.name) for code, j in active_jurisdictions().items()]


class JurisdictionChoiceField(forms.ChoiceField):
    """An active jurisdiction of the city, by code, listed by name in the reader's language."""

    def __init__(self, **kwargs):
        super().__init__(choices=_jurisdiction_choices, **kwargs)

    def valid_value(self, value):
        # A lookup, not a walk through the translated choices.
        return value in active_jurisdictions()


class IsoDateField(forms.DateField):
    """A date field that reads ISO 8601 (what a date input and the API send) without strptime,
    and any other input format the way Django's DateField does."""

    def to_python(self, value):
        if isinstance(value, str) and _ISO_DATE.match(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        return super().to_python(value)


class _SharedFields(dict):
    """A form class's fields, which every instance uses as they are instead of a deep copy."""

    def __deepcopy__(self, memo):
        return self


class _SharedFieldsMetaclass(forms.forms.DeclarativeFieldsMetaclass):
    def __new__(mcs, name, bases, attrs):
        cls = super().__new__(mcs, name, bases, attrs)
        cls.base_fields = _SharedFields(cls.base_fields)
        return cls


class SharedFieldsForm(forms.BaseForm, metaclass=_SharedFieldsMetaclass):
    """A form whose instances share the class's field objects.

    Django deep-copies every field for every form instance so that an instance may change its
    own fields. The declaration's forms never do, and a declaration binds eight of them (the
    form and one per history and transit row): the copies were about 40% of its validation time.
    Nothing may change ``self.fields`` on these forms; a test checks that they stay shared.

    Validation also reads each field's value straight from the data instead of building a bound
    field (Django's own ``_clean_fields`` makes one per field, per form, to validate).
    """

    def _clean_fields(self):
        for name, field in self.fields.items():
            try:
                self.cleaned_data[name] = self._clean_field(name, field)
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except ValidationError as error:
                self.add_error(name, error)

    def _clean_field(self, name, field):
        if field.disabled or isinstance(field, forms.FileField):
            return field._clean_bound_field(self[name])  # needs the bound field's initial value
        return field.clean(
            field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        )

    def has_changed(self):
        """Whether any field differs from its initial value, as Django's ``has_changed``
        decides it, without a bound field per field (a row left empty is skipped by this)."""
        return any(self._field_has_changed(name, field) for name, field in self.fields.items())

    def _field_has_changed(self, name, field):
        if field.show_hidden_initial or isinstance(field, forms.FileField):
            return self[name]._has_changed()  # needs the bound field's hidden initial value
        data = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        return field.has_changed(self.get_initial_for_field(field, name), data)


class DeclarationForm(SharedFieldsForm):
    mrz = forms.CharField(
        label=_("Passport machine-readable zone (MRZ)"),
        help_text=_("Optional: the two lines of 44 characters at the bottom of the photo page."),
        required=False,
        max_length=100,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off", "spellcheck": "false"}),
    )
    surname_native = forms.CharField(
        label=_("Surname in your own script"),
        help_text=_("As you write it, e.g. 김 or Иванов. Leave empty if it is in Latin letters."),
        required=False,
        max_length=100,
        validators=[_no_control_characters],
    )
    given_names_native = forms.CharField(
        label=_("Given names in your own script"),
        required=False,
        max_length=100,
        validators=[_no_control_characters],
    )
    surname_latin = forms.CharField(
        label=_("Surname in Latin letters"),
        help_text=_("As in your passport."),
        max_length=100,
        validators=[_latin_letters],
    )
    given_names_latin = forms.CharField(
        label=_("Given names in Latin letters"),
        required=False,
        max_length=100,
        validators=[_latin_letters],
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    date_of_birth = IsoDateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    nationality = NationalityChoiceField(label=_("Nationality"))
    document_type = forms.ChoiceField(label=_("Travel document"), choices=DocumentType.choices)
    document_number = forms.CharField(label=_("Document number"), max_length=30)
    phone = forms.CharField(
        label=_("Phone number"),
        help_text=_("With the country code, e.g. +82 10 1234 5678."),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)
    flight_number = forms.CharField(
        label=_("Flight number"), help_text=_("e.g. KE 147"), max_length=10
    )
    seat = forms.CharField(label=_("Seat"), required=False, max_length=5)
    arrival_date = IsoDateField(
        label=_("Date of arrival"), widget=forms.DateInput(attrs={"type": "date"})
    )
    category = forms.ChoiceField(label=_("You travel as"), choices=Category.choices)
    accreditation_number = forms.CharField(
        label=_("Accreditation number"),
        help_text=_("Diplomats and consular staff only."),
        required=False,
        max_length=40,
        validators=[_no_control_characters],
    )
    purpose = forms.CharField(
        label=_("Purpose of travel"),
        required=False,
        max_length=200,
        validators=[_no_control_characters],
    )
    symptoms = forms.MultipleChoiceField(
        label=_("Symptoms in the last 14 days"),
        help_text=_("Tick every one you had. Leave all empty if none."),
        choices=SYMPTOMS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_with_cases = forms.ChoiceField(
        label=_("Contact with a confirmed or suspected case in the last 14 days"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    pregnant = forms.BooleanField(label=_("I am pregnant"), required=False)
    severe_condition = forms.BooleanField(
        label=_("I have a severe or chronic illness"), required=False
    )
    unaccompanied_minor = forms.BooleanField(
        label=_("I am under 18 and travelling alone"), required=False
    )
    destination_kind = forms.ChoiceField(
        label=_("After arrival"), choices=DestinationKind.choices, widget=forms.RadioSelect
    )
    jurisdiction = JurisdictionChoiceField(
        label=_("District or county of your stay"), required=False
    )
    address = forms.CharField(
        label=_("Address of your stay"),
        required=False,
        max_length=300,
        validators=[_no_control_characters],
    )
    onward_destination = forms.CharField(
        label=_("Onward destination"),
        help_text=_("City and country you travel on to."),
        required=False,
        max_length=200,
        validators=[_no_control_characters],
    )
    onward_departure = forms.DateTimeField(
        label=_("Onward departure (date and time)"),
        required=False,
        validators=[validate_years],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I declare that this information is true and complete. I know that a false "
            "declaration is punishable by law, and I agree that it is used for epidemic control."
        ),
        error_messages={"required": _("Please confirm the declaration to send it.")},
    )

    def clean_mrz(self) -> str:
        text = self.cleaned_data["mrz"]
        if not text.strip():
            return ""
        try:
            zone = mrz_reader.parse(text)
        except mrz_reader.MrzError:
            raise ValidationError(
                _("This is not a passport zone: it must be two lines of 44 characters."),
                code="mrz_format",
            ) from None
        if zone.bad_check_digits:
            names = {
                "document_number": _("document number"),
                "birth_date": _("date of birth"),
                "expiry_date": _("expiry date"),
                "optional_data": _("optional data"),
                "composite": _("whole zone"),
            }
            raise ValidationError(
                _("Wrong check digit (%(what)s): please look for a typo in the zone."),
                code="mrz_check_digit",
                params={"what": ", ".join(str(names[b]) for b in zone.bad_check_digits)},
            )
        self.zone = zone
        return "\n".join(mrz_reader.normalise(text))

    def clean_date_of_birth(self) -> date:
        born = self.cleaned_data["date_of_birth"]
        if born > today():
            raise ValidationError(_("The date of birth cannot be in the future."))
        if born.year < 1900:
            raise ValidationError(_("Check the year of birth."))
        return born

    def clean_document_number(self) -> str:
        number = document_number(self.cleaned_data["document_number"])
        if not _DOCUMENT.match(number):
            raise ValidationError(
                _("A document number has 5 to 20 letters (A–Z) and digits."), code="document"
            )
        return number

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"]
        message = _("Enter a phone number with its country code, e.g. +82 10 1234 5678.")
        # A national number is read as one of the traveler's country ("010-…" from Korea).
        number = phone_e164(raw, region=str(self.data.get("nationality") or "")[:2] or None)
        if number is None:
            raise ValidationError(message, code="phone")
        return number

    def clean_flight_number(self) -> str:
        number = flight_number(self.cleaned_data["flight_number"])
        if not _FLIGHT.match(number):
            raise ValidationError(_("Enter the flight number as on your ticket, e.g. KE 147."))
        return number

    def clean_seat(self) -> str:
        seat = self.cleaned_data["seat"].replace(" ", "").upper()
        if seat and not SEAT.match(seat):
            raise ValidationError(_("Enter the seat as on your boarding pass, e.g. 32A."))
        return seat

    def clean_arrival_date(self) -> date:
        arrival = self.cleaned_data["arrival_date"]
        now = today()
        if not (
            now - timedelta(days=ARRIVAL_DAYS_BEFORE)
            <= arrival
            <= now + timedelta(days=ARRIVAL_DAYS_AHEAD)
        ):
            raise ValidationError(
                _(
                    "The arrival date must be within %(before)d days before or %(ahead)d days "
                    "after today."
                ),
                params={"before": ARRIVAL_DAYS_BEFORE, "ahead": ARRIVAL_DAYS_AHEAD},
            )
        return arrival

    def clean(self):
        data = super().clean()
        zone = getattr(self, "zone", None)
        if zone is not None:
            number = data.get("document_number")
            if number and number != zone.document_number:
                self.add_error(
                    "document_number",
                    _("The document number differs from the passport's machine-readable zone."),
                )
            born = data.get("date_of_birth")
            if born and zone.birth_date and born != zone.birth_date:
                self.add_error(
                    "date_of_birth",
                    _("The date of birth differs from the passport's machine-readable zone."),
                )
        if (
            data.get("document_type") in MAINLAND_TRAVEL_PERMITS
            and data.get("nationality")
            and data["nationality"] != countries.HOME_COUNTRY
        ):
            self.add_error(
                "nationality",
                _(
                    "A Mainland Travel Permit is held by Chinese nationals only: choose China "
                    "as the nationality."
                ),
            )
        number = data.get("document_number")
        is_passport = data.get("document_type") == DocumentType.PASSPORT
        if is_passport and number and not _PASSPORT.match(number):
            self.add_error(
                "document_number", _("A passport number has 5 to 9 letters (A–Z) and digits.")
            )
        if (
            data.get("category") in {Category.DIPLOMAT, Category.CONSULAR}
            and not data.get("accreditation_number", "").strip()
        ):
            self.add_error(
                "accreditation_number",
                _("Diplomats and consular staff give their accreditation number."),
            )
        kind = data.get("destination_kind")
        if kind == DestinationKind.CITY:
            if not data.get("jurisdiction"):
                self.add_error("jurisdiction", _("Choose the district or county of your stay."))
            if not data.get("address", "").strip():
                self.add_error("address", _("Give the address where you will stay."))
        elif kind == DestinationKind.ONWARD and not data.get("onward_destination", "").strip():
            self.add_error("onward_destination", _("Say where you travel on to."))
        return data


class StayForm(SharedFieldsForm):
    country = CountryChoiceField(label=_("Country or region"))
    city = forms.CharField(
        label=_("City"), required=False, max_length=100, validators=[_no_control_characters]
    )
    date_from = IsoDateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = IsoDateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("“To” must be on or after “From”."))
        return data


class TransitForm(SharedFieldsForm):
    country = CountryChoiceField(label=_("Country or region"))
    city = forms.CharField(
        label=_("City or airport"),
        required=False,
        max_length=100,
        validators=[_no_control_characters],
    )
    on = IsoDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))


ROW_ERRORS = {
    "too_many_forms": _("Too many rows: at most %(num)d."),
    "too_few_forms": _("Give at least one place where you stayed in the last 14 days."),
    "missing_management_form": _("The form was incomplete; please reload the page."),
}
StayFormSet = forms.formset_factory(
    StayForm,
    extra=3,
    min_num=1,
    validate_min=True,
    max_num=MAX_HISTORY_ROWS,
    validate_max=True,
    absolute_max=MAX_HISTORY_ROWS,
)
TransitFormSet = forms.formset_factory(
    TransitForm,
    extra=2,
    max_num=MAX_TRANSIT_ROWS,
    validate_max=True,
    absolute_max=MAX_TRANSIT_ROWS,
)
