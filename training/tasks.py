"""Celery adapters: take ids, call one service."""

from uuid import UUID

from celery import shared_task

from training import services


@shared_task(acks_late=True)
def record_estimated_max(set_log_id: str) -> None:
    services.estimated_max_from_set(set_log_id=UUID(set_log_id))
