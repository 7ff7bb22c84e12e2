"""Enqueueing Celery work after a commit, without ever failing the request."""

import logging
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue_after_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """Send `task` once the surrounding transaction commits.

    The data is already committed when the broker is asked, so a broker outage
    must not turn a saved set into an error page: the failure is logged and the
    periodic jobs recompute what the message would have done.
    """

    def send() -> None:
        try:
            task.delay(*args, **kwargs)
        except OperationalError:
            logger.warning("broker unreachable; task not queued", extra={"task": task.name})

    transaction.on_commit(send)
