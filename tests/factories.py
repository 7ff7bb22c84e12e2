"""factory_boy factories: each sets only what the model requires."""

from decimal import Decimal

import factory
from django.db import connection
from django.utils import timezone

from athletes.models import Athlete, TrainingMax
from coaching.models import Club, Coach, User
from plans.models import Exercise, PlannedSession, Prescription
from training.models import SetLog

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class ClubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Club

    name = factory.Sequence(lambda n: f"Club {n}")
    slug = factory.Sequence(lambda n: f"club-{n}")


class CoachFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coach

    user = factory.SubFactory(UserFactory, role=User.Role.COACH)
    club = factory.SubFactory(ClubFactory)
    role = Coach.Role.HEAD


class AthleteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Athlete

    user = factory.SubFactory(UserFactory, role=User.Role.ATHLETE)
    coach = factory.SubFactory(CoachFactory)
    club = factory.SelfAttribute("coach.club")
    # Far from UTC, so a test or a query that takes the server's date for the athlete's
    # today fails for half of every day rather than never (the personas live in London).
    time_zone = "Pacific/Auckland"


def exercise(slug: str) -> Exercise:
    """A seed exercise from the library migration."""
    return Exercise.objects.get(slug=slug, club__isnull=True)


class TrainingMaxFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingMax

    athlete = factory.SubFactory(AthleteFactory)
    exercise = factory.LazyFunction(lambda: exercise("back-squat"))
    value_kg = Decimal(100)


class PlannedSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlannedSession

    athlete = factory.SubFactory(AthleteFactory)
    date = factory.LazyAttribute(lambda session: session.athlete.today())


class PrescriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prescription

    session = factory.SubFactory(PlannedSessionFactory)
    exercise = factory.LazyFunction(lambda: exercise("back-squat"))
    position = factory.Sequence(lambda n: n + 1)


class SetLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SetLog

    client_id = factory.Faker("uuid4", cast_to=None)
    prescription = factory.SubFactory(PrescriptionFactory)
    athlete = factory.SelfAttribute("prescription.session.athlete")
    session = factory.SelfAttribute("prescription.session")
    exercise = factory.SelfAttribute("prescription.exercise")
    set_number = 1
    reps = 6
    load_kg = Decimal(75)
    logged_at = factory.LazyFunction(timezone.now)


def forge_coach(athlete: Athlete, coach: Coach) -> None:
    """Attach `coach` across clubs the way a bad migration or a hand-made fix could. On
    PostgreSQL the schema refuses it, so the constraint is dropped inside the test's own
    transaction (the rollback at the end of the test restores it)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # ALTER TABLE waits for no deferred check of this transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE athletes_athlete DROP CONSTRAINT tenancy_athlete_coach_in_club"
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    Athlete.objects.filter(pk=athlete.pk).update(coach=coach)
    athlete.refresh_from_db()
