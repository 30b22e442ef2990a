"""Forms of dispatch and receipt: they validate; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.handover.models import Incident


class BatchForm(forms.Form):
    vehicle = forms.CharField(label=_("Vehicle (plate)"), max_length=40)
    escort = forms.CharField(label=_("Escort"), max_length=100)
    planned_departure = forms.DateTimeField(
        label=_("Planned departure"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )


class ScanForm(forms.Form):
    code = forms.CharField(
        label=_("Scan or type the declaration code"),
        max_length=200,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=Incident.Kind.choices)
    code = forms.CharField(label=_("Declaration code (if known)"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Note"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class QuarantineForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=None, required=False)
    planned_end = forms.DateField(
        label=_("Planned end"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ReleaseForm(forms.Form):
    """Releasing from quarantine: confirmed always, and a reason before the planned end."""

    reason = forms.CharField(
        label=_("Reason for releasing before the planned end"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_("I confirm this traveler is released from quarantine; this cannot be undone."),
        required=True,
        error_messages={"required": _("Confirm the release: it cannot be undone.")},
    )
