"""Run the benchmark suite: `python -m bench` (or `make bench`).

Environment:
- TEST_POSTGRES_URL: the PostgreSQL server (a scratch database is created on it and dropped);
- BENCH_ORDERS: orders of the large brand (default 1,000,000);
- BENCH_ONLY: comma-separated sections to run (default: all);
- BENCH_DATABASE: measure an already loaded database instead (kept); BENCH_KEEP=1 keeps the new one;
- BENCH_RESULTS: where to write the results (default bench/results.json, and a copy named by the
  number of orders, bench/results-<orders>.json);
- BENCH_REFERENCE: the results of a run on a smaller data set for the search's "flat as data
  grows" budget (default bench/results-100000.json when this run has more orders).
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from bench import budgets
from bench.scratch import scratch_database

SECTIONS = ("search", "returns", "reorder", "http", "reports", "documents")
HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
REFERENCE_ORDERS = 100_000


def results_paths(orders: int) -> list[Path]:
    """Where this run's results go: BENCH_RESULTS, or results.json and its copy by size."""
    chosen = os.environ.get("BENCH_RESULTS")
    if chosen:
        return [Path(chosen)]
    return [RESULTS, HERE / f"results-{orders}.json"]


def reference(orders: int) -> budgets.Reference | None:
    """The results of a run on a smaller data set, when there is one to compare with."""
    chosen = os.environ.get("BENCH_REFERENCE")
    if chosen:
        path = Path(chosen)
    elif orders > REFERENCE_ORDERS:
        path = HERE / f"results-{REFERENCE_ORDERS}.json"
    else:
        return None
    if not path.exists():
        print(f"no reference results at {path}: the search's growth is not judged")
        return None
    earlier = json.loads(path.read_text())
    return budgets.Reference(orders=earlier["orders"], rows=earlier["rows"])


def configure(database_url: str) -> None:
    """Point Django at the scratch database, as production runs: DEBUG off, plain HTTP here."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linesheet.settings")
    os.environ["DEBUG"] = "false"
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ.setdefault("EMAIL_URL", "console://")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()


def machine() -> dict[str, object]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (server,) = cursor.fetchone()
        cursor.execute("SHOW shared_buffers")
        (buffers,) = cursor.fetchone()
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        int(line.split()[1]) // 1024
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_mb": memory,
        "python": platform.python_version(),
        "postgresql": server,
        "shared_buffers": buffers,
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip(),
    }


def main() -> int:
    server_url = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
    orders = int(os.environ.get("BENCH_ORDERS", "1000000"))
    only = [s for s in os.environ.get("BENCH_ONLY", ",".join(SECTIONS)).split(",") if s]
    unknown = sorted(set(only) - set(SECTIONS))
    if unknown:
        print(f"unknown sections {unknown}; choose from {list(SECTIONS)}", file=sys.stderr)
        return 2
    with scratch_database(server_url) as database_url:
        configure(database_url)
        from django.core.management import call_command

        from bench import data

        call_command("migrate", verbosity=0)
        # The pages are rendered as in production, with the static files' hashed names.
        call_command("collectstatic", interactive=False, verbosity=0)
        started = time.perf_counter()
        if os.environ.get("BENCH_DATABASE") and data.loaded():
            loaded = data.data_set()
            print(f"data: {loaded.orders:,} orders already loaded")
        else:
            print(f"data: loading {orders:,} orders of the large brand and 4 small brands")
            loaded = data.load(orders=orders)
        load_seconds = time.perf_counter() - started
        print(f"data: {loaded.orders:,} orders, {loaded.lines:,} lines in {load_seconds:.0f} s")
        rows = []
        for name in only:
            print(f"section: {name}", flush=True)
            # Each section starts with no dirty page of the load or of an earlier section left
            # for PostgreSQL to write out (and full-page images to log) while it measures.
            data.checkpoint(f"before {name}")
            module = importlib.import_module(f"bench.{name}")
            rows += module.run(loaded)
        from bench.measure import table

        print()
        print(table(rows))
        results = {
            "machine": machine(),
            "orders": loaded.orders,
            "lines": loaded.lines,
            "load_seconds": round(load_seconds, 1),
            "rows": [row.as_dict() for row in rows],
        }
        for path in results_paths(loaded.orders):
            path.write_text(json.dumps(results, indent=2, default=str) + "\n")
            print(f"\nwritten: {path}")
        judged = budgets.budgets(
            [row.as_dict() for row in rows],
            reference=reference(loaded.orders),
            orders=loaded.orders,
        )
        print(f"\nBudgets at {loaded.orders:,} orders:\n")
        print(budgets.budget_table(judged))
        missed = [budget for budget in judged if budget.met is False]
        if missed:
            print(f"{len(missed)} budget(s) missed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
