"""A task for the worker tests: it notes each run's start and end in a log file."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task


def _note(log: str, line: str) -> None:
    # One short write in append mode: lines from several processes never interleave.
    with Path(log).open("a") as file:
        file.write(line + "\n")


@task()
def probe(*, key: str, log: str, seconds: float = 0.0) -> str:
    """Note `start key`, wait `seconds`, note `done key`."""
    _note(log, f"start {key}")
    time.sleep(seconds)
    _note(log, f"done {key}")
    return key
