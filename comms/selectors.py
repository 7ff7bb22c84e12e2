"""Reads for notes, threads and notifications. Callers have already checked that the
person may see the athlete (athletes.selectors); these add the per-object rules."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from athletes.models import Athlete
from athletes.selectors import athletes_visible_to
from coaching.models import Coach, User
from comms.models import (
    CoachNote,
    Message,
    Notification,
    NotificationPreference,
    ThreadRead,
)

THREAD_PAGE_SIZE = 50
COMPACT_THREAD_SIZE = 8  # on the coach's athlete page
NOTIFICATIONS_PAGE_SIZE = 50
EPOCH = datetime.fromisoformat("2000-01-01T00:00:00+00:00")


def notes_for(athlete: Athlete) -> QuerySet[CoachNote]:
    return CoachNote.objects.filter(athlete=athlete).select_related("author")


def own_note(*, athlete: Athlete, user: User, note_id: UUID) -> CoachNote:
    """A note on this athlete written by this coach, else 404: coaches change only their own."""
    note = notes_for(athlete).filter(pk=note_id, author=user).first()
    if note is None:
        raise Http404("No such note")
    return note


def _read_until(athlete: Athlete, user: User) -> Subquery:
    return Subquery(
        ThreadRead.objects.filter(athlete=athlete, user=user).values("read_until")[:1],
        output_field=DateTimeField(),
    )


def unread_messages(athlete: Athlete, user: User) -> QuerySet[Message]:
    """Messages of the thread written by somebody else after `user` last read it."""
    return (
        Message.objects.filter(athlete=athlete)
        .exclude(author=user)
        .filter(created_at__gt=Coalesce(_read_until(athlete, user), EPOCH))
    )


def athletes_with_unread_messages(user: User, athlete_ids: Iterable[UUID]) -> set[UUID]:
    """Of these athletes, those whose thread holds a message `user` has not read yet: a
    roster flag for any number of athletes in one query."""
    read_until = ThreadRead.objects.filter(athlete=OuterRef("athlete"), user=user).values(
        "read_until"
    )[:1]
    unread = (
        Message.objects.filter(athlete__in=list(athlete_ids))
        .exclude(author=user)
        .filter(created_at__gt=Coalesce(Subquery(read_until), EPOCH))
    )
    return set(unread.order_by().values_list("athlete", flat=True).distinct())


@dataclass(frozen=True)
class Thread:
    athlete: Athlete
    messages: list[Message]  # oldest first
    unread_ids: frozenset[UUID]
    number: int  # page 1 is the newest messages
    has_older: bool

    @property
    def unread(self) -> int:
        return len(self.unread_ids)

    @property
    def latest_id(self) -> UUID | None:
        """The newest message shown, for "read up to here" (only on the newest page)."""
        return self.messages[-1].pk if self.number == 1 and self.messages else None

    @property
    def has_newer(self) -> bool:
        return self.number > 1


def page_number(value: str | int | None, *, last: int = 10_000) -> int:
    """A page number from the query string; anything else is the first page."""
    try:
        number = int(value or 1)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), last)


def thread_for(
    athlete: Athlete, user: User, *, page: str | int | None = 1, size: int = THREAD_PAGE_SIZE
) -> Thread:
    """One page of the thread as `user` sees it, with what is new to them. Two queries:
    one extra message is fetched to know whether older ones exist, instead of a count."""
    number = page_number(page)
    newest_first = (
        Message.objects.filter(athlete=athlete)
        .select_related("author")
        .order_by("-created_at", "-pk")
    )
    offset = (number - 1) * size
    found = list(newest_first[offset : offset + size + 1])
    if not found and number > 1:
        number, found = 1, list(newest_first[: size + 1])
    unread = frozenset(unread_messages(athlete, user).values_list("pk", flat=True))
    return Thread(
        athlete=athlete,
        messages=found[:size][::-1],
        unread_ids=unread,
        number=number,
        has_older=len(found) > size,
    )


def threads_for_coach(user: User, *, page: str | int | None = 1) -> Page:
    """The threads of the athletes `user` sees that have any message, the latest first,
    each with its last message and how many are unread for `user`. Two queries a page."""
    newest = Message.objects.filter(athlete=OuterRef("pk")).order_by("-created_at")
    read_until = ThreadRead.objects.filter(athlete=OuterRef("athlete"), user=user).values(
        "read_until"
    )[:1]
    unread = (
        Message.objects.filter(athlete=OuterRef("pk"))
        .exclude(author=user)
        .filter(created_at__gt=Coalesce(Subquery(read_until), EPOCH))
        .values("athlete")
    )
    threads = (
        athletes_visible_to(user)
        .annotate(
            last_message_at=Subquery(newest.values("created_at")[:1]),
            last_message=Subquery(newest.values("body")[:1]),
            last_author_id=Subquery(newest.values("author")[:1]),
            unread_count=_count(unread),
        )
        .filter(last_message_at__isnull=False)
        .order_by("-last_message_at", "pk")
    )
    return Paginator(threads, THREAD_PAGE_SIZE).get_page(page)


def message_in_thread(athlete: Athlete, message_id: UUID | None) -> Message:
    message = None
    if message_id is not None:
        message = Message.objects.filter(athlete=athlete, pk=message_id).first()
    if message is None:
        raise Http404("No such message")
    return message


def within_recipients_club() -> Q:
    """A stored notification about an athlete counts only for the athlete or a coach of
    the athlete's club. New ones are sent only to them (notify.notifications_send); this
    keeps a row stored before that rule, or by a link since refused, out of pages, counts
    and digests."""
    coach_of_club = Coach.objects.filter(user=OuterRef("recipient"), club=OuterRef("athlete__club"))
    return Q(athlete__isnull=True) | Q(athlete__user=F("recipient")) | Q(Exists(coach_of_club))


def _notifications_of(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(within_recipients_club(), recipient=user)


def notifications_for(user: User, *, page: str | int | None = 1) -> Page:
    paginator = Paginator(
        _notifications_of(user).order_by("-created_at", "-pk"), NOTIFICATIONS_PAGE_SIZE
    )
    return paginator.get_page(page)


def notification_for(user: User, notification_id: UUID) -> Notification:
    notification = _notifications_of(user).filter(pk=notification_id).first()
    if notification is None:
        raise Http404("No such notification")
    return notification


def zone_for(user: User) -> str:
    """The time zone a person's day runs in: an athlete's own, a coach's club's."""
    zone = (
        User.objects.filter(pk=user.pk)
        .values_list(Coalesce("athlete__time_zone", "coach__club__time_zone"), flat=True)
        .first()
    )
    return zone or settings.TIME_ZONE


def preference_for(user: User) -> NotificationPreference:
    """The saved preference, or the defaults (unsaved) for somebody who never chose."""
    found = NotificationPreference.objects.filter(user=user).first()
    return found or NotificationPreference(user=user)


@dataclass(frozen=True)
class NavCounts:
    notifications: int
    messages: int


def _count(grouped: QuerySet) -> Coalesce:
    """The row count of a correlated queryset already grouped by `.values(...)`."""
    counted = grouped.order_by().annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def nav_counts(user: User) -> NavCounts:
    """Unread notifications, and for an athlete unread messages, in one query."""
    unread_notifications = Notification.objects.filter(
        within_recipients_club(), recipient=OuterRef("pk"), read_at__isnull=True
    ).values("recipient")
    counts = User.objects.filter(pk=user.pk).annotate(
        unread_notifications=_count(unread_notifications)
    )
    if user.is_athlete:
        read_until = ThreadRead.objects.filter(
            athlete__user=OuterRef(OuterRef("pk")), user=OuterRef(OuterRef("pk"))
        ).values("read_until")[:1]
        unread = (
            Message.objects.filter(athlete__user=OuterRef("pk"))
            .exclude(author=OuterRef("pk"))
            .filter(created_at__gt=Coalesce(Subquery(read_until), EPOCH))
            .values("athlete")
        )
        counts = counts.annotate(unread_messages=_count(unread))
    row = counts.values("unread_notifications", *(["unread_messages"] if user.is_athlete else []))
    found = row.first() or {}
    return NavCounts(
        notifications=found.get("unread_notifications", 0),
        messages=found.get("unread_messages", 0),
    )


def coach_thread_recipients(athlete: Athlete, *, author: User) -> list[User]:
    """Who hears of the athlete's message: their coach, and any coach who wrote in the
    thread and still sees the athlete (a head coach of the club)."""
    wrote = Message.objects.filter(athlete=athlete).values("author")
    return list(
        User.objects.filter(
            Q(coach=athlete.coach_id, coach__club=athlete.club_id)
            | Q(pk__in=wrote, coach__club=athlete.club_id, coach__role=Coach.Role.HEAD),
            is_active=True,
        ).exclude(pk=author.pk)
    )
