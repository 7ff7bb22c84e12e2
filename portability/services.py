"""Writes for data in and out: the calendar feed, history imports, deletion."""

from django.db import transaction

from athletes.models import Athlete
from portability.models import CalendarFeed, new_feed_token


@transaction.atomic
def calendar_feed_reset(*, athlete: Athlete) -> CalendarFeed:
    """Give the athlete a calendar address, or a new one: the old address stops working."""
    feed = CalendarFeed.objects.select_for_update().filter(athlete=athlete).first()
    if feed is None:
        feed = CalendarFeed(athlete=athlete)
    else:
        feed.token = new_feed_token()
    feed.full_clean(validate_unique=False)
    feed.save()
    return feed
