from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    """Data in and out: exports, the calendar feed, history imports, personal data."""

    name = "portability"
    label = "portability"
