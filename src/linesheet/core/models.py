"""What the processes that run the app record about themselves: workers alive, periodic runs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """A task worker that is alive: it writes `seen_at` every few seconds while it runs.

    A RUNNING task whose worker has not been seen for TASK_LEASE_SECONDS was left by a worker
    that died (SIGKILL, an OOM kill, a lost machine): any worker puts it back in the queue.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["seen_at"], name="worker_heartbeat_seen")]

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.hostname} (pid {self.pid})"


class PeriodicRun(models.Model):
    """When a periodic job last started and finished, so a timer runs each one when it is due
    and two machines calling `run_periodic` at once do not both run it."""

    job = models.CharField(max_length=60, primary_key=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=255, blank=True)
    failed = models.BooleanField(default=False, help_text=_("Whether the last run failed."))

    def __str__(self) -> str:
        return f"{self.job}: {self.outcome or 'never ran'}"
