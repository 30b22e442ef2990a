from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from liaison.core import audit, reference


class Command(BaseCommand):
    help = "Load or update a city's reference data (idempotent). Refuses a bad file whole."

    def add_arguments(self, parser):
        parser.add_argument(
            "--city",
            default=settings.LIAISON_CITY,
            help="Folder name under LIAISON_REFERENCE_DIR (default: %(default)s).",
        )
        parser.add_argument("--dir", type=Path, help="Load this folder instead.")

    def handle(self, *args, city, dir, **options):
        directory = dir or settings.LIAISON_REFERENCE_DIR / city
        if not directory.is_dir():
            raise CommandError(f"No reference data folder at {directory}")
        try:
            with audit.acting_as(username="load_reference"):
                report = reference.load(directory)
        except reference.ReferenceDataError as error:
            raise CommandError(f"Nothing was loaded from {directory}:\n{error}") from error
        self.stdout.write(f"Reference data from {directory}: {report}")
