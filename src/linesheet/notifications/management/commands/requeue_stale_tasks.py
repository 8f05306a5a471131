"""Put tasks left RUNNING by a killed worker back in the queue."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = (
        "Requeue tasks RUNNING for longer than --older-than seconds (their worker died). Pick a "
        "threshold longer than any task runs, or a slow worker's task runs twice; before any "
        "worker has started, every RUNNING task is abandoned and 0 is right."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=600,
            help="Seconds a task must have been running to count as abandoned (default 600).",
        )

    def handle(self, *args: Any, older_than: int, **options: Any) -> None:
        if older_than < 0:
            raise CommandError("--older-than is a number of seconds, 0 or more")
        cutoff = timezone.now() - datetime.timedelta(seconds=older_than)
        count = DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lte=cutoff
        ).update(status=TaskResultStatus.READY, started_at=None)
        self.stdout.write(f"Requeued {count} abandoned task(s).")
