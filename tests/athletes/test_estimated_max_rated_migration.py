"""The data migration that marks e1RM points from sets logged without an RPE."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection

from athletes.models import EstimatedMax
from tests.factories import SetLogFactory, exercise

pytestmark = pytest.mark.django_db

migration = importlib.import_module("athletes.migrations.0008_estimated_max_rated")


def point(athlete, set_log=None, source=EstimatedMax.Source.LOGGED_SET):
    return EstimatedMax.objects.create(
        athlete=athlete,
        exercise=exercise("back-squat"),
        estimated_kg=Decimal(100),
        measured_on=athlete.today(),
        source=source,
        set_log_id=set_log.pk if set_log else None,
    )


def test_points_from_unrated_sets_become_lower_bounds_and_the_rest_stay_rated(athlete):
    unrated = point(athlete, SetLogFactory(prescription__session__athlete=athlete, rpe=None))
    rated = point(athlete, SetLogFactory(prescription__session__athlete=athlete, rpe=Decimal(8)))
    baseline = point(athlete, source=EstimatedMax.Source.BASELINE)

    migration.mark_unrated(apps, connection.schema_editor())

    assert EstimatedMax.objects.get(pk=unrated.pk).rated is False
    assert EstimatedMax.objects.get(pk=rated.pk).rated is True
    assert EstimatedMax.objects.get(pk=baseline.pk).rated is True
