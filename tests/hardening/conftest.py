"""The API fixtures (an app on the test database with a fake clock, and callers of
each role) for the hardening tests too."""

from tests.api.conftest import (  # noqa: F401
    anonymous,
    app,
    auditor,
    caller,
    client,
    department_of,
    intake,
    office,
    settings,
    wf,
)
