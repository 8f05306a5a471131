"""The `linesheet` console command: the project's manage.py."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run a Django management command with linesheet's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linesheet.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
