"""`python -m tests.fault.seed N`: migrate the private database, seed N athletes, print JSON.

Runs in a process of its own because the test process's ORM belongs to the
test database; this one's DATABASE_URL is the private cluster's.
"""

import dataclasses
import json
import sys

import django

SLOTS_PER_ATHLETE = 20  # one session's worth: every planned set of four lifts


def main() -> None:
    athletes = int(sys.argv[1])
    django.setup()
    from django.core.management import call_command

    from tests.bench.seed import seed_load

    call_command("migrate", verbosity=0)
    data = seed_load(athletes=athletes, slots_per_athlete=SLOTS_PER_ATHLETE)
    print(json.dumps(dataclasses.asdict(data), default=str))


if __name__ == "__main__":
    main()
