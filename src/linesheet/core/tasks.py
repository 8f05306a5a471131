"""Background tasks: retries with backoff, and workers' heartbeats and leases.

The task backend runs a task once, so failures reschedule here. A worker that dies leaves its
task RUNNING; the live workers put it back once its lease is over (`tasks_requeue_abandoned`).
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from linesheet.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

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


# --- Workers: heartbeats, and the tasks a dead worker left RUNNING ---------------------------


def worker_heartbeat_record(*, worker_id: str, started_at: datetime.datetime) -> None:
    """Note that the worker `worker_id` is alive now."""
    now = timezone.now()
    if not WorkerHeartbeat.objects.filter(pk=worker_id).update(seen_at=now):
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={"seen_at": now},
            create_defaults={
                "seen_at": now,
                "started_at": started_at,
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
            },
        )


def worker_heartbeat_remove(*, worker_id: str) -> None:
    """Forget the worker `worker_id`: it has stopped."""
    WorkerHeartbeat.objects.filter(pk=worker_id).delete()


def _last_worker(task: DBTaskResult) -> str | None:
    worker_ids = task.worker_ids
    return str(worker_ids[-1]) if isinstance(worker_ids, list) and worker_ids else None


def tasks_requeue_abandoned(*, lease: datetime.timedelta | None = None) -> list[str]:
    """Put back in the queue the RUNNING tasks whose worker died; return their ids.

    A task is abandoned when it started more than `lease` (TASK_LEASE_SECONDS) ago and the
    worker that claimed it (the last of its `worker_ids`) has not been seen within the lease:
    it was killed, or it never writes heartbeats (a plain `db_worker`, which counts as dead
    once its task ran longer than the lease). A worker that is alive keeps its tasks however
    long they run. Rows a worker is finishing at this moment are skipped (their lock is held),
    so a task that just finished is never put back.
    """
    lease = lease if lease is not None else datetime.timedelta(seconds=settings.TASK_LEASE_SECONDS)
    cutoff = timezone.now() - lease
    with transaction.atomic():
        alive = set(
            WorkerHeartbeat.objects.filter(seen_at__gt=cutoff).values_list("worker_id", flat=True)
        )
        running = (
            DBTaskResult.objects.running()
            .filter(started_at__lte=cutoff)
            .select_for_update(skip_locked=True)
            .only("id", "worker_ids")
        )
        abandoned = [task.pk for task in running if _last_worker(task) not in alive]
        if abandoned:
            DBTaskResult.objects.filter(pk__in=abandoned).update(
                status=TaskResultStatus.READY, started_at=None
            )
    if abandoned:
        logger.warning("requeued %d task(s) left running by a dead worker", len(abandoned))
    return [str(task_id) for task_id in abandoned]


def tasks_return_held(*, worker_id: str) -> list[str]:
    """Put back in the queue the tasks `worker_id` claimed but holds no more; return their ids.

    Called by a worker as it stops: a stop that came between claiming a task and starting it
    leaves it RUNNING under this worker, which will never run it.
    """
    with transaction.atomic():
        running = DBTaskResult.objects.running().select_for_update().only("id", "worker_ids")
        held = [task.pk for task in running if _last_worker(task) == worker_id]
        if held:
            DBTaskResult.objects.filter(pk__in=held, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None
            )
    return [str(task_id) for task_id in held]


def tasks_prune_finished(*, older_than: datetime.timedelta) -> int:
    """Delete the results of tasks that finished more than `older_than` ago, and the
    heartbeats of workers silent as long; return how many task results went."""
    cutoff = timezone.now() - older_than
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    WorkerHeartbeat.objects.filter(seen_at__lte=cutoff).delete()
    return deleted
