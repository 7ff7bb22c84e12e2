"""The file field of the import forms: a file read whole into memory to be parsed, so it
is refused above a size before a byte of it is read."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile


class ImportFileField(forms.FileField):
    """A file to import, at most `max_bytes` long; `advice` ends the too-large message
    ("split it", "export less history")."""

    default_error_messages = {
        "required": "Choose a file to import.",
        "empty": "The file is empty.",
        "invalid": "Choose a file to import.",
    }

    def __init__(self, *, max_bytes: int, advice: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_bytes = max_bytes
        self.advice = advice

    def clean(self, data: Any, initial: Any = None) -> UploadedFile | None:
        upload: UploadedFile | None = super().clean(data, initial)
        if upload is not None and upload.size is not None and upload.size > self.max_bytes:
            raise ValidationError(
                f"The file is larger than {self.max_bytes // 1_000_000} MB: {self.advice}.",
                code="too_large",
            )
        return upload


def import_bytes(upload: UploadedFile, *, max_bytes: int) -> bytes:
    """The file's content for the parser, which refuses anything longer than `max_bytes`.
    One byte beyond the limit is read, so that a lying size still can't read a huge file."""
    return upload.read(max_bytes + 1)
