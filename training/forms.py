from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

from django import forms

from athletes.forms import LoadField
from athletes.models import Athlete
from core.widgets import DatePicker
from plans.models import Exercise
from training.models import PainReport, ReadinessCheckIn, SetLog
from training.services import PainDetails, SetValues

# RPE 1–10 in half steps, as the select on the phone offers them.
RPE_VALUES = [f"{n / 2:g}" for n in range(2, 21)]
RPE_CHOICES = [("", "RPE"), *((value, value) for value in RPE_VALUES)]


class SetValuesForm(forms.Form):
    """Reps, load, RPE and a note: what the athlete did in one set."""

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
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args: Any, athlete: Athlete, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["load_kg"] = LoadField(
            unit=athlete.unit,
            label=f"Load ({athlete.unit})",
            error_messages={"min_value": "The load can't be negative."},
        )

    def set_values(self) -> SetValues:
        data = self.cleaned_data
        return SetValues(
            reps=data["reps"], load_kg=data["load_kg"], rpe=data["rpe"], note=data["note"]
        )


class SetLogForm(SetValuesForm):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    prescription = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=SetLog.Kind.choices, widget=forms.HiddenInput)
    set_number = forms.IntegerField(min_value=1, max_value=20, widget=forms.HiddenInput)
    side = forms.ChoiceField(choices=SetLog.Side.choices, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, athlete: Athlete, **kwargs: Any) -> None:
        super().__init__(*args, athlete=athlete, **kwargs)
        # Whether a load is needed depends on the exercise: see settle_load.
        self.fields["load_kg"].required = False

    def settle_load(self, exercise: Exercise) -> None:
        """An empty load on a bodyweight move is bodyweight alone (nothing added, stored as
        0 added); any other exercise needs the load that was lifted."""
        data = getattr(self, "cleaned_data", {})
        if "load_kg" not in data or data["load_kg"] is not None:
            return
        if exercise.equipment == Exercise.Equipment.BODYWEIGHT:
            data["load_kg"] = Decimal(0)
        else:
            self.add_error("load_kg", "Type the load you lifted.")

    def slot_identity(self) -> "SlotIdentity | None":
        """Which set this post is about, if the hidden fields are intact."""
        data = getattr(self, "cleaned_data", {})
        names = ("client_id", "prescription", "kind", "set_number", "side")
        if any(name not in data for name in names):
            return None
        return SlotIdentity(
            client_id=data["client_id"],
            prescription_id=data["prescription"],
            kind=data["kind"],
            set_number=data["set_number"],
            side=data["side"],
        )


@dataclass(frozen=True)
class SlotIdentity:
    client_id: UUID
    prescription_id: UUID
    kind: str
    set_number: int
    side: str


class ExerciseChoiceForm(forms.Form):
    exercise = forms.ModelChoiceField(
        queryset=Exercise.objects.none(), empty_label="Choose an exercise"
    )

    def __init__(self, *args: Any, exercises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["exercise"]).queryset = exercises


class AddExerciseForm(ExerciseChoiceForm):
    working_sets = forms.IntegerField(min_value=1, max_value=5, initial=2, label="Sets")
    reps = forms.IntegerField(min_value=1, max_value=50, initial=8)


class MoveSessionForm(forms.Form):
    date = forms.DateField(widget=DatePicker(), label="Move to")
    start_time = forms.TimeField(
        label="at (optional)",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Give the time as HH:MM (24-hour clock)."},
    )


class ReadinessForm(forms.ModelForm[ReadinessCheckIn]):
    class Meta:
        model = ReadinessCheckIn
        fields = list(ReadinessCheckIn.SCORES)
        widgets = {
            name: forms.RadioSelect(choices=[(n, str(n)) for n in range(1, 6)])
            for name in ReadinessCheckIn.SCORES
        }


class FinishSessionForm(forms.Form):
    session_rpe = forms.IntegerField(
        min_value=0,
        max_value=10,
        label="How hard was the whole session? (0–10)",
        error_messages={"min_value": "0 is the lowest.", "max_value": "10 is the highest."},
    )
    duration_minutes = forms.IntegerField(
        min_value=1,
        max_value=300,
        label="Minutes",
        error_messages={"max_value": "At most 300 minutes.", "min_value": "At least 1 minute."},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    pain_location = forms.ChoiceField(
        choices=[("", "No pain or niggle"), *PainReport.Location.choices],
        required=False,
        label="Pain or niggle",
    )
    pain_side = forms.ChoiceField(choices=PainReport.Side.choices, required=False, label="Side")
    pain_severity = forms.IntegerField(
        min_value=0, max_value=10, required=False, label="Severity (0–10)"
    )
    pain_exercise = forms.ModelChoiceField(
        queryset=Exercise.objects.none(), required=False, label="During", empty_label="—"
    )
    pain_note = forms.CharField(max_length=500, required=False, label="What happened?")

    def __init__(self, *args: Any, exercises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["pain_exercise"]).queryset = exercises

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("pain_location") and data.get("pain_severity") is None:
            self.add_error("pain_severity", "How bad is it, from 0 to 10?")
        return data

    def pain(self) -> PainDetails | None:
        data = self.cleaned_data
        if not data["pain_location"]:
            return None
        return PainDetails(
            location=data["pain_location"],
            severity=data["pain_severity"],
            side=data["pain_side"],
            exercise=data["pain_exercise"],
            note=data["pain_note"],
        )


class RunDoneForm(forms.Form):
    actual_minutes = forms.IntegerField(min_value=1, max_value=600, label="Minutes")
    session_rpe = forms.IntegerField(min_value=0, max_value=10, label="RPE (0–10)")


class SuggestionDecisionForm(forms.Form):
    """The coach's answer to a progression suggestion."""

    ACCEPT = "accept"
    OVERRIDE = "override"
    DISMISS = "dismiss"

    decision = forms.ChoiceField(
        choices=[(ACCEPT, "Accept"), (OVERRIDE, "Override"), (DISMISS, "Dismiss")]
    )

    def __init__(self, *args: Any, unit: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["load"] = LoadField(unit=unit, required=False, label=f"Load ({unit})")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == self.OVERRIDE and data.get("load") is None:
            self.add_error("load", "Type the load you want instead.")
        return data


class AutoAcceptForm(forms.Form):
    auto_accept_progression = forms.BooleanField(
        required=False, label="Apply progression suggestions without my approval"
    )
