from functools import cached_property

from django.http import HttpRequest

from comms.selectors import NavCounts, nav_counts


class LazyNavCounts:
    """Counted once, and only by a page that shows the nav (fragments never ask)."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    @cached_property
    def counts(self) -> NavCounts:
        return nav_counts(self.request.user)  # type: ignore[arg-type]

    @property
    def notifications(self) -> int:
        return self.counts.notifications

    @property
    def messages(self) -> int:
        return self.counts.messages


def unread(request: HttpRequest) -> dict[str, object]:
    if not request.user.is_authenticated:
        return {}
    return {"unread": LazyNavCounts(request)}
