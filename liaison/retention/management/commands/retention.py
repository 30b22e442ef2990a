"""``manage.py retention --dry-run`` counts what is due per rule (and the orphaned files);
``manage.py retention`` runs, then sweeps the orphaned files (not with ``--rule``)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from liaison.retention import runs
from liaison.retention.rules import rules


class Command(BaseCommand):
    help = "Anonymize the personal data past its retention period (or, with --dry-run, count it)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")
        parser.add_argument("--today", help="the day to run as (YYYY-MM-DD; default: today)")
        parser.add_argument("--rule", default="", help="only this rule")
        parser.add_argument("--batch-size", type=int, default=runs.BATCH_SIZE)

    def handle(self, *args, dry_run=False, today=None, rule="", batch_size=runs.BATCH_SIZE, **kw):
        if rule and rule not in {r.code for r in rules()}:
            raise CommandError(f"there is no rule {rule!r}")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError("--today must be YYYY-MM-DD") from None
        receipts = runs.run(today=day, dry_run=dry_run, batch_size=batch_size, only=rule)
        for receipt in receipts:
            self.stdout.write(
                f"{receipt.rule}: due {receipt.due}, held {receipt.held}, "
                f"anonymized {receipt.anonymized}, files removed {receipt.files_removed}"
                + (" (dry run)" if receipt.dry_run else "")
            )
        if receipts:
            self.stdout.write(f"run {receipts[0].run_id}")
