from decimal import Decimal
from typing import Any, cast

from django import forms

from athletes.models import Athlete
from athletes.services import training_max_set
from athletes.units import format_load, to_kg
from coaching.models import User
from plans.models import Exercise
from training.progression import estimate_1rm

MAX_LOAD_KG = Decimal(500)


class LoadField(forms.DecimalField):
    """A load typed in the athlete's unit; cleaned to kg."""

    def __init__(self, *, unit: str, min_kg: Decimal = Decimal(0), **kwargs: Any) -> None:
        self.unit = unit
        self.min_kg = min_kg
        kwargs.setdefault("max_digits", 7)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs["error_messages"] = {
            "min_value": "The load can't be negative.",
            **kwargs.get("error_messages", {}),
        }
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "step": "any"})

    def clean(self, value: Any) -> Decimal | None:
        number = super().clean(value)
        if number is None:
            return None
        kg = to_kg(number, self.unit)
        if kg > MAX_LOAD_KG:
            limit = "500 kg" if self.unit == "kg" else "1100 lb"
            raise forms.ValidationError(f"That is more than {limit}; check the number.")
        if kg < self.min_kg:
            raise forms.ValidationError("The load must be more than zero.")
        return kg


class TrainingMaxForm(forms.Form):
    """A training max: set directly, or a baseline from a tested 1RM or a rep test."""

    SET = "coach"
    TESTED = "tested"
    REP_TEST = "rep_test"
    METHODS = [
        (SET, "Training max, as I know it"),
        (TESTED, "Tested 1RM (the heaviest single)"),
        (REP_TEST, "Rep test (a set taken close to failure)"),
    ]
    MAX_TEST_REPS = 10

    exercise = forms.ModelChoiceField(
        queryset=Exercise.objects.none(), empty_label="Choose an exercise"
    )
    method = forms.ChoiceField(label="From", choices=METHODS, initial=SET, required=False)

    def __init__(self, *args: Any, athlete: Athlete, exercises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.athlete = athlete
        exercise_field = cast(forms.ModelChoiceField, self.fields["exercise"])
        exercise_field.queryset = exercises
        self.fields["value_kg"] = LoadField(
            unit=athlete.unit,
            min_kg=Decimal(0),
            label=f"Training max or test load ({athlete.unit})",
            help_text="For a bodyweight move, the load added to the body.",
        )
        self.fields["reps"] = forms.IntegerField(
            label="Reps (rep test)",
            required=False,
            min_value=1,
            max_value=self.MAX_TEST_REPS,
            error_messages={
                "max_value": "Over 10 reps says too little about a 1RM: test with a heavier load.",
                "min_value": "A rep test needs at least one rep.",
            },
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        method = data["method"] = data.get("method") or self.SET
        exercise, load = data.get("exercise"), data.get("value_kg")
        if exercise is None or load is None:
            return data
        reps = data.get("reps")
        if method == self.REP_TEST and not reps:
            self.add_error("reps", "How many reps did the test set have?")
            return data
        lifted = load
        if exercise.equipment == Exercise.Equipment.BODYWEIGHT and method != self.SET:
            if self.athlete.body_mass_kg is None:
                raise forms.ValidationError(
                    "A bodyweight baseline counts the body: add the athlete's body mass first."
                )
            lifted = load + self.athlete.body_mass_kg
        test_reps: int = reps if method == self.REP_TEST and reps else 1
        estimate = estimate_1rm(lifted, test_reps)
        if estimate is None or estimate < 1:
            self.add_error("value_kg", "A training max must be more than zero.")
            return data
        if estimate > MAX_LOAD_KG:
            self.add_error("value_kg", "That makes a training max over 500 kg; check the numbers.")
            return data
        data["training_max_kg"] = estimate
        data["reason"] = self._reason(method, load, reps)
        return data

    def save(self, *, by: User) -> str:
        """The coach sets the training max the form describes (a decision); the sentence
        that confirms it. An athlete's own baseline goes through athlete_baseline_enter."""
        exercise, value_kg = self.cleaned_data["exercise"], self.cleaned_data["training_max_kg"]
        training_max_set(
            athlete=self.athlete,
            exercise=exercise,
            value_kg=value_kg,
            source=self.cleaned_data["method"],
            by=by,
            reason=self.cleaned_data["reason"],
        )
        return f"{exercise} training max set to {format_load(value_kg, self.athlete.unit)}."

    def _reason(self, method: str, load: Decimal, reps: int | None) -> str:
        shown = format_load(load, self.athlete.unit)
        if method == self.TESTED:
            return f"tested 1RM of {shown}"
        if method == self.REP_TEST:
            return f"rep test: {reps} × {shown} (Epley)"
        return ""


class GroupNameForm(forms.Form):
    name = forms.CharField(max_length=80, label="Group name")


class GroupMembersForm(forms.Form):
    athletes = forms.ModelMultipleChoiceField(
        queryset=Athlete.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one athlete to add."},
    )

    def __init__(self, *args: Any, athletes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["athletes"])
        field.queryset = athletes
        field.label_from_instance = lambda athlete: athlete.name  # type: ignore[method-assign,assignment]
