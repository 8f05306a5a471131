"""HTTP: return-to-cart under gunicorn against a trivial endpoint of the same app.

The app runs as in production: gunicorn, 2 sync workers (its default worker class, the one to
put behind a buffering reverse proxy; both endpoints spend their time in Python and PostgreSQL
on the same cores, so threads would not add capacity), DEBUG off. Eight client threads in this
process send requests for a fixed window per endpoint; windows alternate trivial, return,
trivial, ... (four return windows between five trivial ones) and each side counts its median
window, so drift on a shared machine (PostgreSQL, the workers and the clients share its cores;
a checkpoint starting in one window) cancels out. The trivial endpoint is GET /api/v1/me with
the same token: the same middleware, authentication and JSON rendering, so the ratio shows what
the return itself costs.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bench import data
from bench.measure import Row, median, percentile, query_count

SECTION = "http"
WORKERS = 2
CLIENTS = 8
WARMUP_SECONDS = 2.0
WINDOW_SECONDS = 5.0
RETURN_WINDOWS = 4  # between RETURN_WINDOWS + 1 trivial windows
LINES = 10
TARGET_SHARE = 0.30
# Orders for the warmup, whose second half is the probe that sizes the window's batch.
PROBE_ORDERS = 600
# Orders made beyond the probe's estimate, so the window does not run dry on a faster second.
HEADROOM = 1.5
START_TIMEOUT_SECONDS = 60.0
RETURN_BODY = json.dumps({"notify_buyer": True, "message": "Returned: please check the sizes."})

# A request to send: method, path, body; None when the window must stop (no order left).
Request = tuple[str, str, str | None]
NextRequest = Callable[[], Request | None]


@dataclass
class Window:
    """What one load window measured."""

    seconds: float
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    # CPU of the workers and their database sessions over the window (None: not measured).
    cpu_seconds: float | None = None

    @property
    def cpu_ms_per_request(self) -> float | None:
        if self.cpu_seconds is None or not self.latencies:
            return None
        return self.cpu_seconds * 1000 / len(self.latencies)

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds

    def summary(self) -> dict[str, object]:
        latencies = self.latencies or [math.nan]
        return {
            "requests": len(self.latencies),
            "seconds": round(self.seconds, 2),
            "rps": round(self.rps, 1),
            "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
            "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
            "failures": len(self.failures),
            "cpu_ms_per_request": (
                None if self.cpu_ms_per_request is None else round(self.cpu_ms_per_request, 2)
            ),
        }


def gunicorn_command(port: int) -> list[str]:
    # The access log stays off (gunicorn's default): writing it would be measured too. No
    # control socket: its default path is shared by every gunicorn on the machine.
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "linesheet.wsgi:application",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--no-control-socket",
        "--log-level",
        "warning",
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Server:
    """The running app: where it listens, how it was started, whether it keeps connections."""

    port: int
    token: str
    command: list[str]
    keep_alive: bool
    pid: int = 0

    def load(self, next_request: NextRequest, seconds: float) -> Window:
        """Load the server for `seconds`; also take the CPU its workers and their database
        sessions spent meanwhile."""
        before = serving_cpu_seconds(self.pid)
        window = load(port=self.port, token=self.token, next_request=next_request, seconds=seconds)
        after = serving_cpu_seconds(self.pid)
        if before is not None and after is not None:
            window.cpu_seconds = after - before
        return window


def _process_cpu_seconds(pid: int) -> float:
    """User + system CPU of one process, from /proc (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serving_cpu_seconds(master: int) -> float | None:
    """CPU spent so far by gunicorn's workers (the master's children) and by the database
    sessions of this database other than this one: what serving the requests costs, whatever
    else the machine runs. None where PostgreSQL's processes are not readable (another host)."""
    from django.db import connection

    if not master:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        sessions = [pid for (pid,) in cursor.fetchall()]
    if sessions and not Path(f"/proc/{sessions[0]}/stat").exists():
        return None
    workers = [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and _parent(int(entry.name)) == master
    ]
    return sum(_process_cpu_seconds(pid) for pid in [*workers, *sessions])


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return 0


@contextmanager
def gunicorn(token: str) -> Iterator[Server]:
    """Start the app under gunicorn, wait until it answers, and always stop it."""
    port = free_port()
    command = gunicorn_command(port)
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            command, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            keep_alive = _wait_until_answering(process, port=port, token=token, log=log)
            yield Server(
                port=port,
                token=token,
                command=command,
                keep_alive=keep_alive,
                pid=process.pid,
            )
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_answering(
    process: subprocess.Popen[bytes], *, port: int, token: str, log: IO[str]
) -> bool:
    """Poll GET /api/v1/me until it answers 200; return whether the server kept the connection."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log.read()[-2000:]}")
        connection = _connection(port)
        try:
            status, _body = _send(connection, token, ME)
        except OSError:
            time.sleep(0.2)
            continue
        finally:
            kept = connection.sock is not None
            connection.close()
        if status != 200:
            raise RuntimeError(f"GET /api/v1/me answered {status} when gunicorn started")
        return kept
    raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT_SECONDS:.0f} s")


def _connection(port: int) -> http.client.HTTPConnection:
    # Opens a new connection by itself when the server closed the last one.
    return http.client.HTTPConnection("127.0.0.1", port, timeout=60)


def _send(
    connection: http.client.HTTPConnection, token: str, request: Request
) -> tuple[int, bytes]:
    method, path, body = request
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = "application/json"
        # What a careful client sends with a write: it makes a retry safe.
        headers["Idempotency-Key"] = str(uuid.uuid4())
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


def load(*, port: int, token: str, next_request: NextRequest, seconds: float) -> Window:
    """Send requests from CLIENTS threads for `seconds` (less if `next_request` runs dry)."""
    window = Window(seconds=seconds)
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS + 1)
    finished: list[float] = []
    deadline = math.inf  # set just before the clients start

    def client() -> None:
        connection = _connection(port)
        latencies, failures = [], []
        start.wait()
        while time.perf_counter() < deadline and (request := next_request()) is not None:
            sent = time.perf_counter()
            try:
                status, body = _send(connection, token, request)
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                failures.append(f"{request[1]}: {exc!r}")
                continue
            if 200 <= status < 300:
                latencies.append(time.perf_counter() - sent)
            else:
                failures.append(f"{request[1]}: {status} {body[:200]!r}")
        connection.close()
        with lock:
            window.latencies += latencies
            window.failures += failures
            finished.append(time.perf_counter())

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline = began + seconds
    start.wait()
    for thread in threads:
        thread.join()
    # Until the last answer: the requests sent before the deadline all count, and a window cut
    # short because the orders ran out counts only the time it ran.
    window.seconds = max(finished) - began
    return window


ME: Request = ("GET", "/api/v1/me", None)


def trivial() -> NextRequest:
    return lambda: ME


def returns(brand_slug: str, codes: list[str]) -> NextRequest:
    """Each call takes another order: none is returned twice."""
    lock = threading.Lock()
    remaining = iter(codes)

    def next_request() -> Request | None:
        with lock:
            code = next(remaining, None)
        if code is None:
            return None
        return ("POST", return_path(brand_slug, code), RETURN_BODY)

    return next_request


def return_path(brand_slug: str, code: str) -> str:
    return f"/api/v1/brands/{brand_slug}/orders/{code}/return-to-cart"


def fresh_codes(count: int) -> list[str]:
    """Make `count` returnable orders; return their codes."""
    from linesheet.ordering.models import Order

    ids = data.fresh_orders(count, lines=LINES)
    return list(Order.objects.filter(pk__in=ids).order_by("pk").values_list("code", flat=True))


def queries_per_request(loaded: data.DataSet, *, code: str) -> dict[str, int]:
    """Count each endpoint's SQL statements, in this process through Django's test client."""
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {loaded.staff_token}")

    def return_order() -> None:
        response = client.post(
            return_path(loaded.brand_slug, code),
            RETURN_BODY,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
        if response.status_code != 200:
            raise RuntimeError(
                f"return-to-cart answered {response.status_code}: {response.content!r}"
            )

    return {
        "trivial": query_count(lambda: client.get("/api/v1/me")),
        "return": query_count(return_order),
    }


def warm_up(server: Server, brand_slug: str, probe_codes: list[str]) -> list[Window]:
    """Warm both endpoints up; the last window's rate is the warm rate of returns."""
    half = len(probe_codes) // 2
    return [
        server.load(trivial(), WARMUP_SECONDS),
        server.load(returns(brand_slug, probe_codes[:half]), WARMUP_SECONDS),
        server.load(returns(brand_slug, probe_codes[half:]), WARMUP_SECONDS),
    ]


def run(loaded: data.DataSet) -> list[Row]:
    probe_codes = fresh_codes(PROBE_ORDERS)
    queries = queries_per_request(loaded, code=probe_codes.pop())
    with gunicorn(loaded.staff_token) as server:
        print(f"  gunicorn on port {server.port}: warmup", flush=True)
        warmups = warm_up(server, loaded.brand_slug, probe_codes)
        count = math.ceil(warmups[-1].rps * WINDOW_SECONDS * HEADROOM) + CLIENTS
        print(
            f"  warm: {warmups[-1].rps:.0f} returns/s; making {RETURN_WINDOWS} x {count:,} orders",
            flush=True,
        )
        batches = [fresh_codes(count) for _ in range(RETURN_WINDOWS)]
        print(
            f"  windows of {WINDOW_SECONDS:.0f} s: trivial, then return and trivial"
            f" x {RETURN_WINDOWS}",
            flush=True,
        )
        trivial_windows = [server.load(trivial(), WINDOW_SECONDS)]
        return_windows = []
        for codes in batches:
            return_windows.append(server.load(returns(loaded.brand_slug, codes), WINDOW_SECONDS))
            trivial_windows.append(server.load(trivial(), WINDOW_SECONDS))
    details = {
        "command": " ".join(["gunicorn", *server.command[3:]]),
        "keep_alive": server.keep_alive,
        "clients": CLIENTS,
        "window_seconds": WINDOW_SECONDS,
        "orders_made": PROBE_ORDERS + RETURN_WINDOWS * count,
        "lines_per_order": LINES,
        "queries_per_request": queries,
        "warmup": [window.summary() for window in warmups],
    }
    return rows(
        trivial_windows=trivial_windows,
        return_windows=return_windows,
        return_warmups=warmups[1:],
        details=details,
    )


def rows(
    *,
    trivial_windows: list[Window],
    return_windows: list[Window],
    return_warmups: list[Window],
    details: dict[str, object],
) -> list[Row]:
    trivial_rps = median([window.rps for window in trivial_windows])
    return_rps = median([window.rps for window in return_windows])
    ratio = return_rps / trivial_rps
    trivial_failures = [failure for window in trivial_windows for failure in window.failures]
    # Any refused request counts, the warmup's too: each order must be returnable once.
    return_failures = [
        failure for window in [*return_warmups, *return_windows] for failure in window.failures
    ]
    # What each request costs in CPU (the workers' and their database sessions'), which load
    # from elsewhere on the machine does not change much: the rate ratio on a machine of its own.
    cpu = {
        side: [w.cpu_ms_per_request for w in windows if w.cpu_ms_per_request is not None]
        for side, windows in (("trivial", trivial_windows), ("return", return_windows))
    }
    cost = (
        {side: median(values) for side, values in cpu.items()}
        if cpu["trivial"] and cpu["return"]
        else {}
    )
    return [
        Row(
            SECTION,
            f"GET /api/v1/me, {CLIENTS} clients (trivial)",
            trivial_rps,
            "req/s",
            target="no failures",
            met=not trivial_failures,
            key="http:trivial",
            details={
                **details,
                "windows": [window.summary() for window in trivial_windows],
                "failures": len(trivial_failures),
                "first_failures": trivial_failures[:10],
            },
        ),
        Row(
            SECTION,
            f"POST return-to-cart, {LINES} lines, {CLIENTS} clients",
            return_rps,
            "req/s",
            baseline=trivial_rps,
            baseline_label="GET /api/v1/me",
            ratio=ratio,
            target=f">= {TARGET_SHARE:.0%} of trivial, no failures",
            met=ratio >= TARGET_SHARE and not return_failures,
            key="http:return",
            details={
                "cpu_ms_per_request": round(cost["return"], 2) if cost else None,
                "trivial_cpu_ms_per_request": round(cost["trivial"], 2) if cost else None,
                "cpu_ratio": round(cost["trivial"] / cost["return"], 3) if cost else None,
                "windows": [window.summary() for window in return_windows],
                "cut_short": any(window.seconds < WINDOW_SECONDS for window in return_windows),
                "failures": len(return_failures),
                "first_failures": return_failures[:10],
            },
        ),
    ]
