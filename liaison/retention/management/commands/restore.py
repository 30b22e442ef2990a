"""``manage.py restore FILE``: a backup restored into the configured, fresh database; then
``manage.py retention`` anonymizes whatever the backup held past its retention period."""

import subprocess

from django.core.management.base import BaseCommand, CommandError

from liaison.retention import backups


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into a fresh database."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            backups.restore(file)
        except (backups.BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        except subprocess.CalledProcessError as error:
            raise CommandError(error.stderr.decode(errors="replace")[-2000:]) from error
        self.stdout.write(f"restored {file}; now run `manage.py retention` for what is past due")
