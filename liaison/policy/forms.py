from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.policy.models import DispositionChoice, PolicyKind, PolicyVersion

# A policy document is a few KB; anything near this is not one.
MAX_DOCUMENT_BYTES = 256 * 1024


class DraftForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PolicyKind.choices)
    text = forms.CharField(
        label=_("Document (YAML or JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false", "class": "code"}),
        help_text=_("Paste the document here, or upload it as a file below."),
    )
    upload = forms.FileField(label=_("…or upload a file"), required=False)
    effective_from = forms.DateTimeField(
        label=_("Effective from"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("If this time has passed when the version is published, it takes effect then."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why this version: the notice or decision it follows."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("effective_from", timezone.localtime().replace(second=0))

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload is not None:
            if upload.size > MAX_DOCUMENT_BYTES:
                raise forms.ValidationError(_("The file is too large for a policy document."))
            raw = upload.read()
            try:
                cleaned["text"] = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        if not (cleaned.get("text") or "").strip():
            raise forms.ValidationError(_("Paste the document or upload a file."))
        return cleaned


# --- the review queue -------------------------------------------------------------------------


def _any(label) -> list[tuple[str, str]]:
    return [("", label), *DispositionChoice.choices]


class ReviewFilterForm(forms.Form):
    """Which reviews the queue shows: waiting or all, flagged by which version, which move."""

    show = forms.ChoiceField(
        label=_("Show"),
        choices=[("pending", _("Waiting")), ("all", _("Decided too"))],
        required=False,
    )
    version = forms.ChoiceField(label=_("Flagged by"), required=False)
    old = forms.ChoiceField(label=_("Now"), choices=_any(_("Any disposition")), required=False)
    new = forms.ChoiceField(label=_("Would be"), choices=_any(_("Any disposition")), required=False)

    def __init__(self, *args, versions: list[PolicyVersion], **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = {f"{v.kind}:{v.pk}": v for v in versions}
        self.fields["version"].choices = [("", _("Any version"))] + [
            (key, f"{v.kind.label} {v.version}") for key, v in self.versions.items()
        ]

    def clean_version(self) -> PolicyVersion | None:
        return self.versions.get(self.cleaned_data.get("version") or "")
