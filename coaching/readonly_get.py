"""No GET changes anything: a check that fails any database write made while serving one.

On when `READ_ONLY_GET_CHECK` is set (the test suite turns it on for every request it
makes; production leaves it off, as the check costs a regular expression per query). It is
the outermost middleware, so it also sees what other middleware writes on the way out.

A GET or HEAD that writes is a bug: move the write to a POST (htmx sends it once the page
is on screen, with a form as the no-JavaScript fallback). The only writes let through are
bookkeeping nobody sees, listed in ALLOWED_TABLES with the reason.
"""

import re
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections
from django.http import HttpRequest, HttpResponse

SAFE_METHODS = frozenset({"GET", "HEAD"})

ALLOWED_TABLES = {
    # The session backend saves a session it changed: flash messages read on the page
    # (they are removed once shown), the CSRF token a form asks for, an expiry refreshed.
    # Invisible to the person, and the price of having sessions at all.
    "django_session",
}

_COMMENTS = re.compile(r"\A(?:\s+|--[^\n]*(?:\n|\Z)|/\*.*?\*/)*", re.DOTALL)
_WRITE_VERBS = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "COPY"})
_TARGET = re.compile(
    r"""^(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO|TRUNCATE(?:\s+TABLE)?)\s+
        (?:ONLY\s+)?["`]?([\w.]+)["`]?""",
    re.IGNORECASE | re.VERBOSE,
)
_WRITE_IN_CTE = re.compile(r"\b(INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM)\b", re.IGNORECASE)


class WriteDuringGet(AssertionError):
    """A GET or HEAD request tried to write to the database. Not a DatabaseError on
    purpose, so that no `except DatabaseError` in the code under test swallows it."""


def statement_writes(sql: str) -> bool:
    """Whether one SQL statement writes a row of a table outside ALLOWED_TABLES."""
    statement = _COMMENTS.sub("", sql, count=1)
    verb = statement.split(None, 1)[0].upper() if statement else ""
    if verb == "WITH":
        return bool(_WRITE_IN_CTE.search(statement))
    if verb not in _WRITE_VERBS:
        return False
    target = _TARGET.match(statement)
    table = target.group(1).rsplit(".", 1)[-1].strip('"`') if target else ""
    return table not in ALLOWED_TABLES


class ReadOnlyGetMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not getattr(settings, "READ_ONLY_GET_CHECK", False):
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            return self.get_response(request)
        refused: list[str] = []

        def refuse_writes(
            execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
        ) -> Any:
            if statement_writes(sql):
                refused.append(sql)
                raise WriteDuringGet(f"{request.method} {request.path} writes: {sql}")
            return execute(sql, params, many, context)

        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(refuse_writes))
            response = self.get_response(request)
        if refused:
            # Raised again in case the code under test caught the first one.
            raise WriteDuringGet(f"{request.method} {request.path} writes: {refused[0]}")
        return response
