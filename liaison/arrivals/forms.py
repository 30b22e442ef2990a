"""The health declaration's validation: one place for the public form, the staff form and the API.

``DeclarationInput`` binds the main form and the two row formsets (history, transits) to flat form
data, as a browser posts it; ``DeclarationInput.from_json`` first turns an API body into that
shape, refusing wrong JSON types and unknown fields. Messages are Django-translated, so a traveler
reads them in the language of the page or of the Accept-Language header.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import phonenumbers
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from liaison.arrivals import mrz as mrz_reader
from liaison.arrivals.models import Category, DestinationKind, DocumentType, Sex
from liaison.core.models import Jurisdiction
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
_SEAT = re.compile(r"^[0-9]{1,3}[A-L]$")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# ICAO codes that are not ISO 3166 alpha-3.
_ICAO_NATIONALITY = {"D": "DE", "GBD": "GB", "GBN": "GB", "GBO": "GB", "GBS": "GB", "GBP": "GB"}


def today() -> date:
    return timezone.localdate()


def normalise_document_number(value: str) -> str:
    return re.sub(r"[\s\-/.]", "", value).upper()


def normalise_flight(value: str) -> str:
    return re.sub(r"[\s\-]", "", value).upper()


def country_from_icao(code: str) -> str:
    code = code.strip("<").upper()
    return _ICAO_NATIONALITY.get(code) or countries.alpha2(code) or ""


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


class CountryChoiceField(forms.ChoiceField):
    """An ISO 3166 country, its name in the reader's language (django-countries)."""

    def __init__(self, **kwargs):
        super().__init__(choices=self._choices_now, **kwargs)
        self.error_messages["invalid_choice"] = _("Choose a country or region from the list.")

    @staticmethod
    def _choices_now():
        return [("", "—"), *countries]

    def valid_value(self, value):
        return bool(countries.alpha2(value)) and value.upper() == value


_REFERENCE_TTL = 60.0
_reference: dict = {"at": -_REFERENCE_TTL, "jurisdictions": {}}


def active_jurisdictions() -> dict[str, Jurisdiction]:
    """The city's active jurisdictions by code, read at most once a minute per process.

    Reference data changes a few times a year; a declaration should not pay a query for it.
    """
    now = time.monotonic()
    if now - _reference["at"] > _REFERENCE_TTL:
        _reference["jurisdictions"] = {
            j.code: j
            for j in Jurisdiction.objects.filter(active=True).order_by("sort_order", "code")
        }
        _reference["at"] = now
    return _reference["jurisdictions"]


def forget_reference() -> None:
    _reference["at"] = -_REFERENCE_TTL


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
    nationality = CountryChoiceField(label=_("Nationality"))
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
        number = normalise_document_number(self.cleaned_data["document_number"])
        if not _DOCUMENT.match(number):
            raise ValidationError(
                _("A document number has 5 to 20 letters (A–Z) and digits."), code="document"
            )
        return number

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"]
        message = _("Enter a phone number with its country code, e.g. +82 10 1234 5678.")
        region = (self.data.get("nationality") or "").upper()[:2] or None
        try:
            number = phonenumbers.parse(raw, None if raw.strip().startswith("+") else region)
        except phonenumbers.NumberParseException:
            raise ValidationError(message, code="phone") from None
        if not phonenumbers.is_valid_number(number):
            raise ValidationError(message, code="phone")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean_flight_number(self) -> str:
        number = normalise_flight(self.cleaned_data["flight_number"])
        if not _FLIGHT.match(number):
            raise ValidationError(_("Enter the flight number as on your ticket, e.g. KE 147."))
        return number

    def clean_seat(self) -> str:
        seat = self.cleaned_data["seat"].replace(" ", "").upper()
        if seat and not _SEAT.match(seat):
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


_ROW_ERRORS = {
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


class InvalidInput(Exception):  # noqa: N818
    """The request body itself is unusable (not JSON, not UTF-8, wrong types, unknown fields)."""

    def __init__(self, errors: list[dict[str, str]]):
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


# What the API accepts and how each field is typed in JSON.
TEXT_FIELDS = [
    name
    for name, field in DeclarationForm.base_fields.items()
    if not isinstance(field, forms.BooleanField | forms.MultipleChoiceField)
    and name != "contact_with_cases"
]
BOOLEAN_FIELDS = ["pregnant", "severe_condition", "unaccompanied_minor", "consent"]
ROW_FIELDS = {"history": list(StayForm.base_fields), "transits": list(TransitForm.base_fields)}
FORM_ONLY_KEYS = {"csrfmiddlewaretoken", "idempotency_key", "read_mrz", "submit"}


@dataclass
class Declaration:
    """A valid declaration, as JSON-ready values (what a revision keeps)."""

    data: dict[str, Any]


class _JsonRows:
    """A JSON body's rows (history or transits), each bound to the row form.

    What the formset does with a browser's post — a row left empty is skipped, and fewer
    filled rows than the minimum is an error — without a management form to parse.
    """

    def __init__(self, form_class, rows: list[dict[str, str]], *, minimum: int):
        self.forms = [
            form_class(row, empty_permitted=index >= minimum, use_required_attribute=False)
            for index, row in enumerate(rows)
        ]
        filled = sum(1 for row in self.forms if row.has_changed())
        self._non_form_errors = [] if filled >= minimum else [str(_ROW_ERRORS["too_few_forms"])]

    def is_valid(self) -> bool:
        valid = [row.is_valid() for row in self.forms]  # every row, so that each has its errors
        return all(valid) and not self._non_form_errors

    def non_form_errors(self) -> list[str]:
        return self._non_form_errors

    @property
    def errors(self) -> list:
        return [row.errors for row in self.forms]


class DeclarationInput:
    """The main form and both row formsets, bound together; cross-checks rows against arrival."""

    def __init__(
        self,
        data: Mapping | None = None,
        *,
        initial: dict | None = None,
        json_rows: dict[str, list[dict[str, str]]] | None = None,
    ):
        self.bound = data is not None
        if data is not None:
            data = _with_mrz_filled(data)
        self.form = DeclarationForm(data, initial=initial)
        if json_rows is None:
            self.history = StayFormSet(data, prefix="history", error_messages=_ROW_ERRORS)
            self.transits = TransitFormSet(data, prefix="transits", error_messages=_ROW_ERRORS)
        else:
            self.history = _JsonRows(StayForm, json_rows["history"], minimum=1)
            self.transits = _JsonRows(TransitForm, json_rows["transits"], minimum=0)
        self.unknown_fields: list[str] = []
        if data is not None:
            self.unknown_fields = sorted(set(data.keys()) - _allowed_keys(data))
        self._valid: bool | None = None

    @classmethod
    def with_another_row(cls, data: Mapping, prefix: str) -> DeclarationInput:
        """What was typed so far, unbound (nothing is checked yet), with one more empty row of
        ``prefix`` ("history" or "transits"): the form's add-a-row buttons, without JavaScript."""
        initial = {}
        for name, field in DeclarationForm.base_fields.items():
            if isinstance(field, forms.MultipleChoiceField):
                initial[name] = data.getlist(name)
            elif name in data:
                initial[name] = data.get(name)
        made = cls(initial=initial)
        for key, formset_class in (("history", StayFormSet), ("transits", TransitFormSet)):
            rows = _typed_rows(data, key)
            formset = formset_class(initial=rows, prefix=key, error_messages=_ROW_ERRORS)
            # One more row where it was asked for (up to the limit); elsewhere a first empty row.
            formset.extra = 1 if key == prefix or not rows else 0
            setattr(made, key, formset)
        return made

    @classmethod
    def from_json(cls, payload: Any) -> DeclarationInput:
        flat = flatten(payload)  # refuses wrong types and unknown fields, rows included
        rows = {
            key: [
                {name: cell or "" for name, cell in row.items()} for row in payload.get(key) or []
            ]
            for key in ROW_FIELDS
        }
        return cls(flat, json_rows=rows)

    def is_valid(self) -> bool:
        if self._valid is None:
            valid = [self.form.is_valid(), self.history.is_valid(), self.transits.is_valid()]
            self._check_dates()
            self._valid = all(valid) and not self.unknown_fields and not self._date_errors
        return self._valid

    def _check_dates(self) -> None:
        self._date_errors = False
        arrival = self.form.cleaned_data.get("arrival_date")
        if not arrival:
            return
        earliest = arrival - timedelta(days=HISTORY_DAYS)
        message = _("Only the 14 days before arrival: from %(earliest)s to %(arrival)s.") % {
            "earliest": earliest.isoformat(),
            "arrival": arrival.isoformat(),
        }
        for row in self.history.forms:
            for name in ("date_from", "date_to"):
                day = getattr(row, "cleaned_data", {}).get(name)
                if day and not earliest <= day <= arrival and name not in row.errors:
                    row.add_error(name, message)
                    self._date_errors = True
        for row in self.transits.forms:
            day = getattr(row, "cleaned_data", {}).get("on")
            if day and not earliest <= day <= arrival and "on" not in row.errors:
                row.add_error("on", message)
                self._date_errors = True

    def errors(self) -> list[dict[str, str]]:
        """Every problem as {"field", "message"}, row fields named like history[0].date_to."""
        self.is_valid()
        out = [
            {"field": name, "message": str(_("This field is not part of the declaration."))}
            for name in self.unknown_fields
        ]
        for name, messages in self.form.errors.items():
            out += [{"field": name, "message": m} for m in messages]
        for prefix, formset in (("history", self.history), ("transits", self.transits)):
            out += [{"field": prefix, "message": m} for m in formset.non_form_errors()]
            for index, row_errors in enumerate(formset.errors):
                for name, messages in row_errors.items():
                    field = f"{prefix}[{index}].{name}" if name != "__all__" else prefix
                    out += [{"field": field, "message": m} for m in messages]
        return out

    def cleaned(self) -> Declaration:
        assert self.is_valid()
        data = dict(self.form.cleaned_data)
        data["contact_with_cases"] = data["contact_with_cases"] == "yes"
        data["nationality"] = data["nationality"]
        if data["destination_kind"] == DestinationKind.CITY:
            data["onward_destination"], data["onward_departure"] = "", None
        else:
            data["jurisdiction"] = ""
        data["history"] = [row.cleaned_data for row in self.history.forms if row.cleaned_data]
        data["transits"] = [row.cleaned_data for row in self.transits.forms if row.cleaned_data]
        data.pop("consent")
        return Declaration(json.loads(json.dumps(data, default=_json_value)))


def _json_value(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _allowed_keys(data: Mapping) -> set[str]:
    keys = set(DeclarationForm.base_fields) | FORM_ONLY_KEYS
    for prefix, fields in ROW_FIELDS.items():
        keys |= {
            f"{prefix}-{m}"
            for m in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
        }
        try:
            total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_HISTORY_ROWS)
        except (TypeError, ValueError):
            total = 0
        keys |= {f"{prefix}-{i}-{name}" for i in range(total) for name in fields}
    return keys


# The buttons that ask the form for another row, and the rows they add.
ADD_ROW_BUTTONS = {"add_history": "history", "add_transit": "transits"}


def _typed_rows(data: Mapping, prefix: str) -> list[dict[str, str]]:
    """A posted formset's rows that have anything typed in them, as they were typed."""
    limit = MAX_HISTORY_ROWS if prefix == "history" else MAX_TRANSIT_ROWS
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), limit)
    except (TypeError, ValueError):
        total = 0
    rows = []
    for index in range(total):
        row = {name: data.get(f"{prefix}-{index}-{name}", "") for name in ROW_FIELDS[prefix]}
        if any(value.strip() for value in row.values() if isinstance(value, str)):
            rows.append(row)
    return rows


def _with_mrz_filled(data: Mapping) -> Mapping:
    """Fill identity fields left empty from a readable, correct passport zone."""
    text = data.get("mrz") or ""
    if not isinstance(text, str) or not text.strip():
        return data
    try:
        zone = mrz_reader.parse(text)
    except mrz_reader.MrzError:
        return data
    if not zone.valid:
        return data
    filled = mrz_fields(zone)
    data = data.copy()
    for name, value in filled.items():
        if not data.get(name):
            data[name] = value
    return data


def mrz_fields(zone: mrz_reader.Mrz) -> dict[str, str]:
    """The form fields a passport zone can fill."""
    return {
        "surname_latin": zone.surname,
        "given_names_latin": zone.given_names,
        "sex": zone.sex,
        "date_of_birth": zone.birth_date.isoformat() if zone.birth_date else "",
        "nationality": country_from_icao(zone.nationality),
        "document_type": DocumentType.PASSPORT,
        "document_number": zone.document_number,
    }


def flatten(payload: Any) -> MultiValueDict:
    """An API body (a JSON object) as the flat data a browser would post; refuses wrong types."""
    if not isinstance(payload, dict):
        raise InvalidInput([{"field": "", "message": str(_("The body must be a JSON object."))}])
    errors = []
    flat = MultiValueDict()

    def wrong(field: str, message) -> None:
        errors.append({"field": field, "message": str(message)})

    for key, value in payload.items():
        if key in TEXT_FIELDS:
            if value is None:
                value = ""
            if not isinstance(value, str):
                wrong(key, _("Expected text."))
                continue
            flat[key] = value
        elif key in BOOLEAN_FIELDS or key == "contact_with_cases":
            if value is None:
                continue
            if not isinstance(value, bool):
                wrong(key, _("Expected true or false."))
                continue
            if key == "contact_with_cases":
                flat[key] = "yes" if value else "no"
            elif value:
                flat[key] = "on"
        elif key == "symptoms":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                wrong(key, _("Expected a list of symptom names."))
                continue
            flat.setlist(key, value)
        elif key in ROW_FIELDS:
            limit = MAX_HISTORY_ROWS if key == "history" else MAX_TRANSIT_ROWS
            if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
                wrong(key, _("Expected a list of rows."))
                continue
            if len(value) > limit:
                wrong(key, _("Too many rows: at most %(num)d.") % {"num": limit})
                continue
            flat[f"{key}-TOTAL_FORMS"] = str(len(value))
            flat[f"{key}-INITIAL_FORMS"] = "0"
            for index, row in enumerate(value):
                for name, cell in row.items():
                    field = f"{key}[{index}].{name}"
                    if name not in ROW_FIELDS[key]:
                        wrong(field, _("This field is not part of the declaration."))
                    elif cell is not None and not isinstance(cell, str):
                        wrong(field, _("Expected text."))
                    else:
                        flat[f"{key}-{index}-{name}"] = cell or ""
        else:
            wrong(key, _("This field is not part of the declaration."))
    for key in ROW_FIELDS:
        if f"{key}-TOTAL_FORMS" not in flat:
            flat[f"{key}-TOTAL_FORMS"] = "0"
            flat[f"{key}-INITIAL_FORMS"] = "0"
    if errors:
        raise InvalidInput(errors)
    return flat


def fingerprint(data: Mapping) -> str:
    """A digest of what was submitted, to tell a retry from a different request with one key."""
    if isinstance(data, QueryDict | MultiValueDict):
        items = sorted((key, data.getlist(key)) for key in data if key not in FORM_ONLY_KEYS)
        text = json.dumps(items, ensure_ascii=False)
    else:
        text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:\-]{8,100}$")
IDEMPOTENCY_KEY_MESSAGE = pgettext_lazy(
    "api", "The Idempotency-Key must be 8 to 100 letters, digits or . _ : - characters."
)
