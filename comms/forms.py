from typing import Any

from django import forms

from comms.models import MESSAGE_MAX_LENGTH, NOTE_MAX_LENGTH, NotificationPreference


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Note",
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write something in the note first."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The note and message forms share a page: their ids must differ.
        kwargs.setdefault("auto_id", "id_note_%s")
        super().__init__(*args, **kwargs)


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Message",
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write a message first."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_message_%s")
        super().__init__(*args, **kwargs)


class ReadUpToForm(forms.Form):
    """The newest message the person had on screen when they read the thread."""

    up_to = forms.UUIDField(widget=forms.HiddenInput)


class PreferenceForm(forms.Form):
    email = forms.ChoiceField(
        label="Email me",
        choices=NotificationPreference.Email.choices,
        widget=forms.RadioSelect,
    )
    morning_reminder = forms.BooleanField(
        label="Remind me in the morning on days with a strength session", required=False
    )

    def __init__(self, *args: Any, is_athlete: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_athlete:
            del self.fields["morning_reminder"]
