"""Put tasks left RUNNING by a dead worker back in the queue, now (workers also do it alone)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from linesheet.core.tasks import tasks_requeue_abandoned


class Command(BaseCommand):
    help = (
        "Requeue the RUNNING tasks whose worker has not been seen for --older-than seconds "
        "(default TASK_LEASE_SECONDS). Running `linesheet worker`s do this by themselves; this "
        "is for when none runs, e.g. before starting the first (then 0 is right)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=float,
            default=None,
            help="Seconds a worker must have been silent (default TASK_LEASE_SECONDS).",
        )

    def handle(self, *args: Any, older_than: float | None, **options: Any) -> None:
        if older_than is not None and older_than < 0:
            raise CommandError("--older-than is a number of seconds, 0 or more")
        lease = None if older_than is None else datetime.timedelta(seconds=older_than)
        requeued = tasks_requeue_abandoned(lease=lease)
        self.stdout.write(f"Requeued {len(requeued)} abandoned task(s).")
