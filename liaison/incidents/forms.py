from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.core.models import User
from liaison.incidents.models import Kind, Post, Status


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", _("not closed")), *Status.choices]
    )
    severity = forms.IntegerField(label=_("severity"), required=False, min_value=1, max_value=5)
    kind = forms.ChoiceField(label=_("type"), required=False, choices=[("", "—"), *Kind.choices])
    owner = forms.ModelChoiceField(
        label=_("owner"), required=False, queryset=User.objects.filter(is_active=True)
    )
    exercise = forms.NullBooleanField(label=_("exercise"), required=False)
    overdue = forms.BooleanField(label=_("past the acknowledgement deadline"), required=False)


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("type"), choices=Kind.choices)
    severity = forms.IntegerField(label=_("severity (1 gravest)"), min_value=1, max_value=5)
    title = forms.CharField(label=pgettext_lazy("incident", "title"), max_length=300)
    description = forms.CharField(label=_("description"), widget=forms.Textarea, required=False)
    place = forms.CharField(label=_("where"), max_length=300, required=False)
    occurred_at = forms.DateTimeField(label=_("when"), required=False)
    exercise = forms.BooleanField(label=_("this is an exercise"), required=False)


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.filter(is_active=True))


class ActionForm(forms.Form):
    text = forms.CharField(label=_("what was done"), widget=forms.Textarea)


class MoveForm(forms.Form):
    to = forms.ChoiceField(label=_("status"), choices=Status.choices)
    text = forms.CharField(
        label=_("closing summary or reason"), widget=forms.Textarea, required=False
    )


class HandoverForm(forms.Form):
    incoming = forms.ModelChoiceField(
        label=_("incoming officer"), queryset=User.objects.filter(is_active=True, role="duty")
    )
    note = forms.CharField(label=_("handover note"), widget=forms.Textarea)


class CountersignForm(forms.Form):
    confirmed_count = forms.IntegerField(
        label=_("number of open incidents I was shown and have read"), min_value=0
    )


class StepForm(forms.Form):
    post = forms.ChoiceField(label=_("post"), choices=Post.choices)
    user = forms.ModelChoiceField(
        label=_("named person"), required=False, queryset=User.objects.filter(is_active=True)
    )
    after_minutes = forms.IntegerField(label=_("minutes after"), min_value=0, max_value=1440)


StepFormSet = forms.formset_factory(StepForm, extra=1, max_num=10)
