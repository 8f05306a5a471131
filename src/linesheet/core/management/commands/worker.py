"""Run tasks as they arrive: django-tasks-db's `db_worker`, with a heartbeat and a lease."""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from linesheet.core.tasks import (
    tasks_requeue_abandoned,
    tasks_return_held,
    worker_heartbeat_record,
    worker_heartbeat_remove,
)

logger = logging.getLogger("linesheet.worker")


class Heartbeat(threading.Thread):
    """Beside the worker's loop: note the worker alive, and requeue what dead workers left.

    A thread, so a worker busy with a long task still counts as alive. Its own database
    connection (Django's are per thread), opened for each beat.
    """

    def __init__(self, *, worker_id: str, every: float) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def beat(self) -> None:
        try:
            worker_heartbeat_record(worker_id=self.worker_id, started_at=self.started_at)
            tasks_requeue_abandoned()
        except Exception:
            # The database is away for a moment; the worker's own loop reports it too.
            logger.exception("worker %s: heartbeat failed", self.worker_id)
        finally:
            # Held only while beating: a worker keeps one connection between heartbeats.
            connection.close()

    def run(self) -> None:
        self.beat()
        while not self.stopping.wait(self.every):
            self.beat()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=self.every + 10)


class Command(DbWorkerCommand):
    help = (
        "Run tasks as they arrive (several workers may run side by side, each task runs once). "
        "Each worker writes a heartbeat every TASK_HEARTBEAT_SECONDS and puts back in the queue "
        "the tasks of workers not seen for TASK_LEASE_SECONDS (killed, or their machine lost). "
        "SIGTERM: the task in hand is finished, then the worker exits; a second SIGTERM "
        "interrupts it (the task is recorded as failed)."
    )

    def handle(self, *args: Any, worker_id: str, reload: bool, **options: Any) -> None:
        every = float(settings.TASK_HEARTBEAT_SECONDS)
        if not 0 < every * 2 <= settings.TASK_LEASE_SECONDS:
            raise CommandError(
                "TASK_HEARTBEAT_SECONDS must be more than 0 and at most half TASK_LEASE_SECONDS"
            )
        # With --reload the tasks run in a child process, which beats for itself.
        runs_tasks = not reload or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        heartbeat = Heartbeat(worker_id=worker_id, every=every) if runs_tasks else None
        if heartbeat is not None:
            heartbeat.start()
        try:
            super().handle(*args, worker_id=worker_id, reload=reload, **options)
        finally:
            if heartbeat is not None:
                heartbeat.stop()
                # Stopped between claiming a task and starting it: another worker takes it now.
                returned = tasks_return_held(worker_id=worker_id)
                if returned:
                    logger.warning("worker %s: returned %d task(s)", worker_id, len(returned))
                worker_heartbeat_remove(worker_id=worker_id)
