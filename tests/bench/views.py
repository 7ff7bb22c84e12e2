"""The floor: the cheapest authenticated request the stack can answer."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from plans.models import PlannedSession


@login_required
@require_http_methods(["GET", "POST"])
def floor(request: HttpRequest, session_id: UUID) -> HttpResponse:
    """One SELECT by primary key behind the same middleware as every real page.

    Sessions, auth and CSRF still run, so a benchmark divided by this figure
    shows what the view itself costs, not what gunicorn and Django cost.
    """
    try:
        title = PlannedSession.objects.values_list("title", flat=True).get(pk=session_id)
    except PlannedSession.DoesNotExist:
        raise Http404("No such session") from None
    return HttpResponse(title, content_type="text/plain")
