"""Celery adapters for the hourly jobs; both are idempotent (comms/deliveries.py)."""

from celery import shared_task

from comms import deliveries

# The names are the ones these tasks had when comms lived inside coaching: beat entries
# and messages already queued under them keep running after the move.


@shared_task(name="coaching.comms.tasks.send_due_digests", acks_late=True)
def send_due_digests() -> int:
    return deliveries.digests_send()


@shared_task(name="coaching.comms.tasks.send_morning_reminders", acks_late=True)
def send_morning_reminders() -> int:
    return deliveries.morning_reminders_send()
