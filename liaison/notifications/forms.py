from django import forms
from django.utils.translation import gettext_lazy as _


class ListQuery(forms.Form):
    unread = forms.BooleanField(label=_("Unread only"), required=False)
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=10_000)


class MarkRead(forms.Form):
    """The notifications to mark read: the given ids, or all of them when ``all`` is set."""

    ids = forms.TypedMultipleChoiceField(coerce=int, required=False)
    all = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any positive id parses; those not the user's own are simply not theirs to mark.
        self.fields["ids"].valid_value = lambda value: str(value).isdigit() and len(value) < 19

    def clean(self):
        data = super().clean()
        if not data.get("all") and not data.get("ids"):
            raise forms.ValidationError(_("Choose the notifications to mark read."))
        return data
