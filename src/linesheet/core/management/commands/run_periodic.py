"""Run the periodic jobs that are due: from cron or a systemd timer, every few minutes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from linesheet.core.periodic import periodic_jobs, periodic_run


class Command(BaseCommand):
    help = (
        "Run each periodic job that is due (or those named); call it every 5 minutes from a "
        "timer. A job that fails is reported and the command exits with status 1 after the "
        "others ran. See docs/workers.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("jobs", nargs="*", help="Only these jobs (default: all).")
        parser.add_argument("--force", action="store_true", help="Run them even if not due.")
        parser.add_argument(
            "--list", action="store_true", dest="list_jobs", help="List the jobs and stop."
        )

    def handle(
        self, *args: Any, jobs: list[str], force: bool, list_jobs: bool, **options: Any
    ) -> None:
        if list_jobs:
            for job in periodic_jobs().values():
                self.stdout.write(f"{job.name} (every {job.every}): {job.help}")
            return
        try:
            outcomes = periodic_run(names=jobs or None, force=force)
        except KeyError as exc:
            raise CommandError(f"no periodic job is called {exc.args[0]}") from None
        for outcome in outcomes:
            self.stdout.write(f"{outcome.job}: {outcome.outcome}")
        failed = [outcome.job for outcome in outcomes if outcome.failed]
        if failed:
            raise CommandError(f"failed: {', '.join(failed)}")
