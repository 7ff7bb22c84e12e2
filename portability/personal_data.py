"""Everything stored about an athlete, kind by kind: the download and the erasure.

Each kind of data is a `Section` in `SECTIONS`: the file it becomes in the athlete's download
(a zip of CSV and JSON), how many rows it holds (shown before a head coach deletes the
athlete), and, when the database's cascade is not enough (files in storage, rows keyed by
email), how it is erased. A new kind of data is one `register(...)` call; form videos show
the shape, with an `erase` for their files in storage (the rows go with the athlete).

Every row of the athlete is removed by deleting their user: every model refers to the
athlete (or the user) with on_delete=CASCADE, and tests/portability/test_personal_data.py
checks that no model keeps a row that points at them.
"""

import io
import json
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from athletes.models import Athlete, EstimatedMax, TrainingMax, TrainingMaxSuggestion
from athletes.units import from_kg
from comms.models import Message
from plans.models import Block, Exercise, PlannedSession, Prescription, RemovedSession, RunSession
from portability import exports
from portability.models import DeletionRequest, HistoryImport
from portability.spreadsheet import csv_text
from training.models import PainReport, ReadinessCheckIn, SessionReport, SetLog
from training.videos.files import files_delete_on_commit, upload_path
from training.videos.models import FormVideo, VideoComment, VideoUpload


@dataclass(frozen=True)
class Section:
    filename: str  # in the zip
    title: str  # what a person reads: in the zip's README and on the delete page
    content: Callable[[Athlete], str]
    count: Callable[[Athlete], int]
    erase: Callable[[Athlete], None] | None = None  # beyond the database's cascade


SECTIONS: list[Section] = []


def register(section: Section) -> Section:
    if any(known.filename == section.filename for known in SECTIONS):
        raise ValueError(f"{section.filename} is already a section of the personal data")
    SECTIONS.append(section)
    return section


def csv_section(
    filename: str,
    title: str,
    *,
    columns: Sequence[str],
    rows: Callable[[Athlete], Iterable[Sequence[object]]],
    count: Callable[[Athlete], QuerySet[Any]],
    erase: Callable[[Athlete], None] | None = None,
) -> Section:
    """A section written as CSV; `count` gives the queryset whose rows it exports."""
    return Section(
        filename=filename,
        title=title,
        content=lambda athlete: csv_text(columns, rows(athlete)),
        count=lambda athlete: count(athlete).count(),
        erase=erase,
    )


def _json_default(value: object) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _profile(athlete: Athlete) -> str:
    user = athlete.user
    profile = {
        "name": user.full_name,
        "email": user.email,
        "joined": user.date_joined,
        "club": athlete.club.name,
        "coach": str(athlete.coach.user),
        "time_zone": athlete.time_zone,
        "unit": athlete.unit,
        "body_mass_kg": athlete.body_mass_kg,
        "bar_kg": athlete.bar_kg,
        "plate_step_kg": athlete.plate_step_kg,
        "dumbbell_step_kg": athlete.dumbbell_step_kg,
        "profile_created": athlete.created_at,
    }
    return json.dumps(profile, default=_json_default, indent=2, ensure_ascii=False) + "\n"


def _in_unit(athlete: Athlete, kg: Decimal | None) -> Decimal | None:
    return None if kg is None else from_kg(kg, athlete.unit)


def _of(model: Any) -> Callable[[Athlete], QuerySet[Any]]:
    return lambda athlete: model.objects.filter(athlete=athlete)


register(
    Section(
        "profile.json",
        "Profile: name, email, club, coach, units, gym, body mass",
        content=_profile,
        count=lambda athlete: 1,
    )
)
register(
    csv_section(
        "training_maxes.csv",
        "Training maxes",
        columns=("exercise", "value_kg", "value", "unit", "updated_at"),
        rows=lambda athlete: (
            (
                tm.exercise.name,
                tm.value_kg,
                _in_unit(athlete, tm.value_kg),
                athlete.unit,
                tm.updated_at,
            )
            for tm in _of(TrainingMax)(athlete).select_related("exercise").order_by("updated_at")
        ),  # fmt: skip
        count=_of(TrainingMax),
    )
)
register(
    csv_section(
        "training_max_suggestions.csv",
        "Training maxes put to the coach (from logged sets or a baseline) and their decisions",
        columns=(
            "exercise",
            "value_kg",
            "previous_kg",
            "source",
            "reason",
            "effect",
            "status",
            "final_kg",
            "decided_at",
            "created_at",
        ),
        rows=lambda athlete: (
            _of(TrainingMaxSuggestion)(athlete)
            .order_by("created_at")
            .values_list(
                "exercise__name",
                "value_kg",
                "previous_kg",
                "source",
                "reason",
                "effect",
                "status",
                "final_kg",
                "decided_at",
                "created_at",
            )
        ),
        count=_of(TrainingMaxSuggestion),
    )
)
register(
    csv_section(
        "estimated_maxes.csv",
        "Estimated 1RM history",
        columns=("exercise", "estimated_kg", "measured_on", "source", "rated"),
        rows=lambda athlete: (
            _of(EstimatedMax)(athlete)
            .order_by("measured_on", "created_at")
            .values_list("exercise__name", "estimated_kg", "measured_on", "source", "rated")
        ),
        count=_of(EstimatedMax),
    )
)
register(
    Section(
        "sets.csv",
        "Logged sets, with their notes (undone ones too)",
        content=lambda athlete: "".join(exports.set_log_csv(athlete, include_undone=True)),
        count=lambda athlete: SetLog.objects.filter(athlete=athlete).count(),
    )
)
register(
    csv_section(
        "planned_sessions.csv",
        "Planned strength sessions and the coach's notes on them",
        columns=(
            "session_id",
            "date",
            "start_time",
            "title",
            "notes",
            "moved_from",
            "block",
            "created_at",
        ),
        rows=lambda athlete: (
            _of(PlannedSession)(athlete)
            .order_by("date", "created_at")
            .values_list(
                "pk",
                "date",
                "start_time",
                "title",
                "notes",
                "moved_from",
                "block__name",
                "created_at",
            )
        ),
        count=_of(PlannedSession),
    )
)
register(
    csv_section(
        "removed_sessions.csv",
        "Planned sessions the coach removed",
        columns=("session_id", "date", "title", "removed_at"),
        rows=lambda athlete: (
            _of(RemovedSession)(athlete)
            .order_by("removed_at")
            .values_list("session_id", "date", "title", "removed_at")
        ),
        count=_of(RemovedSession),
    )
)
register(
    csv_section(
        "prescriptions.csv",
        "The exercises of each planned session",
        columns=(
            "session_id",
            "date",
            "position",
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
            "notes",
            "added_by_athlete",
            "swapped_from",
        ),  # fmt: skip
        rows=lambda athlete: (
            Prescription.objects.filter(session__athlete=athlete)
            .order_by("session__date", "session__created_at", "position")
            .values_list(
                "session_id",
                "session__date",
                "position",
                "exercise__name",
                "warmup_sets",
                "working_sets",
                "reps",
                "reps_max",
                "load_rule",
                "load_percent",
                "fixed_load_kg",
                "target_rpe",
                "rest_seconds",
                "notes",
                "added_by_athlete",
                "swapped_from__name",
            )
        ),  # fmt: skip
        count=lambda athlete: Prescription.objects.filter(session__athlete=athlete),
    )
)
register(
    csv_section(
        "session_reports.csv",
        "Session reports: effort, time and notes",
        columns=("session_id", "date", "session_rpe", "duration_minutes", "note", "finished_at"),
        rows=lambda athlete: (
            _of(SessionReport)(athlete)
            .order_by("finished_at")
            .values_list(
                "session_id",
                "session__date",
                "session_rpe",
                "duration_minutes",
                "note",
                "finished_at",
            )
        ),
        count=_of(SessionReport),
    )
)
register(
    csv_section(
        "check_ins.csv",
        "Readiness check-ins",
        columns=("session_id", "date", "sleep", "energy", "soreness", "stress", "mood", "at"),
        rows=lambda athlete: (
            _of(ReadinessCheckIn)(athlete)
            .order_by("created_at")
            .values_list(
                "session_id",
                "session__date",
                "sleep",
                "energy",
                "soreness",
                "stress",
                "mood",
                "created_at",
            )
        ),  # fmt: skip
        count=_of(ReadinessCheckIn),
    )
)
register(
    csv_section(
        "pain_reports.csv",
        "Pain reports (health data)",
        columns=(
            "reported_at",
            "location",
            "side",
            "severity",
            "exercise",
            "note",
            "resolved_at",
        ),  # fmt: skip
        rows=lambda athlete: (
            _of(PainReport)(athlete)
            .order_by("reported_at")
            .values_list(
                "reported_at",
                "location",
                "side",
                "severity",
                "exercise__name",
                "note",
                "resolved_at",
            )
        ),
        count=_of(PainReport),
    )
)
register(
    csv_section(
        "runs.csv",
        "Runs: planned and done",
        columns=(
            "date",
            "start_time",
            "kind",
            "hard",
            "planned_minutes",
            "description",
            "actual_minutes",
            "session_rpe",
            "completed_at",
        ),  # fmt: skip
        rows=lambda athlete: (
            _of(RunSession)(athlete)
            .order_by("date", "start_time")
            .values_list(
                "date",
                "start_time",
                "kind",
                "is_hard",
                "planned_minutes",
                "description",
                "actual_minutes",
                "session_rpe",
                "completed_at",
            )
        ),  # fmt: skip
        count=_of(RunSession),
    )
)
register(
    csv_section(
        "blocks.csv",
        "Training blocks",
        columns=("name", "start", "weeks", "created_at"),
        rows=lambda athlete: (
            _of(Block)(athlete)
            .order_by("start")
            .values_list("name", "start", "weeks", "created_at")
        ),
        count=_of(Block),
    )
)
register(
    csv_section(
        "history_imports.csv",
        "Files of lifting history imported from other apps",
        columns=("imported_at", "source", "filename", "sets_created", "sets_already_there"),
        rows=lambda athlete: (
            _of(HistoryImport)(athlete)
            .order_by("imported_at")
            .values_list("imported_at", "source", "filename", "sets_created", "sets_already_there")
        ),
        count=_of(HistoryImport),
    )
)
register(
    csv_section(
        "deletion_request.csv",
        "A request to delete this data",
        columns=("requested_at", "reason"),
        rows=lambda athlete: _of(DeletionRequest)(athlete).values_list("requested_at", "reason"),
        count=_of(DeletionRequest),
    )
)


def _video_files_delete(athlete: Athlete) -> None:
    """The clips, web copies and posters in storage, and uploads still in progress: the rows
    go with the athlete, the files would not."""
    for video in FormVideo.objects.filter(athlete=athlete):
        files_delete_on_commit(video.original, video.rendition, video.poster)
    paths = [upload_path(upload) for upload in VideoUpload.objects.filter(athlete=athlete)]

    def unlink_uploads() -> None:
        for path in paths:
            path.unlink(missing_ok=True)

    transaction.on_commit(unlink_uploads)


register(
    csv_section(
        "form_videos.csv",
        "Form videos (the files themselves are in the app, on each video's page)",
        columns=(
            "uploaded_at",
            "exercise",
            "session_date",
            "set_number",
            "status",
            "failure_reason",
            "duration_seconds",
            "width",
            "height",
            "original_name",
            "reviewed_at",
        ),
        rows=lambda athlete: (
            _of(FormVideo)(athlete)
            .order_by("uploaded_at")
            .values_list(
                "uploaded_at",
                "exercise__name",
                "session__date",
                "set_number",
                "status",
                "failure_reason",
                "duration",
                "width",
                "height",
                "original_name",
                "reviewed_at",
            )
        ),  # fmt: skip
        count=_of(FormVideo),
        erase=_video_files_delete,
    )
)
register(
    csv_section(
        "form_video_comments.csv",
        "The coach's comments on the form videos",
        columns=("video_uploaded_at", "exercise", "at_seconds", "comment", "drawing", "written_at"),
        rows=lambda athlete: (
            VideoComment.objects.filter(video__athlete=athlete)
            .order_by("video__uploaded_at", "at_seconds")
            .values_list(
                "video__uploaded_at",
                "video__exercise__name",
                "at_seconds",
                "text",
                "drawing",
                "created_at",
            )
        ),  # fmt: skip
        count=lambda athlete: VideoComment.objects.filter(video__athlete=athlete),
    )
)
register(
    csv_section(
        "imported_exercises.csv",
        "Exercises your history imports brought in that no coach has adopted yet",
        columns=("name", "family", "equipment", "per_side", "cue", "archived"),
        rows=lambda athlete: (
            Exercise.objects.filter(private_to=athlete)
            .order_by("name")
            .values_list("name", "family", "equipment", "per_side", "cue", "archived")
        ),
        count=lambda athlete: Exercise.objects.filter(private_to=athlete),
    )
)
register(
    csv_section(
        "messages.csv",
        "Messages with the coach",
        columns=("sent_at", "from", "message"),
        rows=lambda athlete: (
            _of(Message)(athlete)
            .order_by("created_at")
            .values_list("created_at", "author__full_name", "body")
        ),
        count=_of(Message),
    )
)


def _readme(athlete: Athlete, made: datetime) -> str:
    lines = [
        f"Everything RunStrong stores about {athlete.name}, as of {made:%Y-%m-%d %H:%M %Z}.",
        "",
        "CSV files are UTF-8, comma-separated, one header line; times are ISO 8601.",
        "Loads are in kg (columns ending _kg) and, where given, in your own unit too.",
        "",
    ]
    lines += [f"{section.filename}: {section.title}" for section in SECTIONS]
    return "\n".join(lines) + "\n"


def personal_data_zip(athlete: Athlete, *, made: datetime) -> bytes:
    """The athlete's download: one file per section and a README that lists them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme(athlete, made.astimezone(athlete.zone)))
        for section in SECTIONS:
            archive.writestr(section.filename, section.content(athlete))
    return buffer.getvalue()


def counts(athlete: Athlete) -> list[tuple[Section, int]]:
    """What deleting the athlete removes, section by section."""
    return [(section, section.count(athlete)) for section in SECTIONS]
