from django.apps import AppConfig


class CommsConfig(AppConfig):
    """Between coach and athlete: private coach notes, the message thread, notifications."""

    name = "comms"
    label = "comms"
