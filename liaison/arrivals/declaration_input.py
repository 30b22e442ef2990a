"""A declaration's input, bound and checked: ``DeclarationInput`` binds the main form and the
two row formsets (``liaison.arrivals.forms``) to flat form data, as a browser posts it;
``DeclarationInput.from_json`` first turns an API body into that shape (``flatten``), refusing
wrong JSON types and unknown fields. A valid one gives a ``Declaration``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from liaison.arrivals import mrz as mrz_reader
from liaison.arrivals.forms import (
    HISTORY_DAYS,
    MAX_HISTORY_ROWS,
    MAX_TRANSIT_ROWS,
    ROW_ERRORS,
    DeclarationForm,
    StayForm,
    StayFormSet,
    TransitForm,
    TransitFormSet,
)
from liaison.arrivals.models import DestinationKind, DocumentType
from liaison.core.refusals import Refused

# ICAO codes that are not ISO 3166 alpha-3.
_ICAO_NATIONALITY = {"D": "DE", "GBD": "GB", "GBN": "GB", "GBO": "GB", "GBS": "GB", "GBP": "GB"}


def country_from_icao(code: str) -> str:
    code = code.strip("<").upper()
    return _ICAO_NATIONALITY.get(code) or countries.alpha2(code) or ""


class InvalidInput(Refused):
    """The request body itself is unusable (not JSON, not UTF-8, wrong types, unknown fields)."""

    def __init__(self, errors: list[dict[str, str]]):
        super().__init__(problems=[(e["field"], e["message"]) for e in errors])
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
# The traveler's form also carries the page's own language switch (public_views: switching keeps
# what was typed).
FORM_ONLY_KEYS = {
    "csrfmiddlewaretoken",
    "idempotency_key",
    "read_mrz",
    "submit",
    "page_language",
    "switch_language",
}


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
        self._non_form_errors = [] if filled >= minimum else [str(ROW_ERRORS["too_few_forms"])]

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
            self.history = StayFormSet(data, prefix="history", error_messages=ROW_ERRORS)
            self.transits = TransitFormSet(data, prefix="transits", error_messages=ROW_ERRORS)
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
            formset = formset_class(initial=rows, prefix=key, error_messages=ROW_ERRORS)
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
