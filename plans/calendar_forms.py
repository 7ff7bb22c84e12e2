"""Forms of the coach's calendar: move a session, enter a week of runs, import a file."""

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta, tzinfo
from typing import Any
from uuid import UUID

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from core.uploads import ImportFileField, import_bytes
from core.widgets import DatePicker
from plans.calendar_services import RunDay, default_is_hard
from plans.models import RunSession
from plans.run_import import MAX_BYTES, ParsedRuns, parse_runs, skipped_summary


class SessionMoveForm(forms.Form):
    date = forms.DateField(
        label="Move to",
        widget=DatePicker(),
        error_messages={
            "required": "Choose the day to move it to.",
            "invalid": "Give the day as a date (YYYY-MM-DD).",
        },
    )
    start_time = forms.TimeField(
        label="at",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Give the time as HH:MM (24-hour clock)."},
    )


HARD = "hard"
EASY = "easy"


class RunDayForm(forms.Form):
    """The run of one day in the week grid; an empty kind means no run that day."""

    run = forms.UUIDField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label="Kind",
        choices=[("", "No run"), *RunSession.Kind.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a kind from the list."},
    )
    hardness = forms.ChoiceField(
        label="Hard or easy",
        choices=[("", "As the kind"), (HARD, "Hard"), (EASY, "Easy")],
        required=False,
        error_messages={"invalid_choice": "Choose hard, easy or as the kind."},
    )
    start_time = forms.TimeField(
        label="Time",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Give the time as HH:MM (24-hour clock)."},
    )
    planned_minutes = forms.IntegerField(
        label="Minutes",
        required=False,
        min_value=1,
        max_value=600,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Give the minutes as a whole number.",
            "min_value": "At least 1 minute, or leave it empty.",
            "max_value": "At most 600 minutes.",
        },
    )
    description = forms.CharField(
        required=False,
        max_length=200,
        error_messages={"max_length": "At most 200 characters (this has %(show_value)d)."},
    )

    def __init__(
        self,
        *args: Any,
        day: date,
        runs: Mapping[UUID, RunSession],
        others: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.day = day
        self.runs = runs
        self.others = others  # more runs that day, which the grid leaves alone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        run_id = data.get("run")
        run = self.runs.get(run_id) if run_id else None
        if run_id and (run is None or run.date != self.day):
            raise ValidationError("This run changed since the page was loaded: reload the week.")
        if not data.get("kind"):
            if run is not None and run.completed_at is not None:
                self.add_error("kind", "The athlete has done this run: it can't be removed.")
            elif any(data.get(name) for name in ("hardness", "start_time", "planned_minutes")) or (
                data.get("description")
            ):
                self.add_error("kind", "Choose the kind of run, or clear the whole row.")
        return data

    def run_day(self) -> RunDay:
        data = self.cleaned_data
        hardness = data.get("hardness")
        return RunDay(
            day=self.day,
            run_id=data.get("run"),
            kind=data.get("kind") or "",
            is_hard=None if not hardness else hardness == HARD,
            start_time=data.get("start_time"),
            planned_minutes=data.get("planned_minutes"),
            description=data.get("description") or "",
        )


def _initial(run: RunSession) -> dict[str, Any]:
    hardness = ""
    if run.is_hard != default_is_hard(run.kind):
        hardness = HARD if run.is_hard else EASY
    return {
        "run": run.pk,
        "kind": run.kind,
        "hardness": hardness,
        "start_time": run.start_time,
        "planned_minutes": run.planned_minutes,
        "description": run.description,
    }


class WeekRunsForm:
    """Seven RunDayForms, Monday to Sunday, validated and saved together.

    Each day edits its first run; a second run on a day (from an import) is left alone.
    """

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, monday: date, runs: Iterable[RunSession]
    ) -> None:
        runs = list(runs)
        by_id = {run.pk: run for run in runs}
        self.monday = monday
        self.non_field_errors: list[str] = []
        self.forms: list[RunDayForm] = []
        for offset in range(7):
            day = monday + timedelta(days=offset)
            of_day = [run for run in runs if run.date == day]
            self.forms.append(
                RunDayForm(
                    data,
                    prefix=f"day{offset}",
                    initial=_initial(of_day[0]) if of_day else None,
                    day=day,
                    runs=by_id,
                    others=max(len(of_day) - 1, 0),
                )
            )

    def __iter__(self) -> Iterator[RunDayForm]:
        return iter(self.forms)

    def is_valid(self) -> bool:
        valid = [form.is_valid() for form in self.forms]  # every form, for every message
        return all(valid) and not self.non_field_errors

    @property
    def has_errors(self) -> bool:
        return bool(self.non_field_errors) or any(form.errors for form in self.forms)

    def add_error(self, error: ValidationError) -> None:
        self.non_field_errors += error.messages

    def run_days(self) -> list[RunDay]:
        return [form.run_day() for form in self.forms]


class RunsImportForm(forms.Form):
    file = ImportFileField(
        label="CSV or iCalendar (.ics) file", max_bytes=MAX_BYTES, advice="split it"
    )

    def __init__(self, *args: Any, today: date, zone: tzinfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.zone = zone
        self.parsed: ParsedRuns | None = None

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        data = import_bytes(upload, max_bytes=MAX_BYTES)
        parsed = parse_runs(data, filename=upload.name or "", today=self.today, zone=self.zone)
        self.parsed = parsed
        if not parsed.ok:
            raise ValidationError("Nothing was imported: fix the file and upload it again.")
        return upload

    @property
    def skipped(self) -> str:
        """The events left out of a calendar, shown beside any problems."""
        return skipped_summary(self.parsed.skipped_events) if self.parsed else ""

    @property
    def problems(self) -> list[str]:
        if self.parsed is None:
            return []
        listed = [str(problem) for problem in self.parsed.problems]
        if self.parsed.more_problems:
            listed.append(f"… and {self.parsed.more_problems} more.")
        return listed
