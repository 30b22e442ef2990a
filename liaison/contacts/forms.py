"""Forms of the contact log's pages. They check shapes; the services check the rules.

Several participants and outcomes without JavaScript: formsets with a few empty rows; a row left
empty is no row.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.contacts.models import (
    CommitmentStatus,
    ContactKind,
    OutcomeKind,
    ParticipantRole,
    Side,
)
from liaison.contacts.services import OutcomeIn, Who
from liaison.core.models import User
from liaison.core.params import validate_years
from liaison.directory.models import Organization, Person
from liaison.directory.search import MAX_QUERY

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.organization.name}"


class OfficerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


def people():
    return Person.objects.select_related("organization").order_by("organization__code", "id")


def officers():
    return User.objects.filter(is_active=True, is_machine=False).exclude(role="")


class ContactFilterForm(forms.Form):
    organization = forms.ModelChoiceField(
        Organization.objects.all(), required=False, label=_("Organization")
    )
    kind = forms.ChoiceField(
        choices=[("", "—"), *ContactKind.choices], required=False, label=_("Type")
    )
    since = forms.DateField(
        required=False, label=_("From"), widget=DATE_INPUT, validators=[validate_years]
    )
    until = forms.DateField(
        required=False, label=_("To"), widget=DATE_INPUT, validators=[validate_years]
    )
    person = PersonChoice(people(), required=False, label=_("Participant"))
    officer = OfficerChoice(officers(), required=False, label=_("Our participant"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people()
        self.fields["officer"].queryset = officers()


class ContactForm(forms.Form):
    kind = forms.ChoiceField(choices=ContactKind.choices, label=_("Type"))
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        validators=[validate_years],
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        required=False,
        validators=[validate_years],
    )
    time_zone = forms.CharField(
        label=_("Time zone of these times"), initial=settings.TIME_ZONE, max_length=64
    )
    counterpart_time_zone = forms.CharField(
        label=_("Counterpart's time zone"),
        required=False,
        max_length=64,
        help_text=_("When it differs from ours, e.g. Europe/Kyiv; both times are shown."),
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=300)
    medium = forms.CharField(
        label=_("Medium"),
        required=False,
        max_length=200,
        help_text=_("Phone line, video platform, courier, e-mail address…"),
    )
    topics = forms.CharField(
        label=_("Topics"), required=False, help_text=_("One per line."), widget=forms.Textarea
    )
    summary = forms.CharField(
        label=pgettext_lazy("contact summary", "Summary"), required=False, widget=forms.Textarea
    )
    follows = forms.IntegerField(
        label=_("Follows up contact no."), required=False, min_value=1, max_value=2**63 - 1
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Times are entered as wall-clock times of the chosen zone, not the server's.
        for name in ("starts_at", "ends_at"):
            self.fields[name].to_python = self._naive(self.fields[name].to_python)

    @staticmethod
    def _naive(parse):
        def to_python(value):
            from django.utils import timezone

            try:  # a time at the calendar's ends overflows when moved between zones
                moment = parse(value)
                if moment and timezone.is_aware(moment):
                    moment = timezone.make_naive(moment)
            except OverflowError as error:
                raise ValidationError(_("Enter a valid date and time.")) from error
            return moment

        return to_python

    def topic_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["topics"].splitlines() if line.strip()]


class CorrectionForm(ContactForm):
    reason = forms.CharField(label=_("Why it is corrected"), widget=forms.Textarea)


class ParticipantForm(forms.Form):
    person = PersonChoice(people(), required=False, label=_("Person of the directory"))
    officer = OfficerChoice(officers(), required=False, label=_("or one of our officers"))
    role = forms.ChoiceField(choices=ParticipantRole.choices, label=_("Role"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people()
        self.fields["officer"].queryset = officers()

    def who(self) -> Who | None:
        data = self.cleaned_data
        if not data.get("person") and not data.get("officer"):
            return None
        return Who(
            role=data.get("role") or ParticipantRole.ATTENDED,
            person=data["person"].pk if data.get("person") else None,
            user=data["officer"].pk if data.get("officer") else None,
        )


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(choices=OutcomeKind.choices, label=_("Outcome"), required=False)
    text = forms.CharField(
        label=_("What"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    side = forms.ChoiceField(
        choices=[("", "—"), *Side.choices], required=False, label=_("Whose commitment")
    )
    owner_officer = OfficerChoice(officers(), required=False, label=_("Owner (ours)"))
    owner_person = PersonChoice(people(), required=False, label=_("Owner (theirs)"))
    owner_organization = forms.ModelChoiceField(
        Organization.objects.all(), required=False, label=_("or their organization")
    )
    due_on = forms.DateField(
        label=_("Due"), required=False, widget=DATE_INPUT, validators=[validate_years]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_officer"].queryset = officers()
        self.fields["owner_person"].queryset = people()

    def outcome(self) -> OutcomeIn | None:
        data = self.cleaned_data
        if not (data.get("text") or "").strip():
            return None
        pk = lambda name: data[name].pk if data.get(name) else None  # noqa: E731
        return OutcomeIn(
            kind=data.get("kind") or OutcomeKind.INFORMATION,
            text=data["text"],
            side=data.get("side") or "",
            owner_user=pk("owner_officer"),
            owner_person=pk("owner_person"),
            owner_organization=pk("owner_organization"),
            due_on=data.get("due_on"),
        )


ParticipantFormSet = forms.formset_factory(ParticipantForm, extra=4, max_num=40, validate_max=True)
OutcomeFormSet = forms.formset_factory(OutcomeForm, extra=3, max_num=40, validate_max=True)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why it is withdrawn"), widget=forms.Textarea)


class CommitmentFilterForm(forms.Form):
    owner = OfficerChoice(officers(), required=False, label=_("Owner (ours)"))
    side = forms.ChoiceField(choices=[("", "—"), *Side.choices], required=False, label=_("Side"))
    status = forms.ChoiceField(
        choices=[("", "—"), *CommitmentStatus.choices], required=False, label=_("Status")
    )
    organization = forms.ModelChoiceField(
        Organization.objects.all(), required=False, label=_("Organization")
    )
    due_after = forms.DateField(
        required=False, label=_("Due from"), widget=DATE_INPUT, validators=[validate_years]
    )
    due_before = forms.DateField(
        required=False, label=_("Due by"), widget=DATE_INPUT, validators=[validate_years]
    )
    overdue = forms.BooleanField(required=False, label=_("Overdue only"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = officers()


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=CommitmentStatus.choices, label=_("New status"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RescheduleForm(forms.Form):
    due_on = forms.DateField(
        label=_("New due date"), widget=DATE_INPUT, validators=[validate_years]
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class SearchForm(forms.Form):
    """The search across the directory and the log: a query too long is refused (400)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_QUERY)
    kind = forms.ChoiceField(
        label=_("Look in"),
        required=False,
        choices=[
            ("", _("Everything")),
            ("organizations", _("Organizations")),
            ("people", _("People")),
            ("contacts", _("Contact log")),
        ],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=1_000_000)
