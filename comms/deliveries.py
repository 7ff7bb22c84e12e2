"""The hourly jobs: daily digests and morning reminders, each at a local hour.

Both run every hour (CELERY_BEAT_SCHEDULE) and pick the people whose own clock shows the
configured hour, so everybody gets theirs at the same local time. A delivery is claimed
by inserting (person, kind, local day) under a unique constraint before anything is
sent: a second run, or two at once, sends nothing twice.
"""

from collections import defaultdict
from datetime import date, datetime
from functools import cache
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from athletes.models import Athlete
from coaching.models import User
from comms.models import Notification, ScheduledDelivery
from comms.notify import Notice, notifications_send
from comms.selectors import within_recipients_club
from core.links import site_url
from core.mail import send_email
from core.queue import enqueue_after_commit


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _local_day_if_hour(now: datetime, zone: str, hour: int) -> date | None:
    """The local date in `zone` if its clock is in `hour` now, else None."""
    local = now.astimezone(_zone(zone))
    return local.date() if local.hour == hour else None


def _claim(kind: str, days: dict[UUID, date]) -> set[UUID]:
    """The users whose delivery of `kind` on their day this run wins."""
    run = uuid4()
    ScheduledDelivery.objects.bulk_create(
        [
            ScheduledDelivery(user_id=user_id, kind=kind, local_date=day, run=run)
            for user_id, day in days.items()
        ],
        ignore_conflicts=True,
    )
    return set(ScheduledDelivery.objects.filter(run=run).values_list("user_id", flat=True))


@transaction.atomic
def digests_send(*, now: datetime | None = None) -> int:
    """One email per person whose digest hour it is, listing what waited for it. Returns
    how many digests were queued."""
    now = now or timezone.now()
    hour = settings.NOTIFICATION_DIGEST_HOUR
    waiting = (
        User.objects.filter(notifications__email=Notification.Email.DIGEST, is_active=True)
        .annotate(zone=Coalesce(F("athlete__time_zone"), F("coach__club__time_zone"), Value("UTC")))
        .values_list("pk", "zone")
        .distinct()
    )
    days = {
        user_id: day
        for user_id, zone in waiting
        if (day := _local_day_if_hour(now, zone, hour)) is not None
    }
    if not days:
        return 0
    claimed = _claim(ScheduledDelivery.Kind.DIGEST, days)
    pending = Notification.objects.filter(
        within_recipients_club(),
        recipient__in=claimed,
        email=Notification.Email.DIGEST,
        created_at__lte=now,
    ).select_related("recipient")
    by_user: dict[UUID, list[Notification]] = defaultdict(list)
    for notification in pending.order_by("created_at"):
        by_user[notification.recipient_id].append(notification)
    Notification.objects.filter(pk__in=[n.pk for items in by_user.values() for n in items]).update(
        email=Notification.Email.SENT
    )
    for user_id, items in by_user.items():
        enqueue_after_commit(
            send_email,
            subject=_digest_subject(items, days[user_id]),
            body=_digest_body(items),
            to=[items[0].recipient.email],
        )
    return len(by_user)


def _digest_subject(items: list[Notification], day: date) -> str:
    count = len(items)
    return f"RunStrong: {count} notification{'s' if count != 1 else ''} ({day:%A %-d %B})"


def _digest_body(items: list[Notification]) -> str:
    lines = [f"- {n.text}\n  {site_url(n.link)}" for n in items]
    return "\n".join(lines) + (
        f"\n\nAll notifications: {site_url(reverse('comms:notifications'))}\n"
        f"--\nChoose what RunStrong emails you: {site_url(reverse('comms:preferences'))}\n"
    )


def _reminder_email(user: User) -> str:
    # Asked for explicitly: sent whatever the person chose for the other notifications.
    return Notification.Email.SENT


@transaction.atomic
def morning_reminders_send(*, now: datetime | None = None) -> int:
    """A reminder to each athlete who asked for one, on a day with a strength session,
    when their own clock shows the reminder hour. Returns how many were sent."""
    now = now or timezone.now()
    hour = settings.MORNING_REMINDER_HOUR
    wanting = Athlete.objects.filter(
        user__notification_preference__morning_reminder=True, user__is_active=True
    )
    zones = wanting.order_by().values_list("time_zone", flat=True).distinct()
    due_days = {
        zone: day for zone in zones if (day := _local_day_if_hour(now, zone, hour)) is not None
    }
    if not due_days:
        return 0
    on_their_day = Q()
    for zone, day in due_days.items():
        on_their_day |= Q(time_zone=zone, planned_sessions__date=day)
    rows = (
        wanting.filter(on_their_day)
        .order_by("planned_sessions__date", "planned_sessions__created_at")
        .values_list("pk", "user_id", "time_zone", "planned_sessions__title")
    )
    titles: dict[tuple[UUID, UUID], list[str]] = defaultdict(list)
    for athlete_id, user_id, _zone_name, title in rows:
        titles[(athlete_id, user_id)].append(title)
    zone_of = {user_id: zone for _a, user_id, zone, _t in rows}
    claimed = _claim(
        ScheduledDelivery.Kind.REMINDER,
        {user_id: due_days[zone_of[user_id]] for _athlete, user_id in titles},
    )
    notices = [
        Notice(
            recipient_id=user_id,
            kind=Notification.Kind.REMINDER,
            text=f"Strength today: {', '.join(dict.fromkeys(names))}.",
            link=reverse("training:today"),
            athlete_id=athlete_id,
        )
        for (athlete_id, user_id), names in titles.items()
        if user_id in claimed
    ]
    return len(notifications_send(notices, email_status=_reminder_email))
