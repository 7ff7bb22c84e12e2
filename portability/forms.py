from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from athletes.models import Athlete
from core.uploads import ImportFileField, import_bytes
from portability.lifting_import import MAX_BYTES, ParsedHistory, parse_history


class HistoryImportForm(forms.Form):
    file = ImportFileField(
        label="Strong or Hevy export (.csv)",
        max_bytes=MAX_BYTES,
        advice="export less history",
    )
    unit = forms.ChoiceField(
        label="Weights in a Strong file are in",
        choices=Athlete.Unit.choices,
        help_text="Strong's newer exports don't say; Hevy's and older Strong files do.",
        error_messages={"invalid_choice": "Choose kg or lb."},
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.parsed: ParsedHistory | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload: UploadedFile | None = cleaned.get("file")
        unit = cleaned.get("unit")
        if upload is None or unit is None:
            return cleaned
        data = import_bytes(upload, max_bytes=MAX_BYTES)
        self.parsed = parse_history(data, unit=unit, today=self.today)
        if not self.parsed.ok:
            self.add_error("file", "Nothing was imported: fix the file and upload it again.")
        return cleaned

    @property
    def problems(self) -> list[str]:
        if self.parsed is None:
            return []
        listed = [str(problem) for problem in self.parsed.problems]
        if self.parsed.more_problems:
            listed.append(f"… and {self.parsed.more_problems} more.")
        return listed


class DeleteAthleteForm(forms.Form):
    confirm_name = forms.CharField(
        label="Type the athlete's name to confirm",
        max_length=200,
        error_messages={"required": "Type the athlete's name to confirm."},
    )

    def __init__(self, *args: Any, expected: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected = expected

    def clean_confirm_name(self) -> str:
        typed: str = self.cleaned_data["confirm_name"]
        if " ".join(typed.split()).casefold() != " ".join(self.expected.split()).casefold():
            raise ValidationError(f"That is not {self.expected}: nothing was deleted.")
        return typed


class DeletionRequestForm(forms.Form):
    reason = forms.CharField(
        label="Anything your coach should know (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "At most 500 characters (this has %(show_value)d)."},
    )
