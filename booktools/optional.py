"""For tests whose tools or artifacts are optional on a reader's machine.

The PDF, Node.js and Chromium need installing (`make pdf`, `npm`, `make
browser`). Without them a reader's `make test` skips the tests that need them;
CI installs all of them, so there (the CI environment variable is set) the
same absence is a failure, never a silent skip.
"""

import os

import pytest


def skip_or_fail(reason: str) -> None:
    """Skip the calling test, or fail it under CI."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)
