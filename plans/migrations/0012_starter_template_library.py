"""The starter template library: the method's blocks, shared read-only by every club.

Each exercise is one warm-up set and two working sets, and each session covers the three
families (bilateral triple extension, unilateral, upper body push or pull). A club copies a
starter into its own templates to change or apply it.
"""

from decimal import Decimal

from django.db import migrations

WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}

# A lift: (exercise slug, reps, load rule, % of training max or None).
A = [("back-squat", "percent"), ("split-squat", "percent"), ("bench-press", "percent"),
     ("pull-up", "bodyweight")]  # fmt: skip
B = [("deadlift", "percent"), ("step-up", "percent"), ("overhead-press", "percent"),
     ("inverted-row", "bodyweight")]  # fmt: skip


def _base_block():
    # Eight weeks climbing through the 70–85 % band, reps falling as the load rises; the
    # last week eases off before the next block.
    plan = [(8, 70), (8, 72.5), (6, 75), (6, 77.5), (5, 80), (5, 82.5), (4, 85), (6, 70)]
    weeks = []
    for reps, percent in plan:
        weeks.append(
            [
                ("tue", "Strength A", [(slug, reps, rule, percent) for slug, rule in A]),
                ("fri", "Strength B", [(slug, reps, rule, percent) for slug, rule in B]),
            ]
        )
    return weeks


STARTERS = [
    {
        "name": "Base block, 2 × week, 8 weeks",
        "description": (
            "Off-season base: two sessions a week on hard run days, 1 warm-up + 2 working sets, "
            "from 70 % to 85 % of the training max, an easier last week."
        ),
        "weeks": _base_block(),
    },
    {
        "name": "In-season maintenance",
        "description": (
            "Keeps the strength of the base through the racing season: one short, heavy "
            "session a week, low reps, far from key runs."
        ),
        "weeks": [
            [
                (
                    "tue",
                    "Maintenance",
                    [
                        ("back-squat", 4, "percent", 80),
                        ("reverse-lunge", 6, "percent", 75),
                        ("overhead-press", 5, "percent", 75),
                        ("pull-up", 5, "bodyweight", None),
                    ],
                ),
            ]
            for _ in range(4)
        ],
    },
    {
        "name": "Race taper, last 10 days",
        "description": (
            "The last ten days before a race: two short sessions, then one light one early in "
            "race week; loads stay, the volume falls, nothing new."
        ),
        "weeks": [
            [
                (
                    "mon",
                    "Taper A",
                    [
                        ("hip-thrust", 4, "percent", 80),
                        ("split-squat", 5, "percent", 75),
                        ("bench-press", 4, "percent", 75),
                        ("inverted-row", 6, "bodyweight", None),
                    ],
                ),
                (
                    "thu",
                    "Taper B",
                    [
                        ("back-squat", 3, "percent", 80),
                        ("step-up", 5, "percent", 70),
                        ("pull-up", 4, "bodyweight", None),
                    ],
                ),
            ],
            [
                (
                    "mon",
                    "Race week primer",
                    [
                        ("back-squat", 3, "percent", 70),
                        ("reverse-lunge", 4, "percent", 70),
                        ("pull-up", 3, "bodyweight", None),
                    ],
                ),
            ],
        ],
    },
    {
        "name": "Bodyweight only (no gym)",
        "description": (
            "Two sessions a week with no equipment but a bar to hang from and a step: add "
            "load (a backpack) when the top of the rep range gets easy."
        ),
        "weeks": [
            [
                (
                    "tue",
                    "Bodyweight A",
                    [
                        ("hip-thrust", 12, "bodyweight", None),
                        ("split-squat", 10, "bodyweight", None),
                        ("pull-up", 5, "bodyweight", None),
                    ],
                ),
                (
                    "fri",
                    "Bodyweight B",
                    [
                        ("hip-thrust", 12, "bodyweight", None),
                        ("step-up", 10, "bodyweight", None),
                        ("reverse-lunge", 10, "bodyweight", None),
                        ("inverted-row", 10, "bodyweight", None),
                    ],
                ),
            ]
            for _ in range(4)
        ],
    },
]


def load_starters(apps, schema_editor):
    Exercise = apps.get_model("plans", "Exercise")
    PlanTemplate = apps.get_model("plans", "PlanTemplate")
    TemplateSession = apps.get_model("plans", "TemplateSession")
    TemplatePrescription = apps.get_model("plans", "TemplatePrescription")
    exercises = {e.slug: e for e in Exercise.objects.filter(club__isnull=True)}
    for starter in STARTERS:
        template, created = PlanTemplate.objects.get_or_create(
            club=None,
            name=starter["name"],
            defaults={
                "starter": True,
                "description": starter["description"],
                "weeks": len(starter["weeks"]),
            },
        )
        if not created:
            continue
        for week, sessions in enumerate(starter["weeks"], start=1):
            for slot, (weekday, title, lifts) in enumerate(sessions, start=1):
                session = TemplateSession.objects.create(
                    template=template, week=week, slot=slot, weekday=WEEKDAYS[weekday], title=title
                )
                for position, (slug, reps, rule, percent) in enumerate(lifts, start=1):
                    TemplatePrescription.objects.create(
                        session=session,
                        position=position,
                        exercise=exercises[slug],
                        warmup_sets=1,
                        working_sets=2,
                        reps=reps,
                        load_rule=rule,
                        load_percent=Decimal(str(percent if percent is not None else 75)),
                    )


def unload_starters(apps, schema_editor):
    # Plain SQL, children first: Django's cascade collector trips over the historical
    # models here. Every starter row goes, since the club becomes required again.
    for sql in (
        "DELETE FROM plans_templateprescription WHERE session_id IN (SELECT s.id FROM "
        "plans_templatesession s JOIN plans_plantemplate t ON t.id = s.template_id "
        "WHERE t.starter = %s)",
        "DELETE FROM plans_templatesession WHERE template_id IN "
        "(SELECT id FROM plans_plantemplate WHERE starter = %s)",
        "DELETE FROM plans_plantemplate WHERE starter = %s",
    ):
        schema_editor.execute(sql, [True])


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_seed_exercises"),
        ("plans", "0011_template_archive_and_starters"),
    ]

    operations = [migrations.RunPython(load_starters, unload_starters)]
