from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from coaching.queue import enqueue_after_commit
from coaching.tasks import send_email


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose email goes out through Celery, not inside the request."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        enqueue_after_commit(send_email, subject=subject, body=body, to=[to_email])
