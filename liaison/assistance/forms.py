"""Forms of the assistance pages. They check shapes; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.assistance.models import (
    CaseEvent,
    Category,
    ConsularNotification,
    Kind,
    Priority,
    Requester,
    Status,
)
from liaison.assistance.models.cases import CATEGORY_KIND
from liaison.assistance.selectors import assistance_officers, missions_to_choose
from liaison.core import countries
from liaison.core.country_fields import NationalityChoiceField
from liaison.core.selectors import active_jurisdictions

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def country_choices():
    return countries.place_choices()


def category_choices():
    return [
        (kind.label, [(c.value, c.label) for c in Category if CATEGORY_KIND[c] == kind])
        for kind in Kind
    ]


class CaseForm(forms.Form):
    person_name = forms.CharField(label=_("Name (as written, any script)"), max_length=200)
    person_name_latin = forms.CharField(
        label=_("Name in Latin letters"), max_length=200, required=False
    )
    nationality = NationalityChoiceField(label=_("Nationality"))
    document_number = forms.CharField(
        label=_("Travel document number"), max_length=40, required=False
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("With the country code, e.g. +39 …; a number without it is read as Chinese."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=category_choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial="normal")
    summary = forms.CharField(label=_("What is needed"), widget=forms.Textarea(attrs={"rows": 3}))
    location_country = forms.ChoiceField(
        label=_("Country where the person is"),
        choices=country_choices,
        required=False,
        help_text=_("For a citizen abroad. Foreigners here are in this city."),
    )
    location_city = forms.CharField(label=_("City"), max_length=100, required=False)
    jurisdiction = forms.ModelChoiceField(
        label=_("Jurisdiction (in this city)"),
        queryset=active_jurisdictions(),
        required=False,
    )
    location_detail = forms.CharField(label=_("Address or place"), max_length=300, required=False)
    requester = forms.ChoiceField(label=_("Requested by"), choices=Requester.choices)
    requester_detail = forms.CharField(
        label=_("Requester's name and contact"), max_length=300, required=False
    )
    mission = forms.ModelChoiceField(
        label=_("Mission involved"), queryset=missions_to_choose(), required=False
    )
    due_at = forms.DateTimeField(
        label=_("Due"),
        required=False,
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        help_text=_("Leave empty to follow the time limit of the priority."),
    )


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=assistance_officers())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = assistance_officers()


class ActionForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Entry"),
        choices=[(CaseEvent.Type.ACTION, _("Action taken")), (CaseEvent.Type.NOTE, _("Note"))],
    )
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))


class MoveForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, JPEG, PNG, DOCX or XLSX, at most 10 MB.")
    )


class MissionForm(forms.Form):
    mission = forms.ModelChoiceField(label=_("Mission"), queryset=missions_to_choose())


class ReviewForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}))


class SendForm(forms.Form):
    sent_via = forms.ChoiceField(label=_("Sent via"), choices=ConsularNotification.Channel.choices)
    sent_at = forms.DateTimeField(
        label=_("Sent at"),
        required=False,
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        help_text=_("Leave empty for now."),
    )


class AcknowledgementForm(forms.Form):
    text = forms.CharField(
        label=_("What the mission answered"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    acknowledged_at = forms.DateTimeField(
        label=_("Acknowledged at"),
        required=False,
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        help_text=_("Leave empty for now."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why cancel"), max_length=300)


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, document or phone"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), choices=country_choices, required=False)
    mission = forms.ModelChoiceField(
        label=_("Mission"), queryset=missions_to_choose(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *Status.choices], required=False
    )
