"""Forms of the media desk's pages. They check shapes; the services check the rules.

Times are entered as the office's wall clock (``TIME_ZONE``). The choices of bureaus and people
are the directory's media organizations and their people; a spokesperson is a person of ours.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.core.models import User
from liaison.core.params import validate_years
from liaison.core.roles import Role
from liaison.directory.models import MEDIA_KINDS, Organization, OrganizationKind, Person
from liaison.media.models import (
    BODY_MAX,
    SUBJECT_MAX,
    TEXT_MAX,
    RequestKind,
    RequestStatus,
)

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def bureaus():
    return Organization.objects.filter(kind__in=MEDIA_KINDS).order_by("country", "code")


def media_people():
    return Person.objects.select_related("organization").filter(organization__kind__in=MEDIA_KINDS)


def spokespeople():
    return Person.objects.select_related("organization").filter(
        organization__kind=OrganizationKind.CHINESE_AUTHORITY
    )


def officers():
    # Who may work the desk: the access table gives it to the liaison role.
    return User.objects.filter(is_active=True, is_machine=False, role=Role.LIAISON)


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.organization.name}"


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.organization.name}"


class OfficerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class BureauChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def when(label, *, required=True):
    return forms.DateTimeField(
        label=label,
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        required=required,
        validators=[validate_years],
    )


class RequestForm(forms.Form):
    kind = forms.ChoiceField(choices=RequestKind.choices, label=_("Type"))
    bureau = BureauChoice(bureaus(), label=_("Media bureau"))
    correspondent = PersonChoice(media_people(), required=False, label=_("Correspondent"))
    received_at = when(_("Received at"))
    deadline = when(_("Deadline"))
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    question = forms.CharField(
        label=_("What was asked"), required=False, max_length=TEXT_MAX, widget=forms.Textarea
    )
    assigned_to = OfficerChoice(officers(), required=False, label=_("Assigned officer"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = bureaus()
        self.fields["correspondent"].queryset = media_people()
        self.fields["assigned_to"].queryset = officers()


class CorrectionForm(RequestForm):
    answer = forms.CharField(
        label=_("Answer"), required=False, max_length=TEXT_MAX, widget=forms.Textarea
    )
    reason = forms.CharField(
        label=_("Why it is corrected"), max_length=TEXT_MAX, widget=forms.Textarea
    )

    def __init__(self, *args, answered: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["assigned_to"]
        if not answered:
            del self.fields["answer"]


class AssignForm(forms.Form):
    assigned_to = OfficerChoice(officers(), label=_("Assigned officer"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = officers()


def staff():
    return User.objects.filter(is_active=True, is_machine=False).exclude(role="")


class AnswerForm(forms.Form):
    answered_by_user = OfficerChoice(staff(), required=False, label=_("Answered by our officer"))
    answered_by_person = PersonChoice(
        spokespeople(), required=False, label=_("or by a spokesperson")
    )
    answer = forms.CharField(label=_("Answer"), max_length=TEXT_MAX, widget=forms.Textarea)
    answered_at = when(_("Answered at"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answered_by_user"].queryset = staff()
        self.fields["answered_by_person"].queryset = spokespeople()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=TEXT_MAX, widget=forms.Textarea)


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "—"), *RequestStatus.choices], required=False, label=_("Status")
    )
    kind = forms.ChoiceField(
        choices=[("", "—"), *RequestKind.choices], required=False, label=_("Type")
    )
    bureau = BureauChoice(bureaus(), required=False, label=_("Media bureau"))
    deadline_after = forms.DateField(
        required=False, label=_("Deadline from"), widget=DATE_INPUT, validators=[validate_years]
    )
    deadline_before = forms.DateField(
        required=False, label=_("Deadline by"), widget=DATE_INPUT, validators=[validate_years]
    )
    overdue = forms.BooleanField(required=False, label=_("Overdue only"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = bureaus()


class ReleaseForm(forms.Form):
    title_zh = forms.CharField(label=_("Title (Chinese)"), required=False, max_length=SUBJECT_MAX)
    title_en = forms.CharField(label=_("Title (English)"), required=False, max_length=SUBJECT_MAX)
    body_zh = forms.CharField(
        label=_("Text (Chinese)"), required=False, max_length=BODY_MAX, widget=forms.Textarea
    )
    body_en = forms.CharField(
        label=_("Text (English)"), required=False, max_length=BODY_MAX, widget=forms.Textarea
    )


class PublishForm(forms.Form):
    published_at = when(_("Published at"), required=False)


class SendForm(forms.Form):
    bureaus = forms.ModelMultipleChoiceField(bureaus(), required=False, label=_("Media bureaus"))
    correspondents = PeopleChoice(media_people(), required=False, label=_("Correspondents"))
    sent_at = when(_("Sent at"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureaus"].queryset = bureaus()
        self.fields["correspondents"].queryset = media_people()
