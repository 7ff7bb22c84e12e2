"""Celery adapters for the hourly jobs; both are idempotent (comms/deliveries.py)."""

from celery import shared_task

from coaching.comms import deliveries


@shared_task(acks_late=True)
def send_due_digests() -> int:
    return deliveries.digests_send()


@shared_task(acks_late=True)
def send_morning_reminders() -> int:
    return deliveries.morning_reminders_send()
