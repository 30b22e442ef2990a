"""``manage.py backup FILE``: the whole database in one file (SQLite or PostgreSQL)."""

import subprocess

from django.core.management.base import BaseCommand, CommandError

from liaison.retention import backups


class Command(BaseCommand):
    help = "Back the database up into one file (SQLite: online backup API; PostgreSQL: pg_dump)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            path = backups.backup(file)
        except (backups.BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        except subprocess.CalledProcessError as error:
            raise CommandError(error.stderr.decode(errors="replace")[-2000:]) from error
        self.stdout.write(f"backed up to {path}")
