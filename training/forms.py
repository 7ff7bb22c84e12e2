from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django import forms

from athletes.forms import LoadField
from athletes.models import Athlete
from training.models import SetLog

# RPE 1–10 in half steps, as the select on the phone offers them.
RPE_VALUES = [f"{n / 2:g}" for n in range(2, 21)]
RPE_CHOICES = [("", "RPE"), *((value, value) for value in RPE_VALUES)]


class SetLogForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    prescription = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=SetLog.Kind.choices, widget=forms.HiddenInput)
    set_number = forms.IntegerField(min_value=1, max_value=20, widget=forms.HiddenInput)
    reps = forms.IntegerField(
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": "Reps can't be negative.",
            "max_value": "At most 100 reps.",
        },
    )
    rpe = forms.TypedChoiceField(
        choices=RPE_CHOICES, coerce=Decimal, required=False, empty_value=None, label="RPE"
    )

    def __init__(self, *args: Any, athlete: Athlete, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["load_kg"] = LoadField(
            unit=athlete.unit,
            label=f"Load ({athlete.unit})",
            error_messages={"min_value": "The load can't be negative."},
        )

    def slot_identity(self) -> "SlotIdentity | None":
        """Which set this post is about, if the hidden fields are intact."""
        data = getattr(self, "cleaned_data", {})
        names = ("client_id", "prescription", "kind", "set_number")
        if any(name not in data for name in names):
            return None
        return SlotIdentity(
            client_id=data["client_id"],
            prescription_id=data["prescription"],
            kind=data["kind"],
            set_number=data["set_number"],
        )


@dataclass(frozen=True)
class SlotIdentity:
    client_id: UUID
    prescription_id: UUID
    kind: str
    set_number: int
