"""Celery adapters: take ids, call one service."""

from datetime import timedelta
from uuid import UUID

from celery import shared_task
from django.utils import timezone

from training import services


@shared_task(acks_late=True)
def record_estimated_max(set_log_id: str) -> None:
    services.estimated_max_from_set(set_log_id=UUID(set_log_id))


# A week back: longer than any broker outage we would not have noticed.
CATCH_UP_WINDOW = timedelta(days=7)


@shared_task(acks_late=True)
def catch_up_estimated_maxes() -> int:
    """Nightly (CELERY_BEAT_SCHEDULE): estimates whose messages were lost."""
    return services.estimated_maxes_catch_up(since=timezone.now() - CATCH_UP_WINDOW)
