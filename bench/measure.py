"""Timing, query counting and the results table."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def in_child(function: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Run `function` ("bench.module:name") in a fresh interpreter on the bench database.

    It gets the spec as JSON and prints its report as the last line of JSON: a child of its
    own, so that its peak memory is the work's and not this process's.
    """
    module, name = function.split(":")
    code = (
        "import os, sys\n"
        "from bench.__main__ import configure\n"
        "configure(os.environ['DATABASE_URL'])\n"
        f"from {module} import {name}\n"
        f"{name}(sys.argv[1])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(spec)],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{function} failed in its child:\n{done.stderr}")
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def peak_rss_mb() -> float:
    """Return this process's peak resident memory, VmHWM, in MB.

    Not getrusage's ru_maxrss: after fork and exec it still holds the parent's peak.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def timings(action: Callable[[], object], *, repeat: int, warmup: int = 2) -> list[float]:
    """Run `action` warmup + repeat times; return the last `repeat` durations in seconds."""
    for _ in range(warmup):
        action()
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        durations.append(time.perf_counter() - started)
    return durations


def percentile(values: list[float], fraction: float) -> float:
    """Return the `fraction` percentile (0..1) by linear interpolation."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: list[float]) -> float:
    return statistics.median(values)


def alternating(
    actions: dict[str, Callable[[], object]], *, repeat: int, warmup: int
) -> dict[str, list[float]]:
    """Run the actions in turn, warmup + repeat rounds; return each one's last `repeat` times.

    Taking turns makes load from elsewhere on a shared machine weigh on all of them alike.
    """
    durations: dict[str, list[float]] = {name: [] for name in actions}
    for round_ in range(warmup + repeat):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            if round_ >= warmup:
                durations[name].append(time.perf_counter() - started)
    return durations


def captured_queries(action: Callable[[], object]) -> list[dict[str, str]]:
    """Return the SQL statements `action` sends on Django's default connection (sql, time)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        action()
    return captured.captured_queries


@contextmanager
def database_time() -> Iterator[list[float]]:
    """Collect the duration of every statement Django's default connection sends, COMMIT too.

    Yields a list that fills with one duration in seconds per statement (each from the call
    into the driver to its return: the round trip and the database's work), so that its sum is
    the app's database time, measured as the hand-written side's statements are. Django runs
    every statement, its savepoints included, through the connection's execute wrappers; the
    COMMIT that closes a transaction goes to the driver directly, so it is timed around the
    connection's commit.
    """
    from django.db import connection

    durations: list[float] = []

    def timed(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            durations.append(time.perf_counter() - started)

    commit = connection._commit  # type: ignore[attr-defined]

    def timed_commit() -> None:
        started = time.perf_counter()
        try:
            commit()
        finally:
            durations.append(time.perf_counter() - started)

    connection._commit = timed_commit  # type: ignore[attr-defined]
    try:
        with connection.execute_wrapper(timed):
            yield durations
    finally:
        del connection._commit  # type: ignore[attr-defined]  # the class method again


def query_count(action: Callable[[], object]) -> int:
    """Return how many SQL statements `action` sends on Django's default connection."""
    return len(captured_queries(action))


@dataclass
class Row:
    """One line of the results table: a figure, what it is compared with, and its target."""

    section: str
    what: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_label: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    details: dict[str, Any] = field(default_factory=dict)
    # What the budget table reads this row as (see bench.budgets); empty: shown, not budgeted.
    key: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "s":
        return f"{value * 1000:.2f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit in ("queries", "rows"):
        return f"{value:,.0f} {unit}"
    if unit == "req/s":
        return f"{value:,.0f} req/s"
    return f"{value:g} {unit}"


def table(rows: list[Row]) -> str:
    """Render the rows as one plain-text table."""
    header = ("section", "what", "measured", "compared with", "ratio", "target", "met")
    lines = [
        (
            row.section,
            row.what,
            _figure(row.value, row.unit),
            (f"{_figure(row.baseline, row.unit)} {row.baseline_label}".strip())
            if row.baseline is not None
            else row.baseline_label,
            f"{row.ratio:.2f}x" if row.ratio is not None else "",
            row.target,
            {True: "yes", False: "NO", None: ""}[row.met],
        )
        for row in rows
    ]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=True)]
    rule = "-+-".join("-" * width for width in widths)
    out = [" | ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True)), rule]
    out += [
        " | ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in lines
    ]
    return "\n".join(out)


class Progress:
    """A one-line progress bar on stderr: done/total, a bar, the share and the elapsed time."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.started = label, total, time.perf_counter()

    def update(self, done: int) -> None:
        share = done / self.total if self.total else 1.0
        bar = "#" * int(share * 30)
        elapsed = time.perf_counter() - self.started
        sys.stderr.write(
            f"\r  {self.label:<14} {done:>11,}/{self.total:,} [{bar:<30}] {share:4.0%}"
            f" {elapsed:6.1f} s"
        )
        sys.stderr.flush()

    def finish(self) -> None:
        sys.stderr.write("\n")
