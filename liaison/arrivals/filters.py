"""The one filter set of every list of travelers: the arrivals list and each desk's queue, pages
and API alike.

Flight, day (or days from … until), state, nationality, destination jurisdiction, disposition,
and the search box. A
form, so that a malformed value — a date no calendar has, a state the pipeline does not know, an
id no database can hold — is the form's message and a 400, never a query that fails and never a
filter silently dropped. It narrows a queryset already cut by the access layer
(``arrivals_visible_to``); it never widens one.
"""

from __future__ import annotations

from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from liaison.arrivals.models import Arrival
from liaison.arrivals.states import ArrivalState
from liaison.core.normalize import traveler_search
from liaison.core.params import MAX_ID, validate_years
from liaison.core.selectors import active_jurisdictions
from liaison.policy.models import DispositionChoice
from liaison.screening.models import Disposition

# The filters' names, in the order of the form (the query string's and the API's parameters).
NAMES = (
    "flight",
    "day",
    "since",
    "until",
    "state",
    "nationality",
    "jurisdiction",
    "disposition",
    "q",
)


class ArrivalFilterForm(forms.Form):
    flight = forms.IntegerField(label=_("Flight"), required=False, min_value=1, max_value=MAX_ID)
    day = forms.DateField(
        label=_("Day of arrival"),
        required=False,
        validators=[validate_years],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    since = forms.DateField(
        label=_("Arrived from"),
        required=False,
        validators=[validate_years],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=_("Arrived until"),
        required=False,
        validators=[validate_years],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    state = forms.ChoiceField(label=_("State"), required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    jurisdiction = forms.ModelChoiceField(
        label=_("Destination jurisdiction"),
        required=False,
        queryset=active_jurisdictions(),
        to_field_name="code",
    )
    disposition = forms.ChoiceField(label=_("Disposition"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, flights=(), **kwargs):
        """``flights``: the flights to offer in the menu (the list's own); any flight's id is
        accepted all the same."""
        super().__init__(*args, **kwargs)
        # Labels in the reader's language, read when the form is made.
        self.fields["state"].choices = [("", "—"), *ArrivalState.choices]
        self.fields["nationality"].choices = [("", "—"), *countries]
        self.fields["disposition"].choices = [("", "—"), *DispositionChoice.choices]
        self.fields["jurisdiction"].empty_label = "—"
        if flights:
            self.fields["flight"].widget = forms.Select(
                choices=[("", "—"), *((f.pk, f"{f.number} {f.date:%Y-%m-%d}") for f in flights)]
            )

    def apply(self, arrivals: QuerySet[Arrival]) -> QuerySet[Arrival]:
        """``arrivals`` narrowed by every filter given (call after ``is_valid``)."""
        data = self.cleaned_data
        if data.get("flight"):
            arrivals = arrivals.filter(flight_id=data["flight"])
        if data.get("day"):
            arrivals = arrivals.filter(arrival_date=data["day"])
        if data.get("since"):
            arrivals = arrivals.filter(arrival_date__gte=data["since"])
        if data.get("until"):
            arrivals = arrivals.filter(arrival_date__lte=data["until"])
        if data.get("state"):
            arrivals = arrivals.filter(state=data["state"])
        if data.get("nationality"):
            arrivals = arrivals.filter(nationality=data["nationality"])
        if data.get("jurisdiction"):
            arrivals = arrivals.filter(jurisdiction=data["jurisdiction"])
        if data.get("disposition"):
            current = Disposition.objects.filter(
                arrival=OuterRef("pk"), is_current=True, disposition=data["disposition"]
            )
            arrivals = arrivals.filter(Exists(current))
        condition = traveler_search(data.get("q") or "")
        if condition is not None:
            arrivals = arrivals.filter(condition)
        return arrivals

    def problems(self) -> list[tuple[str, str]]:
        """What is wrong, field by field, as the API's errors list it."""
        return [
            (name, str(message)) for name, messages in self.errors.items() for message in messages
        ]

    def described(self) -> str:
        """The filters given, for the audit entry's note (codes and ids, no one's data)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        parts = []
        for name in NAMES:
            value = data.get(name)
            if name == "q" or value in (None, ""):
                continue
            parts.append(f"{name}={getattr(value, 'code', value)}")
        if data.get("q"):
            parts.append("search")
        return " ".join(parts)
