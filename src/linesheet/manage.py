"""The `linesheet` console command: the project's manage.py."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run a Django management command with linesheet's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linesheet.settings")
    if sys.argv[1:2] == ["runserver"]:
        # The development server runs a thread per HTTP connection: a persistent database
        # connection would stay open, idle, as long as the client keeps its HTTP connection.
        os.environ.setdefault("DATABASE_CONN_MAX_AGE", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
