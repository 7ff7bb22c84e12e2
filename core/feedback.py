"""Turning form errors into what a person reads, in one place."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest


def form_error_messages(form: forms.BaseForm) -> list[str]:
    """Every error of a bound form, field errors and non-field errors alike."""
    return [str(error) for errors in form.errors.values() for error in errors]


def flash_form_errors(request: HttpRequest, form: forms.BaseForm) -> None:
    """For the no-JavaScript paths that redirect: the errors go to the next page."""
    for message in form_error_messages(form):
        messages.error(request, message)
