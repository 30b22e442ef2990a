"""A donation's events as the reader reads them: the stored code and data, rendered now in the
reader's language (an event never stores a sentence)."""

from django.utils.translation import gettext as _

from liaison.aid.models import DonationEvent, DonationStatus, EventCode
from liaison.aid.models.donations import Donation

FIELD_LABELS = {
    name: Donation._meta.get_field(name).verbose_name
    for name in (
        "occasion",
        "pledged_on",
        "estimated_value",
        "currency",
        "donor_may_be_named",
        "notes",
    )
}


def _place(data: dict) -> str:
    from liaison.core.models import Jurisdiction, Site

    if data.get("site"):
        found = Site.objects.filter(code=data["site"]).first()
    else:
        found = Jurisdiction.objects.filter(code=data.get("jurisdiction", "")).first()
    return found.name if found else (data.get("site") or data.get("jurisdiction") or "")


def _item(code: str) -> str:
    from liaison.aid.models import Item

    found = Item.objects.filter(code=code).first()
    return found.name if found else code


def _status(value: str) -> str:
    return DonationStatus(value).label if value in DonationStatus.values else value


def describe(event: DonationEvent) -> str:
    data = event.data or {}
    if event.code == EventCode.RECORDED:
        return _("Recorded as pledged, %(n)s lines") % {"n": len(data.get("lines", []))}
    if event.code == EventCode.MOVED:
        text = _("%(before)s → %(after)s") % {
            "before": _status(event.from_status),
            "after": _status(event.to_status),
        }
        if data.get("batch"):
            text += " · " + _("batch %(n)s") % {"n": data["batch"]}
        return text
    if event.code == EventCode.BATCH_SENT:
        return _("Batch %(n)s sent: %(units)s units") % {
            "n": data.get("batch"),
            "units": data.get("units"),
        }
    if event.code == EventCode.BATCH_RECEIVED:
        return _("Batch %(n)s received: %(accepted)s units accepted, %(rejected)s rejected") % {
            "n": data.get("batch"),
            "accepted": data.get("accepted"),
            "rejected": data.get("rejected"),
        }
    if event.code == EventCode.ALLOCATED:
        return _("%(units)s units of %(item)s allocated to %(to)s") % {
            "units": data.get("units"),
            "item": _item(data.get("item", "")),
            "to": _place(data),
        }
    if event.code == EventCode.CORRECTED:
        changes = "; ".join(
            f"{FIELD_LABELS.get(name, name)}: {change.get('before')} → {change.get('after')}"
            for name, change in data.items()
        )
        return _("Corrected: %(changes)s") % {"changes": changes}
    return event.get_code_display()
