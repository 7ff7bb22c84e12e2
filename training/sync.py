"""Sets logged on the phone and sent later, in one batch: parsing and recording.

The offline queue (static/js/offline.js) sends what the athlete typed, load in their
own unit, with the client id the page gave the set. Each item is checked with the same
form as a set posted from the page and written by the same service, on its own: one bad
item never blocks the others, and an item is either stored whole or not at all.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from athletes.models import Athlete
from athletes.selectors import athlete_for_user
from coaching.models import User
from core.feedback import form_error_messages
from plans.models import Prescription
from training.forms import SetLogForm
from training.models import SetLog
from training.selectors import maxes_of, prescriptions_to_log
from training.services import set_log_record

# A phone's queue after a long offline session is a few dozen sets; the client sends at
# most 50 at a time. The limits stop a broken or hostile client, never an athlete.
MAX_BATCH = 100
MAX_BODY_BYTES = 256 * 1024
# The time a set was tapped is kept when it arrives late; a phone's clock is trusted
# within this window and replaced by the server's time outside it.
MAX_LATENESS = timedelta(days=31)

TOO_LARGE = f"Too much at once: at most {MAX_BODY_BYTES // 1024} KB."
NOT_YOURS = "This set isn't part of your sessions. Reload the page and log it again."
MALFORMED = "This set can't be read. Reload the page and log it again."
IDENTITY_FIELDS = ("client_id", "prescription", "kind", "set_number", "side")
VALUE_FIELDS = {"reps": "reps", "load": "load_kg", "rpe": "rpe", "note": "note"}


class BatchError(Exception):
    """The whole request is unusable; nothing was stored."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class ItemOutcome:
    """What became of one item: saved (with the stored row) or rejected (with reasons)."""

    client_id: str | None
    set_log: SetLog | None = None
    created: bool = False
    errors: list[str] = field(default_factory=list)


def parse_batch(body: bytes) -> list[Any]:
    """The items of a `{"sets": [...]}` body, or BatchError saying what is wrong."""
    if len(body) > MAX_BODY_BYTES:
        raise BatchError(TOO_LARGE, status=413)
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BatchError('Send JSON: {"sets": [...]}.') from None
    sets = payload.get("sets") if isinstance(payload, dict) else None
    if not isinstance(sets, list):
        raise BatchError('Send JSON: {"sets": [...]}.')
    if len(sets) > MAX_BATCH:
        raise BatchError(f"Too many sets at once: at most {MAX_BATCH}.", status=413)
    return sets


def record_batch(*, user: User, items: list[Any]) -> tuple[Athlete, list[ItemOutcome]]:
    """Record every item on its own, in order; the answer has one outcome per item.

    The athlete comes with their prescriptions; only a batch naming none of them costs
    a look-up of its own.
    """
    named = (_uuid(item.get("prescription")) for item in items if isinstance(item, dict))
    prescriptions = prescriptions_to_log(user, (pk for pk in named if pk is not None))
    first = next(iter(prescriptions.values()), None)
    athlete = first.session.athlete if first is not None else athlete_for_user(user)
    return athlete, [_record(athlete, item, prescriptions) for item in items]


def _record(athlete: Athlete, item: Any, prescriptions: Mapping[UUID, Prescription]) -> ItemOutcome:
    if not isinstance(item, dict):
        return ItemOutcome(None, errors=[MALFORMED])
    raw_id = item.get("client_id")
    outcome = ItemOutcome(raw_id if isinstance(raw_id, str) else None)
    data = _form_data(item)
    if data is None:
        outcome.errors = [MALFORMED]
        return outcome
    form = SetLogForm(data, athlete=athlete)
    form.is_valid()
    identity = form.slot_identity()
    if identity is None:
        outcome.errors = [MALFORMED]
        return outcome
    prescription = prescriptions.get(identity.prescription_id)
    if prescription is None or prescription.session_id != _uuid(item.get("session")):
        outcome.errors = [NOT_YOURS]
        return outcome
    if item.get("unit") not in (None, athlete.unit):
        outcome.errors = [
            f"Your loads are now in {athlete.unit}: check the load and log the set again."
        ]
        return outcome
    form.settle_load(prescription.exercise)
    if form.errors:
        outcome.errors = form_error_messages(form)
        return outcome
    try:
        result = set_log_record(
            athlete=athlete,
            prescription=prescription,
            kind=identity.kind,
            set_number=identity.set_number,
            side=identity.side,
            client_id=identity.client_id,
            values=form.set_values(),
            logged_at=_logged_at(item.get("logged_at")),
            maxes=maxes_of(prescription),
        )
    except ValidationError as error:
        outcome.errors = list(error.messages)
        return outcome
    if result.set_log.prescription_id == prescription.pk:
        result.set_log.prescription = prescription  # a replay: spare a query
    outcome.set_log = result.set_log
    outcome.created = result.created
    return outcome


def _uuid(value: Any) -> UUID | None:
    try:
        return UUID(str(value))
    except ValueError:
        return None


def _form_data(item: dict[str, Any]) -> dict[str, str] | None:
    """The item as the page's form would have posted it, or None if a value isn't scalar."""
    data = {}
    for source, name in [*((f, f) for f in IDENTITY_FIELDS), *VALUE_FIELDS.items()]:
        value = item.get(source)
        if value is None:
            value = ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return None
        data[name] = str(value)
    return data


def _logged_at(value: Any) -> datetime | None:
    """When the set was tapped, if the phone says so believably; else now."""
    if not isinstance(value, str):
        return None
    try:
        tapped = parse_datetime(value)
    except ValueError:
        return None
    if tapped is None or timezone.is_naive(tapped):
        return None
    now = timezone.now()
    if tapped > now or tapped < now - MAX_LATENESS:
        return None
    return tapped
