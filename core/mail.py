"""Email, sent by a worker after the commit that asked for it."""

from celery import shared_task
from django.core.mail import send_mail


# Registered under its old module's name: messages already queued by that name still run.
@shared_task(
    name="coaching.tasks.send_email",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_email(*, subject: str, body: str, to: list[str]) -> None:
    send_mail(subject, body, None, to)
