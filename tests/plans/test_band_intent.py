"""The 70–85 % band judges the coach's intent, not the plate rounding."""

from decimal import Decimal as D

import pytest

from plans.guardrails import LiftPlan, check_lift
from plans.models import Prescription
from plans.selectors import calendar_around, session_guardrails
from tests.factories import PlannedSessionFactory, PrescriptionFactory, TrainingMaxFactory


@pytest.mark.parametrize(("typed", "resolved"), [(D(85), D("85.1")), (D(70), D("69.6"))])
def test_a_typed_percentage_at_the_band_edge_is_not_flagged_for_its_rounding(typed, resolved):
    lift = LiftPlan(
        "Back squat", 2, main_lift=True, percent_of_max=resolved, intended_percent=typed
    )
    assert check_lift(lift) == []


def test_a_typed_percentage_outside_the_band_is_still_flagged():
    lift = LiftPlan("Back squat", 2, main_lift=True, percent_of_max=D(87), intended_percent=D(86))
    [warning] = check_lift(lift)
    assert "86 % of the training max is above" in warning.message


@pytest.mark.django_db
@pytest.mark.parametrize("typed", [85, 70])
def test_the_planner_shows_no_band_warning_for_85_or_70_percent_of_97_kg(athlete, typed):
    TrainingMaxFactory(athlete=athlete, value_kg=D(97))
    session = PlannedSessionFactory(athlete=athlete, date=athlete.today())
    prescription = PrescriptionFactory(
        session=session, load_rule=Prescription.LoadRule.PERCENT, load_percent=D(typed)
    )
    warnings = session_guardrails(
        athlete,
        day=session.date,
        prescriptions=[prescription],
        calendar=calendar_around(athlete, session.date, session.date),
        session_id=session.pk,
    )
    assert "outside_band" not in [w.code for w in warnings]
