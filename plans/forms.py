from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from athletes.forms import LoadField
from athletes.models import Athlete, TrainingGroup
from coaching.models import Club
from core.widgets import DatePicker
from plans.models import Exercise, PlannedSession, Prescription
from plans.services import DayMapping


class PlannedSessionForm(forms.ModelForm[PlannedSession]):
    class Meta:
        model = PlannedSession
        fields = ["date", "start_time", "title", "notes"]
        labels = {"start_time": "Time (optional)"}
        help_texts = {
            "start_time": "The athlete's local time: the planner checks the hours to a hard run."
        }
        widgets = {
            "date": DatePicker(),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {"start_time": {"invalid": "Give the time as HH:MM (24-hour clock)."}}

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_date(self) -> date:
        day: date = self.cleaned_data["date"]
        limit = timedelta(days=settings.MAX_PLAN_DAYS_AHEAD)
        if day > self.today + limit:
            raise forms.ValidationError("Plan at most a year ahead.")
        if day < self.today - limit:
            raise forms.ValidationError("That date is more than a year ago.")
        return day


class PrescriptionForm(forms.ModelForm[Prescription]):
    load_percent = forms.DecimalField(
        label="% of training max",
        min_value=30,
        max_value=110,
        max_digits=5,
        decimal_places=2,
        initial=75,
        error_messages={
            "min_value": "At least 30 %% of the training max.",
            "max_value": "At most 110 %% of the training max.",
        },
    )

    target_rpe = forms.TypedChoiceField(
        label="Target RPE",
        choices=[("", "—"), *((f"{n / 2:g}", f"{n / 2:g}") for n in range(12, 21))],
        coerce=Decimal,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = Prescription
        fields = [
            "exercise",
            "warmup_sets",
            "working_sets",
            "reps",
            "reps_max",
            "load_rule",
            "load_percent",
            "fixed_load_kg",
            "target_rpe",
            "rest_seconds",
            "film_request",
            "notes",
            "superset_with_previous",
            "progression",
        ]
        labels = {
            "warmup_sets": "Warm-up sets",
            "working_sets": "Working sets",
            "reps_max": "up to (range)",
            "load_rule": "Load",
            "rest_seconds": "Rest (s)",
            "superset_with_previous": "Superset with the one above (A1/A2)",
        }
        error_messages = {
            "warmup_sets": {
                "min_value": "Warm-up sets can't be negative.",
                "max_value": "At most 3 warm-up sets.",
            },
            "working_sets": {
                "min_value": "At least 1 working set.",
                "max_value": "At most 10 working sets.",
            },
            "reps": {"min_value": "At least 1 rep.", "max_value": "At most 50 reps."},
        }

    def __init__(self, *args: Any, exercises: Any = None, unit: str = "kg", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        exercise_field = cast(forms.ModelChoiceField, self.fields["exercise"])
        exercise_field.queryset = exercises if exercises is not None else Exercise.objects.none()
        exercise_field.empty_label = "Choose an exercise"
        self.fields["fixed_load_kg"] = LoadField(
            unit=unit, required=False, label=f"Fixed / added load ({unit})"
        )
        for name in ("warmup_sets", "working_sets", "reps", "reps_max", "load_percent"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rule = data.get("load_rule")
        if rule == Prescription.LoadRule.FIXED and data.get("fixed_load_kg") is None:
            self.add_error("fixed_load_kg", "Give the fixed load.")
        if rule == Prescription.LoadRule.RPE and data.get("target_rpe") is None:
            self.add_error("target_rpe", "Give the target RPE.")
        reps, reps_max = data.get("reps"), data.get("reps_max")
        if reps and reps_max and reps_max < reps:
            self.add_error("reps_max", "The top of the range must be at least the bottom.")
        return data


class BasePrescriptionFormSet(forms.BaseFormSet[PrescriptionForm]):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        chosen = [f for f in self.forms if f.has_changed() and not f.cleaned_data.get("DELETE")]
        if not chosen:
            raise forms.ValidationError("Add at least one exercise.")
        if chosen[0].cleaned_data.get("superset_with_previous"):
            chosen[0].add_error(
                "superset_with_previous", "The first exercise has none above it to pair with."
            )
            raise forms.ValidationError("A superset pairs an exercise with the one above it.")


PrescriptionFormSet = forms.formset_factory(
    PrescriptionForm,
    formset=BasePrescriptionFormSet,
    extra=4,
    max_num=12,
    absolute_max=12,  # a forged form count never builds more than twelve rows
    validate_max=True,
)


class ExerciseForm(forms.ModelForm[Exercise]):
    class Meta:
        model = Exercise
        fields = ["name", "family", "equipment", "per_side", "cue", "demo_url"]
        labels = {"per_side": "Logged per side (left and right)", "cue": "Coaching cue"}
        widgets = {"cue": forms.TextInput(attrs={"placeholder": "One line the athlete reads"})}

    def __init__(self, *args: Any, club: Club, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.club = club

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not any(character.isalnum() for character in name):
            raise forms.ValidationError("Give the exercise a name with letters or numbers.")
        same_name = Q(name__iexact=name)
        if slugify(name):
            same_name |= Q(slug=slugify(name))
        # An athlete's private (imported) exercise is not the library's: it is adopted later.
        taken = Exercise.objects.filter(
            Q(club__isnull=True) | Q(club=self.club, private_to__isnull=True), same_name
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("The library already has an exercise of that name.")
        return name


class LibraryFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=80, label="Search")
    family = forms.ChoiceField(
        choices=[("", "All families"), *Exercise.Family.choices], required=False
    )
    archived = forms.BooleanField(required=False, label="Show archived")


class PlanDateField(forms.DateField):
    """A date for planning: within a year of today, like every date a coach plans."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DatePicker())
        super().__init__(**kwargs)

    def clean(self, value: Any) -> date:
        day: date = super().clean(value)
        limit = timedelta(days=settings.MAX_PLAN_DAYS_AHEAD)
        today = timezone.localdate()
        if day is not None and not today - limit <= day <= today + limit:
            raise forms.ValidationError("Plan at most a year ahead (or a year back).")
        return day


WEEKDAYS = [(0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun")]


class TemplateSaveForm(forms.Form):
    name = forms.CharField(max_length=80)
    description = forms.CharField(max_length=300, required=False)
    start = PlanDateField(label="From the week of")
    weeks = forms.IntegerField(min_value=1, max_value=26, initial=2)


class TemplateApplyForm(forms.Form):
    MAPPINGS = [
        ("template", "On the weekdays the template was built on"),
        ("hard_days", "On each athlete's hard run days"),
        ("custom", "On these weekdays:"),
    ]
    athletes = forms.ModelMultipleChoiceField(
        queryset=Athlete.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    groups = forms.ModelMultipleChoiceField(
        queryset=TrainingGroup.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Training groups",
    )
    start = PlanDateField(label="Start in the week of")
    mapping = forms.ChoiceField(choices=MAPPINGS, initial="template", widget=forms.RadioSelect)
    day_1 = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, initial=1, label="Session 1")
    day_2 = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, initial=3, label="Session 2")
    day_3 = forms.TypedChoiceField(choices=WEEKDAYS, coerce=int, initial=5, label="Session 3")

    def __init__(self, *args: Any, athletes: Any, groups: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["athletes"])
        field.queryset = athletes
        field.label_from_instance = lambda athlete: athlete.name  # type: ignore[method-assign,assignment]
        group_field = cast(forms.ModelMultipleChoiceField, self.fields["groups"])
        group_field.queryset = groups if groups is not None else TrainingGroup.objects.none()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mapping") == "custom":
            days = [data.get(f"day_{n}") for n in (1, 2, 3)]
            if len(set(days)) != len(days):
                self.add_error("day_2", "Pick a different day for each session.")
        if "athletes" in data and "groups" in data:
            data["targets"] = self._targets(list(data["athletes"]), list(data["groups"]))
        return data

    def _targets(self, chosen: list[Athlete], groups: list[TrainingGroup]) -> list[Athlete]:
        """The chosen athletes and the active members of the chosen groups, each once.

        Group members are only the athletes this coach may program (the athletes queryset).
        """
        targets = {athlete.pk: athlete for athlete in chosen}
        visible = cast(QuerySet[Athlete], self.fields["athletes"].queryset)  # type: ignore[attr-defined]
        for group in groups:
            members = visible.filter(training_groups=group, user__is_active=True)
            if not members:
                self.add_error("groups", f"“{group}” has none of your active athletes.")
            targets.update((athlete.pk, athlete) for athlete in members)
        if not chosen and not groups:
            self.add_error("athletes", "Choose at least one athlete or a training group.")
        return list(targets.values())

    def day_mapping(self) -> DayMapping:
        data = self.cleaned_data
        if data["mapping"] == "custom":
            return DayMapping(weekdays=(data["day_1"], data["day_2"], data["day_3"]))
        return DayMapping(hard_days=data["mapping"] == "hard_days")


class WeekCopyForm(forms.Form):
    week = PlanDateField(widget=forms.HiddenInput)


class BlockShiftForm(forms.Form):
    days = forms.IntegerField(
        min_value=-28,
        max_value=28,
        label="Shift by (days)",
        error_messages={
            "min_value": "Shift by at most four weeks.",
            "max_value": "Shift by at most four weeks.",
        },
    )


class AddExerciseForm(forms.Form):
    exercise = forms.ModelChoiceField(
        queryset=Exercise.objects.none(), empty_label="Choose an exercise", label="Add"
    )

    def __init__(self, *args: Any, exercises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["exercise"]).queryset = exercises
