import calendar
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from athletes.models import Athlete, kg_field
from coaching.models import save_touches


class Exercise(models.Model):
    """A lift in the library: the seed set (no club) or one a club created."""

    class Family(models.TextChoices):
        BILATERAL = "bilateral", "Bilateral (triple extension)"
        UNILATERAL = "unilateral", "Unilateral (stride-like)"
        UPPER_PUSH = "upper_push", "Upper body push"
        UPPER_PULL = "upper_pull", "Upper body pull"

    class Equipment(models.TextChoices):
        BARBELL = "barbell", "Barbell"
        DUMBBELL = "dumbbell", "Dumbbell"
        KETTLEBELL = "kettlebell", "Kettlebell"
        BODYWEIGHT = "bodyweight", "Bodyweight"
        MACHINE = "machine", "Machine"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80)
    family = models.CharField(max_length=16, choices=Family.choices)
    equipment = models.CharField(max_length=16, choices=Equipment.choices)
    per_side = models.BooleanField(
        default=False, help_text="Logged per leg or arm (unilateral moves)."
    )
    cue = models.CharField(max_length=200, blank=True)
    demo_url = models.URLField(
        "demo video link", blank=True, help_text="A video that shows the movement well."
    )
    club = models.ForeignKey(
        "coaching.Club", null=True, blank=True, on_delete=models.CASCADE, related_name="exercises"
    )
    archived = models.BooleanField(default=False)
    # An exercise an athlete's history import brought in: seen by that athlete and their
    # coaches only, until a coach adopts it into the club library (which clears this).
    # DO_NOTHING: the athlete's sets protect it, so deleting the athlete removes it after
    # the cascade took them (portability.services.athlete_delete); the foreign key
    # is checked at commit.
    private_to = models.ForeignKey(
        "athletes.Athlete",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="private_exercises",
    )

    class Meta:
        ordering = ["family", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=Q(club__isnull=True), name="library_exercise_slug_unique"
            ),
            models.UniqueConstraint(
                fields=["club", "slug"],
                condition=Q(private_to__isnull=True),
                name="club_exercise_slug_unique",
            ),
            models.UniqueConstraint(
                fields=["private_to", "slug"],
                condition=Q(private_to__isnull=False),
                name="private_exercise_slug_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Block(models.Model):
    """N weeks of strength for one athlete, from a Monday; often made from a template."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    athlete = models.ForeignKey("athletes.Athlete", on_delete=models.CASCADE, related_name="blocks")
    name = models.CharField(max_length=80)
    start = models.DateField(help_text="The Monday the block starts.")
    weeks = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(26)]
    )
    template = models.ForeignKey(
        "PlanTemplate", null=True, blank=True, on_delete=models.SET_NULL, related_name="blocks"
    )
    created_by = models.ForeignKey(
        "coaching.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start"]

    def __str__(self) -> str:
        return f"{self.name} for {self.athlete} from {self.start}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The one rule kept in save() (STYLE.md prefers none): a cross-club link must fail
        # even where full_clean() is skipped, and SQLite has no constraint for it
        # (PostgreSQL does: coaching/migrations/0003_tenancy_constraints.py). bulk_create()
        # skips save(): plans/services.py template_apply checks the clubs itself.
        if save_touches(kwargs, "athlete", "template"):
            self.clean_club()
        super().save(*args, **kwargs)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=7 * self.weeks - 1)

    def clean(self) -> None:
        self.clean_club()

    def clean_club(self) -> None:
        """A templated block is an athlete's of the template's club; its sessions are the
        athlete's own."""
        if not self.athlete_id:
            return
        if self.template_id:
            template_club = PlanTemplate.objects.filter(pk=self.template_id).values_list("club_id")
            athlete_club = Athlete.objects.filter(pk=self.athlete_id).values_list("club_id")
            if template_club.first() != athlete_club.first():
                raise ValidationError(
                    {"template": "A block can't come from a template of another club."}
                )
        if not self._state.adding and self.sessions.exclude(athlete_id=self.athlete_id).exists():
            raise ValidationError({"athlete": "The block's sessions belong to another athlete."})


class PlannedSession(models.Model):
    """A strength session the coach placed on a date for one athlete."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    athlete = models.ForeignKey(
        "athletes.Athlete", on_delete=models.CASCADE, related_name="planned_sessions"
    )
    date = models.DateField()
    # Optional, on the athlete's local clock: the guardrails judge the hours to a hard run.
    start_time = models.TimeField(null=True, blank=True)
    title = models.CharField(max_length=80, default="Strength")
    notes = models.TextField(blank=True, max_length=2000)
    block = models.ForeignKey(
        Block, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    created_by = models.ForeignKey(
        "coaching.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The date the coach planned, when the athlete moved the session.
    moved_from = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["date", "created_at"]
        indexes = [models.Index(fields=["athlete", "date"])]

    def __str__(self) -> str:
        return f"{self.title} for {self.athlete} on {self.date}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # See Block.save: the cross-club guard SQLite relies on.
        if save_touches(kwargs, "athlete", "block"):
            self.clean_club()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.clean_club()

    def clean_club(self) -> None:
        if not (self.block_id and self.athlete_id):
            return
        block_athlete = Block.objects.filter(pk=self.block_id).values_list("athlete_id", flat=True)
        if block_athlete.first() != self.athlete_id:
            raise ValidationError({"block": "A session can only be in the athlete's own block."})


class RemovedSession(models.Model):
    """A strength session the coach deleted, kept so that the athlete's old links and
    notifications say it was removed rather than leading nowhere. The athlete's data:
    part of their download and deletion."""

    # The deleted PlannedSession's id: the one its old links carry.
    session_id = models.UUIDField(primary_key=True, editable=False)
    athlete = models.ForeignKey(
        "athletes.Athlete", on_delete=models.CASCADE, related_name="removed_sessions"
    )
    title = models.CharField(max_length=80)
    date = models.DateField()
    removed_at = models.DateTimeField()
    removed_by = models.ForeignKey(
        "coaching.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-removed_at"]

    def __str__(self) -> str:
        return f"{self.title} for {self.athlete} on {self.date}, removed {self.removed_at}"


class Prescription(models.Model):
    """One exercise in a session: sets, reps and the load rule."""

    class LoadRule(models.TextChoices):
        PERCENT = "percent", "% of training max"
        FIXED = "fixed", "Fixed load"
        RPE = "rpe", "RPE target"
        BODYWEIGHT = "bodyweight", "Bodyweight (+ load)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        PlannedSession, on_delete=models.CASCADE, related_name="prescriptions"
    )
    position = models.PositiveSmallIntegerField(default=0)
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    warmup_sets = models.PositiveSmallIntegerField(
        default=1, validators=[MaxValueValidator(3)], help_text="Lighter sets before the work."
    )
    working_sets = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    reps = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    # A rep range such as 6–8: `reps` is the bottom, this the top.
    reps_max = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    load_rule = models.CharField(max_length=16, choices=LoadRule.choices, default=LoadRule.PERCENT)
    load_percent = models.DecimalField(
        "load (% of training max)",
        max_digits=5,
        decimal_places=2,
        default=Decimal(75),
        validators=[MinValueValidator(Decimal(30)), MaxValueValidator(Decimal(110))],
    )
    # The fixed load, or the load added to bodyweight, in kg.
    fixed_load_kg = kg_field(
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(500))],
    )
    target_rpe = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(5)), MaxValueValidator(Decimal(10))],
    )
    rest_seconds = models.PositiveSmallIntegerField(
        default=120, validators=[MinValueValidator(15), MaxValueValidator(900)]
    )
    notes = models.CharField(max_length=300, blank=True)
    film_request = models.BooleanField(
        "film a set", default=False, help_text="Ask the athlete for a video of a working set."
    )
    superset_with_previous = models.BooleanField(
        "superset with the exercise above",
        default=False,
        help_text="Alternate sets with the exercise above (A1/A2), resting after both.",
    )
    progression = models.CharField(
        "progression rule",
        max_length=20,
        choices=[
            (
                "",
                "Automatic: double progression for a rep range, RPE for an RPE target, "
                "else fixed increments",
            ),
            ("double_progression", "Double progression over the rep range"),
            ("fixed_increment", "Fixed increments"),
            ("rpe", "RPE autoregulation"),
        ],
        blank=True,
        default="",
    )
    # The load the coach approved from a progression suggestion: it replaces the load rule
    # for this prescription until the plan is edited or another suggestion is accepted.
    progression_load_kg = kg_field(null=True, blank=True)
    progression_note = models.CharField(max_length=300, blank=True)
    added_by_athlete = models.BooleanField(default=False)
    # The exercise the coach planned, when the athlete swapped it for another of its family.
    swapped_from = models.ForeignKey(
        Exercise, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(working_sets__gte=1, working_sets__lte=10), name="working_sets_in_range"
            ),
            models.CheckConstraint(condition=Q(reps__gte=1, reps__lte=50), name="reps_in_range"),
            models.CheckConstraint(
                condition=Q(reps_max__isnull=True) | Q(reps_max__gte=F("reps")),
                name="rep_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(load_percent__gte=30, load_percent__lte=110),
                name="load_percent_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise}: {self.working_sets} × {self.reps_label}"

    @property
    def reps_label(self) -> str:
        """ "6" or "6–8"."""
        if self.reps_max and self.reps_max != self.reps:
            return f"{self.reps}–{self.reps_max}"
        return str(self.reps)


class RunSession(models.Model):
    """A run on the athlete's calendar, so strength can go on the hard days."""

    class Kind(models.TextChoices):
        EASY = "easy", "Easy"
        RECOVERY = "recovery", "Recovery"
        LONG = "long", "Long run"
        TEMPO = "tempo", "Tempo"
        INTERVALS = "intervals", "Intervals"
        RACE = "race", "Race"
        REST = "rest", "Rest"

    HARD_KINDS = frozenset({Kind.LONG, Kind.TEMPO, Kind.INTERVALS, Kind.RACE})

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    athlete = models.ForeignKey(
        "athletes.Athlete", on_delete=models.CASCADE, related_name="run_sessions"
    )
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    is_hard = models.BooleanField(default=False)
    planned_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(600)]
    )
    description = models.CharField(max_length=200, blank=True)
    # Filled in by the athlete once the run is done: running and lifting then
    # share one load measure, session RPE × minutes.
    actual_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    session_rpe = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "start_time"]
        indexes = [models.Index(fields=["athlete", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} run for {self.athlete} on {self.date}"


class PlanTemplate(models.Model):
    """A block saved for reuse: weeks of sessions, each with its exercises.

    A club's own templates are its coaches' to edit. Starter templates (the method's
    library, loaded by a data migration) have no club: every club sees them, nobody edits
    them, and a club copies one into its own templates to change or apply it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    club = models.ForeignKey(
        "coaching.Club",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="templates",
    )
    starter = models.BooleanField(default=False, editable=False)
    # Hidden from the list and from applying; never deleted, since blocks may come from it.
    archived = models.BooleanField(default=False)
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)
    weeks = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(26)]
    )
    created_by = models.ForeignKey(
        "coaching.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["club", "name"], name="template_name_unique_in_club"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(club__isnull=True), name="starter_template_name_unique"
            ),
            # Only the starter library has no club; a club's template always has one.
            models.CheckConstraint(
                condition=Q(starter=True, club__isnull=True) | Q(starter=False, club__isnull=False),
                name="template_starter_xor_club",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # See Block.save: the cross-club guard SQLite relies on.
        if save_touches(kwargs, "club"):
            self.clean_club()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        self.clean_club()

    def clean_club(self) -> None:
        if self._state.adding or not self.club_id:
            return
        if self.blocks.exclude(athlete__club_id=self.club_id).exists():
            raise ValidationError(
                {"club": "Athletes of another club have blocks from this template."}
            )


class TemplateSession(models.Model):
    """The n-th session of a template week, with the weekday it was on."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="sessions")
    week = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    slot = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1)], help_text="1 for the week's first session, 2 …"
    )
    weekday = models.PositiveSmallIntegerField(validators=[MaxValueValidator(6)])
    title = models.CharField(max_length=80, default="Strength")
    notes = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["week", "slot"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "week", "slot"], name="one_template_session_per_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template} week {self.week} session {self.slot}"

    @property
    def weekday_name(self) -> str:
        return calendar.day_name[self.weekday]


class TemplatePrescription(models.Model):
    """An exercise of a template session: the same fields as a Prescription."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        TemplateSession, on_delete=models.CASCADE, related_name="prescriptions"
    )
    position = models.PositiveSmallIntegerField(default=0)
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    warmup_sets = models.PositiveSmallIntegerField(default=1)
    working_sets = models.PositiveSmallIntegerField(default=2)
    reps = models.PositiveSmallIntegerField(default=6)
    reps_max = models.PositiveSmallIntegerField(null=True, blank=True)
    load_rule = models.CharField(
        max_length=16, choices=Prescription.LoadRule.choices, default=Prescription.LoadRule.PERCENT
    )
    load_percent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(75))
    fixed_load_kg = kg_field(null=True, blank=True)
    target_rpe = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    rest_seconds = models.PositiveSmallIntegerField(default=120)
    notes = models.CharField(max_length=300, blank=True)
    film_request = models.BooleanField(default=False)
    superset_with_previous = models.BooleanField(default=False)
    progression = models.CharField(max_length=20, blank=True, default="")

    # The fields copied between a template and an athlete's own sessions.
    COPIED_FIELDS = (
        "position", "exercise_id", "warmup_sets", "working_sets", "reps", "reps_max",
        "load_rule", "load_percent", "fixed_load_kg", "target_rpe", "rest_seconds", "notes",
        "film_request", "superset_with_previous", "progression",
    )  # fmt: skip

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.exercise} in {self.session}"
