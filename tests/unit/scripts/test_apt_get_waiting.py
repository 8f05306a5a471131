"""scripts/apt-get-waiting: apt-get that waits for another run's lock, bounded, and no longer."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
SCRIPT = REPO_ROOT / "scripts" / "apt-get-waiting"

# Stands in for the package manager at the edge of the world: refuses with apt's own lock
# message while the count of its calls is below LOCKED_CALLS, then succeeds (or fails with
# another error when FAILURE is set). Every call's arguments are kept.
APT_GET = """#!/usr/bin/env bash
calls="$(cat "$CALLS_FILE" 2>/dev/null | wc -l)"
echo "$*" >> "$CALLS_FILE"
if [ "$calls" -lt "$LOCKED_CALLS" ]; then
    echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)" >&2
    exit 100
fi
if [ -n "${FAILURE:-}" ]; then echo "E: $FAILURE" >&2; exit 100; fi
echo "done: $*"
"""


def run(
    tmp_path: Path, *, locked_calls: int, wait: str, failure: str = ""
) -> tuple[int, str, list[str]]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    apt_get = bin_dir / "apt-get"
    apt_get.write_text(APT_GET)
    apt_get.chmod(0o755)
    calls = tmp_path / "calls"
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "CALLS_FILE": str(calls),
        "LOCKED_CALLS": str(locked_calls),
        "FAILURE": failure,
        "APT_LOCK_WAIT_SECONDS": wait,
        "APT_LOCK_RETRY_SECONDS": "0.1",
    }
    result = subprocess.run(
        [str(SCRIPT), "update", "-qq"], env=env, capture_output=True, text=True, timeout=60
    )
    made = calls.read_text().splitlines() if calls.exists() else []
    return result.returncode, result.stdout + result.stderr, made


def test_a_held_lock_is_waited_for_and_the_command_then_runs(tmp_path: Path) -> None:
    status, output, calls = run(tmp_path, locked_calls=3, wait="30")

    assert status == 0, output
    assert len(calls) == 4
    assert "done: -o DPkg::Lock::Timeout=30 update -qq" in output


def test_a_lock_held_past_the_bound_fails_saying_so(tmp_path: Path) -> None:
    status, output, calls = run(tmp_path, locked_calls=1_000_000, wait="1")

    assert status == 100
    assert "still held after 1 s" in output
    assert 2 <= len(calls) < 1_000


def test_any_other_failure_is_not_retried(tmp_path: Path) -> None:
    status, output, calls = run(tmp_path, locked_calls=0, wait="30", failure="Unable to fetch")

    assert status == 100
    assert "Unable to fetch" in output
    assert len(calls) == 1
