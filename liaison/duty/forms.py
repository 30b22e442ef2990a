"""Forms of the duty pages. They check shapes; the services check the rules (an overlap, a
shift that ends before it starts, an unknown officer)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from liaison.core.params import MAX_ID, validate_years
from liaison.duty.log import EntryInput
from liaison.duty.models import Post
from liaison.duty.selectors import LINKS, LogFilter
from liaison.duty.services import ShiftInput

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def _when(label, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        validators=[validate_years],
    )


def _day(label, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=DATE_INPUT, validators=[validate_years]
    )


def _record_id(label) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=1, max_value=MAX_ID)


def _officer_choices(officers) -> list[tuple[int, str]]:
    return [(o.pk, o.get_full_name() or o.username) for o in officers]


class ShiftForm(forms.Form):
    officer = forms.TypedChoiceField(label=_("officer on duty"), coerce=int)
    post = forms.ChoiceField(label=_("post"), choices=Post.choices)
    starts_at = _when(_("starts at"))
    ends_at = _when(_("ends at"))
    phone = forms.CharField(label=_("phone"), max_length=32, required=False)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = _officer_choices(officers)

    def shift(self) -> ShiftInput:
        data = self.cleaned_data
        return ShiftInput(
            officer_id=data["officer"],
            post=data["post"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            phone=data["phone"],
            note=data["note"],
        )


class SwapForm(forms.Form):
    to_officer = forms.TypedChoiceField(label=_("given to"), coerce=int)
    reason = forms.CharField(label=_("reason"), max_length=300)
    phone = forms.CharField(label=_("phone"), max_length=32, required=False)

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_officer"].choices = _officer_choices(officers)


class TemplateForm(forms.Form):
    post = forms.ChoiceField(label=_("post"), choices=Post.choices)
    starts = forms.TimeField(label=_("starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    hours = forms.IntegerField(label=_("hours"), min_value=1, max_value=24, initial=8)


class WeekForm(forms.Form):
    template = forms.TypedChoiceField(label=_("template"), coerce=int)
    monday = _day(_("first day"))
    officers = forms.TypedMultipleChoiceField(label=_("officers, taking turns"), coerce=int)
    phone = forms.CharField(label=_("phone"), max_length=32, required=False)

    def __init__(self, *args, templates=(), officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(t.pk, str(t)) for t in templates]
        self.fields["officers"].choices = _officer_choices(officers)


class LanguagesForm(forms.Form):
    officer = forms.TypedChoiceField(label=_("officer on duty"), coerce=int)
    languages = forms.MultipleChoiceField(
        label=_("languages spoken"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = _officer_choices(officers)


class EntryForm(forms.Form):
    at = _when(_("time"), required=False)
    text = forms.CharField(label=_("what"), widget=forms.Textarea(attrs={"rows": 3}))
    arrival = _record_id(_("traveler (arrival id)"))
    batch = _record_id(_("handover batch (id)"))
    case = _record_id(_("assistance case (id)"))
    organization = _record_id(_("organization (id)"))
    incident = _record_id(_("incident (id)"))

    def entry(self) -> EntryInput:
        data = self.cleaned_data
        return EntryInput(
            text=data["text"],
            at=data["at"],
            arrival_id=data["arrival"],
            batch_id=data["batch"],
            case_id=data["case"],
            organization_id=data["organization"],
            incident_id=data["incident"],
        )


LINK_LABELS = {
    "arrival": _("traveler"),
    "batch": _("handover batch"),
    "case": _("assistance case"),
    "organization": _("organization"),
    "incident": _("emergency incident"),
}


class LogFilterForm(forms.Form):
    since = _day(_("From"), required=False)
    until = _day(_("To"), required=False)
    author = forms.TypedChoiceField(
        label=_("written by"), coerce=int, required=False, empty_value=None
    )
    q = forms.CharField(label=_("words in the entry"), max_length=100, required=False)
    linked = forms.ChoiceField(
        label=_("linked to"),
        required=False,
        choices=[("", "—"), *((key, LINK_LABELS[key]) for key in LINKS)],
    )
    incident = _record_id(_("incident (id)"))
    format = forms.ChoiceField(required=False, choices=[("", ""), ("csv", "CSV"), ("xlsx", "XLSX")])

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["author"].choices = [("", "—"), *_officer_choices(officers)]

    def filters(self) -> LogFilter:
        if not self.is_bound or not self.is_valid():
            return LogFilter()
        data = self.cleaned_data
        return LogFilter(
            since=data["since"],
            until=data["until"],
            author=data["author"],
            q=data["q"].strip(),
            linked=data["linked"],
            incident=data["incident"],
        )


WEEKDAYS = [
    ("1", _("Monday")),
    ("2", _("Tuesday")),
    ("3", _("Wednesday")),
    ("4", _("Thursday")),
    ("5", _("Friday")),
    ("6", _("Saturday")),
    ("7", _("Sunday")),
]


class ScheduleForm(forms.Form):
    """A scheduled flight (``flights.ScheduleInput``): the service checks the rules."""

    number = forms.CharField(label=_("flight"), max_length=12)
    origin = forms.CharField(label=_("origin"), max_length=100)
    port = forms.ModelChoiceField(label=_("port of entry"), queryset=None)
    weekdays = forms.MultipleChoiceField(
        label=_("weekdays"), choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple
    )
    arrives_at = forms.TimeField(
        label=_("scheduled arrival (local time)"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    valid_from = _day(_("first day"))
    valid_until = _day(_("last day"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("languages expected (until its first flight has come)"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        from liaison.core.models import PortOfEntry

        super().__init__(*args, **kwargs)
        self.fields["port"].queryset = PortOfEntry.objects.order_by("code")

    def schedule(self):
        from liaison.duty.flights import ScheduleInput

        data = self.cleaned_data
        return ScheduleInput(
            number=data["number"],
            origin=data["origin"],
            port_id=data["port"].pk,
            weekdays="".join(data["weekdays"]),
            arrives_at=data["arrives_at"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            languages=tuple(data["languages"]),
        )

    @staticmethod
    def initial_of(flight) -> dict:
        return {
            "number": flight.number,
            "origin": flight.origin,
            "port": flight.port_id,
            "weekdays": list(flight.weekdays),
            "arrives_at": flight.arrives_at,
            "valid_from": flight.valid_from,
            "valid_until": flight.valid_until,
            "languages": flight.expected_languages,
        }
