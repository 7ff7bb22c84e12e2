from typing import Any

from django.core.management.base import BaseCommand

from coaching.demo import DEMO_ATHLETES, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create or refresh the demo club, coach and athletes (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        club = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo ready: {club.name}"))
        self.stdout.write(f"  coach@example.com / {DEMO_PASSWORD}")
        for athlete in DEMO_ATHLETES:
            self.stdout.write(f"  {athlete.email} / {DEMO_PASSWORD}")
