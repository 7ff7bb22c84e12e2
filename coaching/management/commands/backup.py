from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from coaching.backup import BackupError, backup_write


class Command(BaseCommand):
    help = "Back up the database and every stored file (form videos, demo clips) into one archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            help="the archive to write (default: backups/runstrong-<UTC time>.tar)",
        )

    def handle(self, *args: Any, path: Path | None, **options: Any) -> None:
        path = path or Path("backups") / f"runstrong-{timezone.now():%Y%m%dT%H%M%SZ}.tar"
        try:
            summary = backup_write(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {summary.database} database and {summary.files} files "
                f"({summary.bytes / 1e6:.1f} MB) to {summary.path}"
            )
        )
