from decimal import Decimal
from typing import Any, cast

from django import forms

from athletes.models import Athlete
from athletes.units import to_kg
from plans.models import Exercise

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
    exercise = forms.ModelChoiceField(
        queryset=Exercise.objects.none(), empty_label="Choose an exercise"
    )

    def __init__(self, *args: Any, athlete: Athlete, exercises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        exercise_field = cast(forms.ModelChoiceField, self.fields["exercise"])
        exercise_field.queryset = exercises
        self.fields["value_kg"] = LoadField(
            unit=athlete.unit, min_kg=Decimal(1), label=f"Training max ({athlete.unit})"
        )


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
