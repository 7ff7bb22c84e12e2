from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coaching.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Replace the database and stored files with a backup made by `manage.py backup`. "
        "Everything stored now is replaced; run `manage.py migrate` afterwards "
        "if the code is newer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the archive to restore")
        parser.add_argument(
            "--yes", action="store_true", help="confirm that the current data is to be replaced"
        )

    def handle(self, *args: Any, path: Path, yes: bool, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(f"No backup at {path}.")
        if not yes:
            raise CommandError(
                "Restoring replaces every athlete, log and video stored now. "
                "Run again with --yes to go ahead."
            )
        try:
            summary = backup_restore(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the {summary.database} database and {summary.files} files from {path}"
            )
        )
