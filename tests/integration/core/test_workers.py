"""Task workers: heartbeats, the lease after which a dead worker's task runs again, stopping.

The first tests drive the functions on the test database; the others run real `linesheet
worker` processes on PostgreSQL (several workers, SIGTERM, SIGKILL) with a task that notes
each run in a log file.
"""

from __future__ import annotations

import datetime
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from linesheet.core.models import WorkerHeartbeat
from linesheet.core.tasks import (
    tasks_requeue_abandoned,
    tasks_return_held,
    worker_heartbeat_record,
)
from tests.processes import LINESHEET, process_env
from tests.task_probes import probe

LEASE = datetime.timedelta(seconds=60)


def claimed(worker_id: str, *, started_seconds_ago: float, log: str = "/dev/null") -> str:
    """Enqueue a probe task and leave it as a worker that claimed it does: RUNNING."""
    result = probe.enqueue(key=worker_id, log=log)
    task = DBTaskResult.objects.get(pk=result.id)
    task.claim(worker_id)
    started = timezone.now() - datetime.timedelta(seconds=started_seconds_ago)
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=started)
    return str(task.pk)


def seen(worker_id: str, *, seconds_ago: float) -> None:
    worker_heartbeat_record(worker_id=worker_id, started_at=timezone.now())
    when = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.filter(pk=worker_id).update(seen_at=when)


def status(task_id: str) -> str:
    return DBTaskResult.objects.get(pk=task_id).status


@pytest.mark.django_db
def test_a_task_whose_worker_beats_is_left_running_however_long_it_runs() -> None:
    task_id = claimed("busy", started_seconds_ago=3600)
    seen("busy", seconds_ago=5)

    assert tasks_requeue_abandoned(lease=LEASE) == []
    assert status(task_id) == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_a_task_whose_worker_went_silent_for_the_lease_is_requeued() -> None:
    task_id = claimed("killed", started_seconds_ago=300)
    seen("killed", seconds_ago=61)

    assert tasks_requeue_abandoned(lease=LEASE) == [task_id]
    task = DBTaskResult.objects.get(pk=task_id)
    assert (task.status, task.started_at, task.worker_ids) == (
        TaskResultStatus.READY,
        None,
        ["killed"],
    )


@pytest.mark.django_db
def test_a_task_of_a_worker_that_never_beat_waits_out_the_lease_from_its_start() -> None:
    recent = claimed("plain-db-worker", started_seconds_ago=30)
    old = claimed("plain-db-worker-2", started_seconds_ago=90)

    assert tasks_requeue_abandoned(lease=LEASE) == [old]
    assert status(recent) == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_only_the_last_worker_of_a_task_counts_as_its_holder() -> None:
    # Claimed by a worker that died, requeued, claimed again by one that is alive.
    task_id = claimed("dead", started_seconds_ago=300)
    DBTaskResult.objects.get(pk=task_id).claim("alive")
    DBTaskResult.objects.filter(pk=task_id).update(
        started_at=timezone.now() - datetime.timedelta(seconds=300)
    )
    seen("alive", seconds_ago=1)

    assert tasks_requeue_abandoned(lease=LEASE) == []


@pytest.mark.django_db
def test_a_stopping_worker_returns_the_tasks_it_holds_and_no_other() -> None:
    mine = claimed("stopping", started_seconds_ago=0)
    other = claimed("other", started_seconds_ago=0)

    assert tasks_return_held(worker_id="stopping") == [mine]
    assert (status(mine), status(other)) == (TaskResultStatus.READY, TaskResultStatus.RUNNING)


@pytest.mark.django_db
def test_the_command_requeues_with_the_lease_given(capsys: pytest.CaptureFixture[str]) -> None:
    task_id = claimed("gone", started_seconds_ago=20)
    seen("gone", seconds_ago=20)

    call_command("requeue_stale_tasks")  # TASK_LEASE_SECONDS: 60
    assert status(task_id) == TaskResultStatus.RUNNING
    call_command("requeue_stale_tasks", "--older-than", "10")
    assert status(task_id) == TaskResultStatus.READY
    assert "Requeued 1 abandoned task(s)." in capsys.readouterr().out


@pytest.mark.django_db
def test_the_worker_refuses_a_heartbeat_as_long_as_the_lease(settings: Any) -> None:
    settings.TASK_LEASE_SECONDS = 10
    settings.TASK_HEARTBEAT_SECONDS = 6
    with pytest.raises(CommandError, match="at most half TASK_LEASE_SECONDS"):
        call_command("worker", "--batch", "--no-reload")


# --- Real worker processes on PostgreSQL ------------------------------------------------------


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str) -> float:
    """Poll `condition` until it holds; return the seconds it took."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)
    return time.monotonic() - started


class Workers:
    """`linesheet worker` processes on the test database, each with its own log."""

    def __init__(self, directory: Path, **settings: str) -> None:
        self.directory = directory
        self.env = process_env(var_dir=directory, **settings)
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, worker_id: str) -> subprocess.Popen[bytes]:
        command = [
            str(LINESHEET),
            "worker",
            "--no-startup-delay",
            "--no-reload",
            "--interval=0.1",
            f"--worker-id={worker_id}",
        ]
        with (self.directory / f"{worker_id}.log").open("ab") as log:
            process = subprocess.Popen(command, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.processes[worker_id] = process
        return process

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def workers(tmp_path: Path, **settings: str) -> Iterator[Workers]:
    running = Workers(tmp_path, **settings)
    try:
        yield running
    finally:
        running.stop_all()


def log_lines(log: Path) -> Counter[str]:
    return Counter(log.read_text().splitlines()) if log.exists() else Counter()


@pytest.mark.parametrize("tasks", [400])
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_run_each_of_many_tasks_exactly_once(tmp_path: Path, tasks: int) -> None:
    log = tmp_path / "runs.log"
    for index in range(tasks):
        probe.enqueue(key=f"t{index}", log=str(log))

    with workers(tmp_path) as running:
        started = time.monotonic()
        running.start("w1")
        running.start("w2")
        wait_for(
            lambda: DBTaskResult.objects.successful().count() == tasks,
            timeout=120,
            what=f"{tasks} tasks to succeed",
        )
        elapsed = time.monotonic() - started

    lines = log_lines(log)
    expected = Counter({f"{step} t{i}": 1 for i in range(tasks) for step in ("start", "done")})
    assert lines == expected
    runs_by_worker = Counter(
        tuple(ids) for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)
    )
    assert set(runs_by_worker) == {("w1",), ("w2",)}, runs_by_worker
    print(
        f"\nworkers: {tasks} tasks by 2 workers in {elapsed:.1f} s, each run once "
        f"(w1 {runs_by_worker[('w1',)]}, w2 {runs_by_worker[('w2',)]})"
    )


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_stopped_by_sigterm_finishes_its_task_then_exits(tmp_path: Path) -> None:
    log = tmp_path / "runs.log"
    slow = probe.enqueue(key="slow", log=str(log), seconds=2)
    waiting = probe.using(priority=-10).enqueue(key="waiting", log=str(log))

    with workers(tmp_path) as running:
        worker = running.start("w1")
        wait_for(lambda: log_lines(log)["start slow"] == 1, timeout=30, what="the slow task")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0

    assert log_lines(log) == Counter({"start slow": 1, "done slow": 1})
    assert status(str(slow.id)) == TaskResultStatus.SUCCESSFUL
    assert status(str(waiting.id)) == TaskResultStatus.READY
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_task_of_a_worker_killed_by_sigkill_runs_again_after_the_lease(tmp_path: Path) -> None:
    log = tmp_path / "runs.log"
    task = probe.enqueue(key="slow", log=str(log), seconds=1.5)

    with workers(tmp_path, TASK_LEASE_SECONDS="3", TASK_HEARTBEAT_SECONDS="0.5") as running:
        doomed = running.start("doomed")
        wait_for(lambda: log_lines(log)["start slow"] == 1, timeout=30, what="the task to start")
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=30)
        killed_at = time.monotonic()
        assert status(str(task.id)) == TaskResultStatus.RUNNING

        running.start("survivor")  # nobody runs a command: the survivor's heartbeat does
        wait_for(
            lambda: status(str(task.id)) == TaskResultStatus.SUCCESSFUL,
            timeout=60,
            what="the task to run again",
        )
        recovered = time.monotonic() - killed_at

    assert log_lines(log) == Counter({"start slow": 2, "done slow": 1})
    assert DBTaskResult.objects.get(pk=task.id).worker_ids == ["doomed", "survivor"]
    assert recovered >= 3 - 0.5  # not before the lease is over
    print(f"\nworkers: a killed worker's task ran again {recovered:.1f} s after the kill")
