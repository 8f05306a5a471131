"""Periodic work: each app names its jobs in its `periodic` module; `linesheet run_periodic` runs
those that are due, from a cron entry or a systemd timer (docs/workers.md).

A job is due when it last started `every` ago or more (a tenth of `every` early still counts,
so a timer firing every 5 minutes runs a 5-minute job each time). Starting a job is recorded
first, under the row's lock, so two machines calling `run_periodic` at once run it once.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from linesheet.core.models import PeriodicRun
from linesheet.core.tasks import tasks_prune_finished, tasks_requeue_abandoned

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: datetime.timedelta
    run: Callable[[], str]  # does the work; returns what it did, in a few words
    help: str


JOBS: dict[str, PeriodicJob] = {}


def periodic_job(
    *, name: str, every: datetime.timedelta, help: str
) -> Callable[[Callable[[], str]], Callable[[], str]]:
    """Register the decorated function as the periodic job `name`, due every `every`."""

    def register(run: Callable[[], str]) -> Callable[[], str]:
        JOBS[name] = PeriodicJob(name=name, every=every, run=run, help=help)
        return run

    return register


def periodic_jobs() -> dict[str, PeriodicJob]:
    """Return every app's periodic jobs, by name."""
    autodiscover_modules("periodic")
    return dict(sorted(JOBS.items()))


@dataclass(frozen=True)
class JobOutcome:
    job: str
    ran: bool
    failed: bool
    outcome: str


def _claim(job: PeriodicJob, *, force: bool) -> PeriodicRun | None:
    """Record that `job` starts now when it is due (or forced); None when it is not."""
    now = timezone.now()
    PeriodicRun.objects.get_or_create(job=job.name)
    with transaction.atomic():
        run = PeriodicRun.objects.select_for_update().get(job=job.name)
        if not force and run.started_at is not None and run.started_at > now - job.every * 0.9:
            return None
        run.started_at = now
        run.finished_at = None
        run.save(update_fields=["started_at", "finished_at"])
    return run


def periodic_run(*, names: list[str] | None = None, force: bool = False) -> list[JobOutcome]:
    """Run the jobs named (all when None) that are due, or all of them with `force`.

    A job that fails is recorded as failed and the others still run.
    """
    jobs = periodic_jobs()
    unknown = sorted(set(names or []) - set(jobs))
    if unknown:
        raise KeyError(", ".join(unknown))
    outcomes = []
    for job in jobs.values():
        if names is not None and job.name not in names:
            continue
        run = _claim(job, force=force)
        if run is None:
            outcomes.append(JobOutcome(job=job.name, ran=False, failed=False, outcome="not due"))
            continue
        try:
            outcome, failed = job.run(), False
        except Exception as exc:
            logger.exception("periodic job %s failed", job.name)
            outcome, failed = f"failed: {type(exc).__name__}: {exc}", True
        run.finished_at = timezone.now()
        run.outcome = outcome[:255]
        run.failed = failed
        run.save(update_fields=["finished_at", "outcome", "failed"])
        outcomes.append(JobOutcome(job=job.name, ran=True, failed=failed, outcome=outcome))
    return outcomes


# --- The task queue's own jobs ---------------------------------------------------------------


@periodic_job(
    name="requeue_abandoned_tasks",
    every=datetime.timedelta(minutes=1),
    help="Requeue tasks left RUNNING by a worker silent for TASK_LEASE_SECONDS (workers do "
    "it too; this covers plain db_workers).",
)
def requeue_abandoned_tasks() -> str:
    return f"{len(tasks_requeue_abandoned())} task(s) requeued"


@periodic_job(
    name="prune_task_results",
    every=datetime.timedelta(hours=1),
    help="Delete the results of tasks finished more than TASK_RESULT_RETENTION_DAYS ago.",
)
def prune_task_results() -> str:
    kept = datetime.timedelta(days=settings.TASK_RESULT_RETENTION_DAYS)
    return f"{tasks_prune_finished(older_than=kept)} task result(s) deleted"
