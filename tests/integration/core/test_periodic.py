"""`linesheet run_periodic`: each job does its work, runs when due, and once across machines."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from linesheet.accounts.models import AttemptDoor, FailedAttempt
from linesheet.core.models import PeriodicRun, WorkerHeartbeat
from linesheet.core.periodic import JOBS, PeriodicJob, periodic_jobs
from linesheet.reporting.models import AnalyticsMonth, Dimension
from tests.integration.reporting.history import History, month_start
from tests.task_probes import probe

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("run_periodic", *args, stdout=out)
    return out.getvalue()


def ago(**delta: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**delta)


def test_every_app_names_its_jobs() -> None:
    assert set(periodic_jobs()) == {
        "clear_failed_attempts",
        "delete_unused_image_files",
        "prune_generated_documents",
        "prune_task_results",
        "requeue_abandoned_tasks",
        "sum_analytics_months",
    }


def test_clearing_failed_attempts_keeps_those_still_counting(settings: Any) -> None:
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 900
    settings.PASSCODE_FAILURE_WINDOW_SECONDS = 3600
    for door, minutes in [
        (AttemptDoor.LOGIN, 20),
        (AttemptDoor.LOGIN, 5),
        (AttemptDoor.PASSCODE, 50),
        (AttemptDoor.PASSCODE, 70),
    ]:
        FailedAttempt.objects.create(door=door, subject="x", failed_at=ago(minutes=minutes))

    assert "clear_failed_attempts: 2 failed attempt(s) deleted" in run("clear_failed_attempts")
    kept = sorted(
        (door, round((timezone.now() - at).total_seconds() / 60))
        for door, at in FailedAttempt.objects.values_list("door", "failed_at")
    )
    assert kept == [(AttemptDoor.LOGIN, 5), (AttemptDoor.PASSCODE, 50)]


def test_pruning_deletes_only_tasks_finished_before_the_retention(settings: Any) -> None:
    settings.TASK_RESULT_RETENTION_DAYS = 14
    tasks = {name: probe.enqueue(key=name, log="/dev/null").id for name in "abcde"}
    DBTaskResult.objects.filter(pk=tasks["a"]).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=ago(days=15)
    )
    DBTaskResult.objects.filter(pk=tasks["b"]).update(
        status=TaskResultStatus.FAILED, finished_at=ago(days=15)
    )
    DBTaskResult.objects.filter(pk=tasks["c"]).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=ago(days=13)
    )
    DBTaskResult.objects.filter(pk=tasks["d"]).update(
        status=TaskResultStatus.RUNNING, started_at=ago(days=20)
    )
    WorkerHeartbeat.objects.create(worker_id="gone", started_at=ago(days=30), seen_at=ago(days=15))
    WorkerHeartbeat.objects.create(worker_id="here", started_at=ago(days=30), seen_at=ago(days=0))

    assert "prune_task_results: 2 task result(s) deleted" in run("prune_task_results")
    assert {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)} == {
        tasks["c"],
        tasks["d"],
        tasks["e"],
    }
    assert list(WorkerHeartbeat.objects.values_list("pk", flat=True)) == ["here"]


def test_the_requeue_job_puts_back_a_dead_workers_task() -> None:
    result = probe.enqueue(key="k", log="/dev/null")
    DBTaskResult.objects.get(pk=result.id).claim("killed")
    DBTaskResult.objects.filter(pk=result.id).update(started_at=ago(minutes=5))

    assert "requeue_abandoned_tasks: 1 task(s) requeued" in run("requeue_abandoned_tasks")
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.READY


def test_the_analytics_job_sums_every_brands_past_months(brand: Any, owner: Any) -> None:
    History(brand, owner)

    out = run("sum_analytics_months")

    # The three past months with orders, by each of the four dimensions.
    assert "sum_analytics_months: 12 month(s) summed for 1 brand(s)" in out
    months = set(AnalyticsMonth.objects.filter(brand=brand).values_list("month", flat=True))
    assert months == {month_start(n) for n in (3, 2, 1)}
    assert set(
        AnalyticsMonth.objects.filter(brand=brand).values_list("dimension", flat=True)
    ) == set(Dimension)


def test_a_job_runs_again_only_once_it_is_due() -> None:
    first = run("requeue_abandoned_tasks", "prune_task_results")
    again = run("requeue_abandoned_tasks", "prune_task_results")
    PeriodicRun.objects.filter(job="requeue_abandoned_tasks").update(started_at=ago(seconds=55))
    later = run()

    assert "requeue_abandoned_tasks: 0 task(s) requeued" in first
    assert "requeue_abandoned_tasks: not due" in again
    assert "prune_task_results: not due" in again
    # 55 s after a 1-minute job started: a timer firing each minute must not skip a turn.
    assert "requeue_abandoned_tasks: 0 task(s) requeued" in later
    assert "prune_task_results: not due" in later
    assert "prune_task_results: 0 task result(s) deleted" in run("prune_task_results", "--force")
    record = PeriodicRun.objects.get(job="prune_task_results")
    assert record.finished_at is not None and record.finished_at >= record.started_at
    assert not record.failed


def test_a_failing_job_is_recorded_and_the_others_still_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken() -> str:
        raise RuntimeError("the disk is full")

    periodic_jobs()
    monkeypatch.setitem(
        JOBS,
        "broken",
        PeriodicJob(name="broken", every=datetime.timedelta(hours=1), run=broken, help=""),
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="failed: broken"):
        call_command("run_periodic", "broken", "requeue_abandoned_tasks", stdout=out)

    assert "broken: failed: RuntimeError: the disk is full" in out.getvalue()
    assert "requeue_abandoned_tasks: 0 task(s) requeued" in out.getvalue()
    record = PeriodicRun.objects.get(job="broken")
    assert record.failed and record.outcome == "failed: RuntimeError: the disk is full"


def test_an_unknown_job_is_refused() -> None:
    with pytest.raises(CommandError, match="no periodic job is called nightly"):
        run("nightly")
