"""Celery adapters: take ids, call one service."""

from datetime import timedelta
from uuid import UUID

from celery import shared_task
from django.utils import timezone

from training import estimates, suggestions


@shared_task(acks_late=True)
def record_estimated_max(set_log_id: str) -> None:
    estimates.estimated_max_from_set(set_log_id=UUID(set_log_id))


@shared_task(acks_late=True)
def progression_after_session(session_id: str) -> None:
    """Training maxes and suggestions for the lifts of a session the athlete just finished."""
    suggestions.recompute_for_session(UUID(session_id))


@shared_task(acks_late=True)
def progression_nightly() -> None:
    """Everyone's training maxes and suggestions: catches what a lost message missed."""
    suggestions.recompute_everyone()


# A week back: longer than any broker outage we would not have noticed.
CATCH_UP_WINDOW = timedelta(days=7)


@shared_task(acks_late=True)
def catch_up_estimated_maxes() -> int:
    """Nightly (CELERY_BEAT_SCHEDULE): estimates whose messages were lost."""
    return estimates.estimated_maxes_catch_up(since=timezone.now() - CATCH_UP_WINDOW)
