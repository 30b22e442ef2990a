"""What the calendar page reads from its address, and the feed form. Shapes only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.agenda.ranges import MONTH, WEEK
from liaison.core.params import validate_years

MINE, DESK = "mine", "desk"
WHOSE = [(DESK, _("The desk's")), (MINE, _("Mine"))]


class CalendarQuery(forms.Form):
    start = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_years],
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD, e.g. 2020-03-16.")},
    )
    span = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[(WEEK, _("A week")), (MONTH, _("A month"))],
    )
    whose = forms.ChoiceField(label=_("Whose"), required=False, choices=WHOSE)


class FeedForm(forms.Form):
    whose = forms.ChoiceField(label=_("The feed carries"), choices=WHOSE, initial=MINE)
