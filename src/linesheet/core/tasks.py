"""Retry for background tasks: the task backend runs a task once, so failures reschedule here."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResult
from django_tasks.base import Task

MAX_RETRY_DELAY = datetime.timedelta(hours=6)
# 2**20 times any sensible base is far past the cap; bounding the exponent keeps the float finite.
_MAX_DOUBLINGS = 20


def retry_delay(attempt: int, *, base_seconds: float) -> datetime.timedelta:
    """Return the wait after failed attempt `attempt`: `base_seconds`, doubling, capped at 6 h."""
    if attempt < 1:
        raise ValueError(f"attempts count from 1, got {attempt}")
    if base_seconds < 0:
        raise ValueError(f"the base delay cannot be negative, got {base_seconds}")
    seconds = base_seconds * 2 ** min(attempt - 1, _MAX_DOUBLINGS)
    return min(datetime.timedelta(seconds=seconds), MAX_RETRY_DELAY)


def task_schedule_retry(
    task: Task[..., Any], *, attempt: int, **kwargs: Any
) -> TaskResult[Any] | None:
    """Enqueue attempt `attempt + 1` of `task` after the backoff; None once attempts are used up.

    `attempt` is the number of attempts made so far (TASK_MAX_ATTEMPTS bounds it). Call inside
    the transaction that records the failure, so the record and the retry commit together. The
    task takes the attempt number as its `attempt` keyword. The result's `task.run_after` is
    when the retry runs, its `id` the retry's task id.
    """
    if attempt >= settings.TASK_MAX_ATTEMPTS:
        return None
    run_after = timezone.now() + retry_delay(attempt, base_seconds=settings.TASK_RETRY_BASE_SECONDS)
    return task.using(run_after=run_after).enqueue(attempt=attempt + 1, **kwargs)
