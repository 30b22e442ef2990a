"""Forms of the exchanges pages. They check shapes; the services check the rules.

The plan form works without JavaScript: its lists (countries, participants, agenda) are
formsets that always offer a few empty rows; an empty row is ignored.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.core.country_fields import CountryChoiceField
from liaison.core.models import User
from liaison.core.params import MAX_ID, validate_years
from liaison.directory.models import Organization, Person
from liaison.exchanges import services
from liaison.exchanges.models import Conference, ParticipantRole, Platform, Side, Visibility

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
EMPTY_ROWS = 3

LANGUAGE_CHOICES = [
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("ru", _("Russian")),
    ("uk", _("Ukrainian")),
    ("hy", _("Armenian")),
    ("be", _("Belarusian")),
    ("kk", _("Kazakh")),
    ("fr", _("French")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("other", _("Other")),
]


def _refuse_impossible_ids(values, message) -> None:
    """An id no table can hold is "no such choice", not a database overflow."""
    for value in values:
        text = str(value).strip()
        if text and (not text.isdigit() or not 0 < int(text) <= MAX_ID):
            raise ValidationError(message, code="invalid_choice")


class BoundedChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values:
            _refuse_impossible_ids([value], self.error_messages["invalid_choice"])
        return super().to_python(value)


class BoundedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        _refuse_impossible_ids(value, self.error_messages["invalid_pk_value"] % {"pk": "…"})
        return super()._check_values(value)


class OrganizationField(BoundedChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display()})"


class PersonField(BoundedChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.organization.name}"


def _people():
    return Person.objects.select_related("organization")


class ConferenceFilterForm(forms.Form):
    WHEN = [("all", _("All")), ("upcoming", _("Upcoming")), ("past", _("Past"))]
    when = forms.ChoiceField(label=_("When"), choices=WHEN, required=False)
    country = CountryChoiceField(label=_("Country or region"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *Conference.Status.choices], required=False
    )
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    ended_from = forms.DateField(
        label=_("Ended from"),
        required=False,
        validators=[validate_years],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ended_until = forms.DateField(
        label=_("Ended until"),
        required=False,
        validators=[validate_years],
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ConferenceForm(forms.Form):
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300)
    arranged_by = OrganizationField(
        label=_("Arranged by"),
        queryset=Organization.objects.all(),
        required=False,
        empty_label=_("— the office itself —"),
        help_text=_("The Ministry of Foreign Affairs, an embassy…, or nobody."),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts (Beijing time)"),
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        validators=[validate_years],
    )
    ends_at = forms.DateTimeField(
        label=_("Ends (Beijing time)"),
        widget=DATETIME_INPUT,
        input_formats=DATETIME_FORMATS,
        validators=[validate_years],
    )
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    platform_detail = forms.CharField(
        label=_("Meeting number or room"), max_length=200, required=False
    )
    organizations = BoundedMultipleChoiceField(
        label=_("Organizations"),
        queryset=Organization.objects.all(),
        required=False,
        help_text=_("The participants' organizations are added by themselves."),
    )
    summary_zh = forms.CharField(
        label=_("Summary (Chinese)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    summary_en = forms.CharField(
        label=_("Summary (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class CountryRow(forms.Form):
    country = CountryChoiceField(label=_("Counterpart country"), required=False)
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=60,
        required=False,
        help_text=_("Empty: the country's own (e.g. Europe/Kyiv)."),
    )


class ParticipantRow(forms.Form):
    side = forms.ChoiceField(label=_("Side"), choices=Side.choices, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=ParticipantRole.choices, required=False)
    person = PersonField(label=_("From the directory"), queryset=_people(), required=False)
    organization = OrganizationField(
        label=_("or: organization"), queryset=Organization.objects.all(), required=False
    )
    name_native = forms.CharField(label=_("name in native script"), max_length=200, required=False)
    name_latin = forms.CharField(label=_("name in Latin letters"), max_length=200, required=False)
    name_zh = forms.CharField(label=_("Chinese name"), max_length=200, required=False)
    title_zh = forms.CharField(label=_("title (Chinese)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("title (English)"), max_length=200, required=False)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(
            data.get(f) for f in ("person", "organization", "name_native", "name_latin", "name_zh")
        )


class AgendaRow(forms.Form):
    title_zh = forms.CharField(label=_("Item (Chinese)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Item (English)"), max_length=300, required=False)
    presenter = PersonField(label=_("Presenter"), queryset=_people(), required=False)
    minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=1440, required=False
    )

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("title_zh") or self.cleaned_data.get("title_en"))


CountryRows = forms.formset_factory(CountryRow, extra=EMPTY_ROWS, max_num=30, validate_max=True)
ParticipantRows = forms.formset_factory(
    ParticipantRow, extra=EMPTY_ROWS, max_num=200, validate_max=True
)
AgendaRows = forms.formset_factory(AgendaRow, extra=EMPTY_ROWS, max_num=100, validate_max=True)


class PlanForms:
    """The plan form and its three lists, bound together."""

    def __init__(self, data=None, *, conference: Conference | None = None):
        initial = _initial(conference) if conference else {}
        self.main = ConferenceForm(data, initial=initial.get("main"))
        self.countries = CountryRows(data, prefix="countries", initial=initial.get("countries"))
        self.participants = ParticipantRows(
            data, prefix="participants", initial=initial.get("participants")
        )
        self.agenda = AgendaRows(data, prefix="agenda", initial=initial.get("agenda"))

    def is_valid(self) -> bool:
        # Every part is checked, so that every part shows its errors at once.
        checked = [
            f.is_valid() for f in (self.main, self.countries, self.participants, self.agenda)
        ]
        return all(checked)

    def plan(self) -> services.Plan:
        data = self.main.cleaned_data
        return services.Plan(
            title_zh=data["title_zh"],
            title_en=data["title_en"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            platform=data["platform"],
            arranged_by_id=data["arranged_by"].pk if data["arranged_by"] else None,
            platform_detail=data["platform_detail"],
            summary_zh=data["summary_zh"],
            summary_en=data["summary_en"],
            organization_ids=tuple(o.pk for o in data["organizations"]),
            countries=tuple(
                services.CountryInput(country=row["country"], time_zone=row["time_zone"])
                for row in self.countries.cleaned_data
                if row.get("country")
            ),
            participants=tuple(
                services.ParticipantInput(
                    side=row.cleaned_data["side"],
                    role=row.cleaned_data["role"],
                    person_id=row.cleaned_data["person"].pk if row.cleaned_data["person"] else None,
                    organization_id=(
                        row.cleaned_data["organization"].pk
                        if row.cleaned_data["organization"]
                        else None
                    ),
                    name_latin=row.cleaned_data["name_latin"],
                    name_native=row.cleaned_data["name_native"],
                    name_zh=row.cleaned_data["name_zh"],
                    title_zh=row.cleaned_data["title_zh"],
                    title_en=row.cleaned_data["title_en"],
                )
                for row in self.participants
                if not row.is_blank()
            ),
            agenda=tuple(
                services.AgendaInput(
                    title_zh=row.cleaned_data["title_zh"],
                    title_en=row.cleaned_data["title_en"],
                    presenter_id=(
                        row.cleaned_data["presenter"].pk if row.cleaned_data["presenter"] else None
                    ),
                    minutes=row.cleaned_data["minutes"],
                )
                for row in self.agenda
                if not row.is_blank()
            ),
        )


def _initial(conference: Conference) -> dict:
    return {
        "main": {
            "title_zh": conference.title_zh,
            "title_en": conference.title_en,
            "arranged_by": conference.arranged_by_id,
            "starts_at": conference.starts_at,
            "ends_at": conference.ends_at,
            "platform": conference.platform,
            "platform_detail": conference.platform_detail,
            "organizations": list(conference.organizations.values_list("pk", flat=True)),
            "summary_zh": conference.summary_zh,
            "summary_en": conference.summary_en,
        },
        "countries": [
            {"country": c.country.code, "time_zone": c.time_zone}
            for c in conference.countries.all()
        ],
        "participants": [
            {"side": p.side, "role": p.role, "person": p.person_id}
            for p in conference.participants.all()
        ],
        "agenda": [
            {
                "title_zh": a.title_zh,
                "title_en": a.title_en,
                "presenter": a.presenter_id,
                "minutes": a.minutes,
            }
            for a in conference.agenda.all()
        ],
    }


class ParticipantChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.person.name} · {obj.person.organization.name} ({obj.get_role_display()})"

    def to_python(self, value):
        seat = super().to_python(value)
        return seat.person_id if seat else None


class QuestionForm(forms.Form):
    asked_by = ParticipantChoice(label=_("Asked by"), queryset=None)
    question_zh = forms.CharField(
        label=_("Question (Chinese)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    question_en = forms.CharField(
        label=_("Question (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    answered_by = ParticipantChoice(label=_("Answered by"), queryset=None, required=False)
    answer_zh = forms.CharField(
        label=_("Answer (Chinese)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    answer_en = forms.CharField(
        label=_("Answer (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, conference: Conference, **kwargs):
        super().__init__(*args, **kwargs)
        seats = conference.participants.select_related("person__organization")
        self.fields["asked_by"].queryset = seats
        self.fields["answered_by"].queryset = seats


class MaterialForm(forms.Form):
    file = forms.FileField(label=_("File"))
    title = forms.CharField(label=pgettext_lazy("document title", "Title"), max_length=300)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    version = forms.IntegerField(label=_("Version"), min_value=1, max_value=999, initial=1)
    visibility = forms.ChoiceField(label=_("Who may see it"), choices=Visibility.choices)
    shared_by = ParticipantChoice(label=_("Shared by"), queryset=None, required=False)

    def __init__(self, *args, conference: Conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_by"].queryset = conference.participants.select_related(
            "person__organization"
        )


class FollowUpForm(forms.Form):
    """A follow-up as a commitment of the ledger: ours owned by an officer, theirs by a
    participant (or their organization)."""

    side = forms.ChoiceField(label=_("Whose commitment"), choices=Side.choices)
    description = forms.CharField(
        label=_("What was promised"), widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = forms.DateField(
        label=_("Due"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_years],
    )
    owner_user = forms.ModelChoiceField(
        label=_("Owner (ours)"), queryset=User.objects.none(), required=False
    )
    owner_person = ParticipantChoice(label=_("Owner (theirs)"), queryset=None, required=False)

    def __init__(self, *args, conference: Conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_user"].queryset = User.objects.filter(
            is_active=True, is_machine=False
        ).exclude(role="")
        self.fields["owner_person"].queryset = conference.participants.filter(
            side=Side.THEIRS
        ).select_related("person__organization")
