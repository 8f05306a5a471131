"""The accounts' periodic work (see core.periodic)."""

from __future__ import annotations

import datetime

from linesheet.accounts.attempts import failed_attempts_clear_expired
from linesheet.core.periodic import periodic_job


@periodic_job(
    name="clear_failed_attempts",
    every=datetime.timedelta(hours=1),
    help="Delete failed logins and passcodes older than their door's window.",
)
def clear_failed_attempts() -> str:
    return f"{failed_attempts_clear_expired()} failed attempt(s) deleted"
