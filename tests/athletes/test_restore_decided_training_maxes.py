"""The data migration that puts back training maxes the old nightly recompute moved."""

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from athletes.models import TrainingMax, TrainingMaxChange
from tests.factories import AthleteFactory, TrainingMaxFactory, exercise

pytestmark = pytest.mark.django_db

migration = importlib.import_module("athletes.migrations.0007_restore_decided_training_maxes")


def history(athlete, lift, *steps):
    """Changes as (previous, value, source, decision), oldest first, a day apart."""
    start = timezone.now() - timedelta(days=len(steps))
    for day, (previous, value, source, decision) in enumerate(steps):
        TrainingMaxChange.objects.create(
            athlete=athlete,
            exercise=lift,
            previous_kg=previous,
            value_kg=Decimal(value),
            source=source,
            decision=decision,
            changed_at=start + timedelta(days=day),
        )


def restore():
    return migration.restore_decided_training_maxes(apps, connection.schema_editor())


def test_the_demo_runners_lowered_squat_goes_back_to_the_coachs_80_kg():
    athlete = AthleteFactory()
    squat = exercise("back-squat")
    TrainingMaxFactory(athlete=athlete, exercise=squat, value_kg=Decimal("75.0939"))
    history(
        athlete,
        squat,
        (None, "80", "coach", ""),
        (Decimal(80), "75.0939", "logged_sets", ""),
    )

    assert restore() == 1

    assert TrainingMax.objects.get(athlete=athlete).value_kg == Decimal(80)
    latest = TrainingMaxChange.objects.filter(athlete=athlete).latest("changed_at")
    assert (latest.previous_kg, latest.value_kg, latest.decision) == (
        Decimal("75.0939"),
        Decimal(80),
        "restored",
    )
    assert restore() == 0  # a second run changes nothing


def test_a_run_of_automatic_changes_goes_back_to_where_it_started():
    athlete = AthleteFactory()
    squat = exercise("back-squat")
    TrainingMaxFactory(athlete=athlete, exercise=squat, value_kg=Decimal(90))
    history(
        athlete,
        squat,
        (Decimal(100), "95", "logged_sets", ""),
        (Decimal(95), "90", "logged_sets", ""),
    )

    restore()

    assert TrainingMax.objects.get(athlete=athlete).value_kg == Decimal(100)


def test_decided_values_and_baselines_stay():
    athlete = AthleteFactory()
    squat, deadlift, bench = exercise("back-squat"), exercise("deadlift"), exercise("bench-press")
    TrainingMaxFactory(athlete=athlete, exercise=squat, value_kg=Decimal(85))
    history(athlete, squat, (Decimal(80), "85", "logged_sets", "coach"))
    TrainingMaxFactory(athlete=athlete, exercise=deadlift, value_kg=Decimal(120))
    history(athlete, deadlift, (Decimal(110), "120", "tested", ""))
    # Created by the recompute with nothing decided before: no value to go back to.
    TrainingMaxFactory(athlete=athlete, exercise=bench, value_kg=Decimal(50))
    history(athlete, bench, (None, "50", "logged_sets", ""))

    assert restore() == 0

    values = dict(TrainingMax.objects.values_list("exercise__slug", "value_kg"))
    assert values == {"back-squat": 85, "deadlift": 120, "bench-press": 50}


def test_migrating_forwards_puts_the_decided_value_back():
    before = [("athletes", "0006_training_max_decisions")]
    after = [("athletes", "0007_restore_decided_training_maxes")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    athlete = AthleteFactory()
    squat = exercise("back-squat")
    TrainingMaxFactory(athlete=athlete, exercise=squat, value_kg=Decimal("75.0939"))
    history(athlete, squat, (None, "80", "coach", ""), (Decimal(80), "75.0939", "logged_sets", ""))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)

    assert TrainingMax.objects.get(athlete=athlete).value_kg == Decimal(80)
