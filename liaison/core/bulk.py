"""What every bulk decision reads: a set of record ids and one reason, with the same limits.

A page posts checkboxes named ``ids`` through ``BulkDecisionForm``; an API body's list of ids is
typed by its schema. Either way the service checks the set again (``record_ids``,
``required_reason``) and refuses, before it writes, no id, the same id twice, more ids than one
decision may cover, no reason or too long a reason (``Refused``, 400).
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from liaison.core.params import MAX_ID
from liaison.core.refusals import Refused

# One decision covers at most this many records: a page shows 50, "select all" on a large page
# stays far below; 10,000 ids is not a decision an officer has read.
MAX_RECORDS = 500
MAX_REASON = 500


class IdSetField(forms.Field):
    """Record ids, each given once: ``["12", "13"]`` from checkboxes, ``[12, 13]`` from JSON."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Select at least one record."),
        "invalid": _("Record ids are whole numbers."),
        "duplicate": _("Each record may be given only once (%(ids)s given twice)."),
        "too_many": ngettext_lazy(
            "One decision covers at most %(limit)d record.",
            "One decision covers at most %(limit)d records.",
            "limit",
        ),
    }

    def to_python(self, value) -> list[int]:
        if value in (None, "", [], ()):
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        if len(value) > MAX_RECORDS:
            raise forms.ValidationError(
                self.error_messages["too_many"] % {"limit": MAX_RECORDS}, code="too_many"
            )
        ids = []
        for item in value:
            if isinstance(item, bool) or not isinstance(item, int | str):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            text = str(item).strip()
            if not text.isascii() or not text.isdigit() or len(text) > 19:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            number = int(text)
            if not 0 < number <= MAX_ID:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            ids.append(number)
        twice = sorted({n for n in ids if ids.count(n) > 1}) if len(set(ids)) < len(ids) else []
        if twice:
            raise forms.ValidationError(
                self.error_messages["duplicate"] % {"ids": ", ".join(map(str, twice))},
                code="duplicate",
            )
        return ids


class BulkDecisionForm(forms.Form):
    """The records, the decision (one of ``decisions``) and its reason."""

    ids = IdSetField(label=_("Records"))
    decision = forms.ChoiceField(label=_("Decision"))
    reason = forms.CharField(
        label=_("Reason for this decision"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for this decision.")},
    )

    def __init__(self, *args, decisions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = decisions


def record_ids(records: Iterable) -> list[int]:
    """The ids of a set of records (or ids) a service is asked to decide, checked again as the
    form checks them: 1 to ``MAX_RECORDS``, each once. Raises ``Refused`` (400)."""
    ids = [getattr(record, "pk", record) for record in records]
    if not ids:
        raise Refused(_("Select at least one record."), "ids")
    if len(ids) > MAX_RECORDS:
        raise Refused(IdSetField.default_error_messages["too_many"] % {"limit": MAX_RECORDS}, "ids")
    if not all(isinstance(pk, int) and not isinstance(pk, bool) for pk in ids):
        raise Refused(_("Record ids are whole numbers."), "ids")
    if len(set(ids)) < len(ids):
        twice = sorted({pk for pk in ids if ids.count(pk) > 1})
        raise Refused(
            IdSetField.default_error_messages["duplicate"] % {"ids": ", ".join(map(str, twice))},
            "ids",
        )
    return ids


def required_reason(reason: str | None) -> str:
    """The reason as stored; raises ``Refused`` (400) when it is missing or too long."""
    text = (reason or "").strip()
    if not text:
        raise Refused(_("Give the reason for this decision."), "reason")
    if len(text) > MAX_REASON:
        raise Refused(
            _("Keep the reason to %(limit)d characters.") % {"limit": MAX_REASON}, "reason"
        )
    return text


def names(items: list[str], shown: int = 20) -> str:
    """Records a refusal names: the first ``shown`` of them, then how many more."""
    text = ", ".join(items[:shown])
    if len(items) > shown:
        text += " " + str(_("and %(count)d more")) % {"count": len(items) - shown}
    return text
