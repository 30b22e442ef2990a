"""Travelers the policy decided at screening move on to "disposition decided".

Before the table of moves had screened → disposition, a decision settled before any test (a
fever: hospital) was recorded while the traveler stayed "screened", and dispatch listed such
hospital cases by their disposition. Screening now moves them; this moves those decided earlier
the same way, each with its event and audit entry, so that dispatch (which now lists only
"disposition decided") still sees them. Travelers already sampled keep waiting for their result,
which decides again.
"""

from django.db import migrations
from django.utils import timezone


def forward(apps, schema_editor):
    Arrival = apps.get_model("arrivals", "Arrival")
    ArrivalEvent = apps.get_model("arrivals", "ArrivalEvent")
    AuditEntry = apps.get_model("core", "AuditEntry")
    Disposition = apps.get_model("screening", "Disposition")
    decided = Disposition.objects.filter(is_current=True, arrival__state="screened").select_related(
        "rules_version", "risk_list_version"
    )
    now = timezone.now()
    for disposition in decided.iterator():
        moved = Arrival.objects.filter(pk=disposition.arrival_id, state="screened").update(
            state="disposition", updated_at=now
        )
        if not moved:
            continue
        why = (
            f"policy {disposition.rules_version.version} / "
            f"{disposition.risk_list_version.version}, rule {disposition.rule_id} "
            "(decided at screening)"
        )
        ArrivalEvent.objects.create(
            arrival_id=disposition.arrival_id,
            at=now,
            from_state="screened",
            to_state="disposition",
            actor_id=disposition.decided_by_id,
            why=why[:300],
            data={"disposition": disposition.disposition, "rule_id": disposition.rule_id},
        )
        AuditEntry.objects.create(
            at=now,
            actor_username="migration screening.0002",
            action="update",
            object_type="arrivals.arrival",
            object_id=str(disposition.arrival_id),
            fields=["state"],
            note="screened -> disposition",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("arrivals", "0001_initial"),
        ("core", "0002_audit_append_only"),
        ("screening", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
