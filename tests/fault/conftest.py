"""One private stack for the whole fault suite: starting PostgreSQL, migrating and
booting gunicorn is most of its cost. Each test breaks a piece and leaves it running."""

from collections.abc import Iterator

import pytest

from tests.conftest import IN_CI
from tests.fault.services import missing_tools
from tests.fault.stack import FaultStack, fault_stack


@pytest.fixture(scope="session")
def stack() -> Iterator[FaultStack]:
    why = missing_tools()
    if why:
        if IN_CI:
            # In CI a missing service is a broken pipeline, never a silent skip.
            pytest.fail(f"CI=true but the fault tests {why}")
        pytest.skip(f"the fault tests {why}")
    with fault_stack() as running:
        yield running
