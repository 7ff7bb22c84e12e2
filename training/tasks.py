"""Celery adapters: take ids, call one service."""

from uuid import UUID

from celery import shared_task

from training import services, suggestions


@shared_task(acks_late=True)
def record_estimated_max(set_log_id: str) -> None:
    services.estimated_max_from_set(set_log_id=UUID(set_log_id))


@shared_task(acks_late=True)
def progression_after_session(session_id: str) -> None:
    """Training maxes and suggestions for the lifts of a session the athlete just finished."""
    suggestions.recompute_for_session(UUID(session_id))


@shared_task(acks_late=True)
def progression_nightly() -> None:
    """Everyone's training maxes and suggestions: catches what a lost message missed."""
    suggestions.recompute_everyone()
