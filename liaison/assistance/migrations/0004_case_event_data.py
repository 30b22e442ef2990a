"""A case event keeps a code and its parameters; the sentences written before become codes.

Until now the services wrote a sentence into ``text`` — in English, or in the language of the
officer who acted ("Priority changed from High to Urgent.", "已起草致……的通报 N-00001。") — and
every reader saw that language. An event whose ``text`` is one of those sentences (English or
zh-hans) gets its code in ``data["kind"]``, its parameters in ``data`` (priority codes, the
notification's id and reference, the mission's id) and keeps in ``text`` only an officer's own
words (a review's or a cancellation's reason, a status change's note); pages then render it in the
reader's language (``liaison.assistance.events``). Priority changes, written as notes, get their
own type. An event that matches nothing is left as it is. Going back changes nothing.
"""

import re

from django.db import migrations, models

_PRIORITY = {
    "Urgent": "urgent",
    "High": "high",
    "Normal": "normal",
    "Low": "low",
    "紧急": "urgent",
    "高": "high",
    "普通": "normal",
    "低": "low",
}
_REF = r"(?P<ref>N-\d+)"

# (event type, the sentence as the services wrote it, its code).
_FROZEN = [
    ("note", r"Priority changed from (?P<old>.+?) to (?P<new>.+?)\.", "priority"),
    ("note", r"优先级由(?P<old>.+?)改为(?P<new>.+?)。", "priority"),
    ("notification", rf"Notification {_REF} drafted to (?P<name>.+)\.", "notification_drafted"),
    ("notification", rf"已起草致(?P<name>.+)的通报 {_REF}。", "notification_drafted"),
    ("notification", rf"Notification {_REF} reviewed: (?P<words>.+)", "notification_reviewed"),
    ("notification", rf"通报 {_REF} 已审核：(?P<words>.+)", "notification_reviewed"),
    ("notification", rf"Notification {_REF} reviewed\.", "notification_reviewed"),
    ("notification", rf"通报 {_REF} 已审核。", "notification_reviewed"),
    ("notification", rf"Notification {_REF} marked sent\.", "notification_sent"),
    ("notification", rf"通报 {_REF} 已标记为已发送。", "notification_sent"),
    (
        "notification",
        rf"Notification {_REF} acknowledged by the mission\.",
        "notification_acknowledged",
    ),
    ("notification", rf"对方已确认收到通报 {_REF}。", "notification_acknowledged"),
    ("notification", rf"Notification {_REF} cancelled: (?P<words>.+)", "notification_cancelled"),
    ("notification", rf"通报 {_REF} 已取消：(?P<words>.+)", "notification_cancelled"),
]
_PATTERNS = [(type_, re.compile(form, re.DOTALL), kind) for type_, form, kind in _FROZEN]


def _missions(apps):
    """The missions' model at this point of history (the directory's once they moved there)."""
    try:
        return apps.get_model("assistance", "Mission")
    except LookupError:
        return apps.get_model("directory", "Organization")


class _Lookups:
    """What an old sentence named by its words, found by id."""

    def __init__(self, apps):
        self.apps = apps
        self.cache = {}

    def _get(self, key, find):
        if key not in self.cache:
            self.cache[key] = find()
        return self.cache[key]

    def mission(self, name: str):
        Mission = _missions(self.apps)
        found = models.Q(name_en=name) | models.Q(name_zh=name)
        return self._get(
            ("mission", name),
            lambda: Mission.objects.filter(found).values_list("pk", flat=True).first(),
        )

    def notification(self, pk: int):
        Notification = self.apps.get_model("assistance", "ConsularNotification")
        return self._get(
            ("notification", pk),
            lambda: Notification.objects.filter(pk=pk).values_list("mission_id", flat=True).first(),
        )

    def officer(self, username: str):
        User = self.apps.get_model("core", "User")
        return self._get(
            ("officer", username),
            lambda: User.objects.filter(username=username).values_list("pk", flat=True).first(),
        )

    def attachment(self, case_id: int, name: str):
        Attachment = self.apps.get_model("assistance", "CaseAttachment")
        found = Attachment.objects.filter(case_id=case_id, original_name=name)
        return found.order_by("pk").values_list("pk", flat=True).first()


def coded(event, lookups: _Lookups) -> tuple[str, str, dict, str] | None:
    """(type, code, parameters, what stays in ``text``) for an old event, or None."""
    text = event.text.strip()
    if event.type == "opened":
        return "opened", "opened", {}, event.text
    if event.type == "status":
        return "status", "status", {}, event.text  # the text is the officer's note
    if event.type == "assigned" and text:
        officer = lookups.officer(text)
        params = {"username": text} if officer is None else {"officer": officer, "username": text}
        return "assigned", "assigned", params, ""
    if event.type == "attachment" and text:
        attachment = lookups.attachment(event.case_id, text)
        params = {"name": text} if attachment is None else {"attachment": attachment, "name": text}
        return "attachment", "attachment", params, ""
    if event.type == "mission" and text:
        mission = lookups.mission(text)
        return None if mission is None else ("mission", "mission", {"mission": mission}, "")
    for type_, pattern, kind in _PATTERNS:
        match = pattern.fullmatch(text) if event.type == type_ else None
        if match is None:
            continue
        found = match.groupdict()
        if kind == "priority":
            old, new = _PRIORITY.get(found["old"]), _PRIORITY.get(found["new"])
            if old is None or new is None:
                return None
            return "priority", kind, {"old": old, "new": new}, ""
        pk = int(found["ref"][2:])
        params = {"notification": pk, "ref": found["ref"]}
        mission = lookups.notification(pk)
        if mission is None and found.get("name"):
            mission = lookups.mission(found["name"])
        if mission is not None:
            params["mission"] = mission
        return "notification", kind, params, found.get("words", "").strip()
    return None


def forward(apps, schema_editor):
    CaseEvent = apps.get_model("assistance", "CaseEvent")
    lookups = _Lookups(apps)
    changed = []
    events = CaseEvent.objects.exclude(type__in=["action"]).only("case_id", "type", "text", "data")
    for event in events.iterator(chunk_size=2000):
        data = event.data if isinstance(event.data, dict) else {}
        if data.get("kind"):
            continue
        found = coded(event, lookups)
        if found is None:
            continue
        event.type, kind, params, event.text = found
        event.data = {**params, **data, "kind": kind}
        changed.append(event)
    CaseEvent.objects.bulk_update(changed, ["type", "text", "data"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0003_notification_reasons"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="data",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="type",
            field=models.CharField(
                choices=[
                    ("opened", "Opened"),
                    ("assigned", "Assigned"),
                    ("action", "Action taken"),
                    ("note", "Note"),
                    ("status", "Status changed"),
                    ("attachment", "Attachment added"),
                    ("mission", "Mission linked"),
                    ("notification", "Consular notification"),
                    ("priority", "Priority changed"),
                ],
                max_length=20,
                verbose_name="type",
            ),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop, elidable=True),
    ]
