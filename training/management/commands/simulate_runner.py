from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from training.simulation import Events, report, simulate


class Command(BaseCommand):
    help = (
        "Print eight weeks of a simulated runner (two sessions a week, 1 + 2 sets of the back "
        "squat) with each suggestion of the progression engine and its reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--two-missed",
            action="store_true",
            help="miss two sessions in a row (week 3 Thursday and week 4 Monday) instead of one",
        )

    def handle(self, *args: Any, two_missed: bool, **options: Any) -> None:
        today = timezone.localdate()
        # The Monday eight weeks ago, so the weeks read as recent ones.
        start = today - timedelta(days=today.weekday(), weeks=8)
        events = Events(missed=(5, 6)) if two_missed else Events()
        for line in report(simulate(start=start, events=events)):
            self.stdout.write(line)
