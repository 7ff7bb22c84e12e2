"""Turning form errors into what a person reads, in one place."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def form_error_messages(form: forms.BaseForm) -> list[str]:
    """Every error of a bound form, field errors and non-field errors alike."""
    return [str(error) for errors in form.errors.values() for error in errors]


def flash_form_errors(request: HttpRequest, form: forms.BaseForm) -> None:
    """For the no-JavaScript paths that redirect: the errors go to the next page."""
    for message in form_error_messages(form):
        messages.error(request, message)


def carry_out(action: Callable[[], str], form: forms.BaseForm | None = None) -> tuple[str, str]:
    """Run `action` (a service call that returns what to tell the person) once `form`, if
    given, is valid: `(notice, problem)`, one of them empty. The form's errors, or the
    service's refusal (a ValidationError), become the problem."""
    if form is not None and not form.is_valid():
        return "", " ".join(form_error_messages(form))
    try:
        return action(), ""
    except ValidationError as error:
        return "", " ".join(error.messages)
