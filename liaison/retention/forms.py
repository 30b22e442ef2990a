from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.retention.models import Kind


class HoldForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Kind.choices)
    record_id = forms.IntegerField(label=_("record"), min_value=1, max_value=2**62)
    reason = forms.CharField(label=_("reason"), max_length=500)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500)


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("what was done"), max_length=500)


class CorrectionForm(forms.Form):
    """The traveler's request: what is wrong, in their own words."""

    reason = forms.CharField(
        label=_("What is wrong, and what should it say?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
