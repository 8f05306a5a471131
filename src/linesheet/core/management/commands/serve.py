"""`linesheet serve`: collect the static files when they changed, then run gunicorn."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections

# Written into STATIC_ROOT after a collectstatic: what the sources were when it ran.
FINGERPRINT_FILE = ".sources-fingerprint"
# The Redoc bundle comes with the Swagger UI's and is never used: not collected.
IGNORE_PATTERNS = ["drf_spectacular_sidecar/redoc/*"]


def _ignore_patterns() -> list[str]:
    default: list[str] = apps.get_app_config("staticfiles").ignore_patterns  # type: ignore[attr-defined]
    return [*default, *IGNORE_PATTERNS]


def static_sources_fingerprint() -> str:
    """Return a digest of every static file collectstatic would collect: names and contents."""
    ignore = _ignore_patterns()
    digest = hashlib.sha256()
    entries = sorted(
        (path, storage.path(path))
        for finder in finders.get_finders()
        for path, storage in finder.list(ignore)
    )
    for path, location in entries:
        digest.update(path.encode() + b"\0")
        digest.update(hashlib.sha256(Path(location).read_bytes()).digest())
    return digest.hexdigest()


def static_files_collect() -> bool:
    """Run collectstatic unless STATIC_ROOT holds the current sources; return whether it ran."""
    marker = Path(settings.STATIC_ROOT) / FINGERPRINT_FILE
    fingerprint = static_sources_fingerprint()
    if marker.is_file() and marker.read_text() == fingerprint:
        return False
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=IGNORE_PATTERNS)
    marker.write_text(fingerprint)
    return True


class Command(BaseCommand):
    help = (
        "Collect the static files if they changed, then serve the app with gunicorn (settings "
        "from WEB_BIND, WEB_WORKERS, WEB_THREADS, WEB_TIMEOUT, ...: see docs/deploy.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="Serve the static files as collected before, without looking at the sources.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_collectstatic"]:
            collected = static_files_collect()
            self.stdout.write(
                f"Static files {'collected' if collected else 'up to date'} in "
                f"{settings.STATIC_ROOT}."
            )
        connections.close_all()
        self.stdout.flush()
        sys.stderr.flush()
        command = [sys.executable, "-m", "gunicorn", "-c", "python:linesheet.core.gunicorn_conf"]
        # gunicorn takes this process's place: the signals of systemd (or of whoever started
        # `linesheet serve`) reach it directly: TERM stops it gracefully, HUP renews the workers.
        os.execv(sys.executable, command)
