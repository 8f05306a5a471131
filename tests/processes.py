"""Running the app's own console commands as separate processes on the test database."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection

REPO_ROOT = Path(__file__).resolve().parents[1]
LINESHEET = Path(sys.executable).with_name("linesheet")


def database_url() -> str:
    """Return the URL of the test database, for other processes to use."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "localhost"
    port = db["PORT"] or 5432
    return f"postgres://{quote(db['USER'], safe='')}{password}@{host}:{port}/{db['NAME']}"


def process_env(*, var_dir: Path, **settings: str) -> dict[str, str]:
    """Return the environment of a `linesheet` process on the test database, with `settings`."""
    return dict(
        os.environ,
        DATABASE_URL=database_url(),
        LINESHEET_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="linesheet.settings",
        DEBUG="false",
        PYTHONPATH=str(REPO_ROOT),
        PYTHONUNBUFFERED="1",
        **settings,
    )
