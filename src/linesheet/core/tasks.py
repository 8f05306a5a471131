"""Retry for background tasks: the task backend runs a task once, so failures reschedule here."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone


def retry_delay(attempt: int) -> datetime.timedelta:
    """Return the wait before the attempt after `attempt`: doubling from the base, capped at 6 h."""
    seconds = settings.TASK_RETRY_BASE_SECONDS * (2 ** (attempt - 1))
    return datetime.timedelta(seconds=min(seconds, 6 * 3600))


def task_schedule_retry(task: Any, *, attempt: int, **kwargs: Any) -> datetime.datetime | None:
    """Enqueue attempt `attempt + 1` of `task` after the backoff; None once attempts are used up.

    Call inside the transaction that records the failure, so the record and the retry commit
    together. The task takes the attempt number as its `attempt` keyword.
    """
    if attempt >= settings.TASK_MAX_ATTEMPTS:
        return None
    run_after = timezone.now() + retry_delay(attempt)
    task.using(run_after=run_after).enqueue(attempt=attempt + 1, **kwargs)
    return run_after
