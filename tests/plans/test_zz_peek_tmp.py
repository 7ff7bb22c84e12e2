from datetime import time, timedelta
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.plans.test_calendar import *  # noqa

def test_peek(coach_client, athlete):
    add_run(athlete, MONDAY, "easy", start_time=time(7), planned_minutes=45)
    add_run(athlete, TUESDAY, "intervals", planned_minutes=60, description="6 x 800 m")
    add_run(athlete, SUNDAY, "race", description="City 10k")
    add_session(athlete, MONDAY)
    s = add_session(athlete, TUESDAY, "deadlift")
    SetLogFactory(prescription=s.prescriptions.get())
    with CaptureQueriesContext(connection) as q:
        html = coach_client.get(week_url(athlete)).content.decode()
    for x in q.captured_queries: print(x["sql"][:150])
    open("/tmp/week.html","w").write(html)
