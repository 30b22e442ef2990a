from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.core.params import validate_years
from liaison.leadership.services import MAX_HIGHLIGHTS


class DraftForm(forms.Form):
    day = forms.DateField(
        label=_("Day"),
        validators=[validate_years],
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


class HighlightsForm(forms.Form):
    highlights_zh = forms.CharField(
        label=_("Highlights (Chinese)"),
        required=False,
        max_length=MAX_HIGHLIGHTS,
        widget=forms.Textarea(attrs={"rows": 6, "lang": "zh-Hans"}),
    )
    highlights_en = forms.CharField(
        label=_("Highlights (English)"),
        required=False,
        max_length=MAX_HIGHLIGHTS,
        widget=forms.Textarea(attrs={"rows": 6, "lang": "en"}),
    )


class DayForm(forms.Form):
    day = forms.DateField(required=False, validators=[validate_years])
