"""The app holds no more PostgreSQL connections than its server runs requests at once.

Each server is started as documented, on the test database, and sent a burst: many clients at
once, each keeping its HTTP connection open (as browsers and HTTP client pools do) after a
request that reads the database. Then, with those HTTP connections still open, the server's
connections to PostgreSQL are counted. `runserver` runs a thread per HTTP connection: with
persistent database connections each thread kept one, idle, until its client went away
(~98 after bursts, then `too many clients`). gunicorn's sync workers keep one each.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]

BURST = 40
WORKERS = 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server_environment() -> dict[str, str]:
    """The environment of a server on this test's database, as docs/operations.md sets one up."""
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("DATABASE_")
    }
    environment.update(DATABASE_URL=url, DEBUG="false", SECURE_SSL_REDIRECT="false")
    return environment


def _answered(port: int) -> bool:
    try:
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        probe.request("GET", "/api/v1/me")
        probe.getresponse().read()
        probe.close()
        return True
    except OSError:
        return False


@contextmanager
def _serving(command: list[str], port: int) -> Iterator[None]:
    process = subprocess.Popen(
        command, env=_server_environment(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while not _answered(port):
            assert process.poll() is None, "the server stopped"
            assert time.monotonic() < deadline, "the server did not answer"
            time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _server_connections() -> int:
    """Count the connections to the test database other than this test's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


def _burst(port: int) -> list[http.client.HTTPConnection]:
    """Send BURST requests that read the database at once; keep their connections open."""

    def one(_number: int) -> http.client.HTTPConnection:
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        client.request("GET", "/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
        response = client.getresponse()
        response.read()
        assert response.status == 401  # the token was looked up in the database
        return client

    with ThreadPoolExecutor(max_workers=BURST) as pool:
        return list(pool.map(one, range(BURST)))


def _held_after_a_burst(command: list[str], port: int) -> int:
    with _serving(command, port):
        clients = _burst(port)
        try:
            time.sleep(0.5)  # let the requests' ends run
            return _server_connections()
        finally:
            for client in clients:
                client.close()


def test_runserver_holds_no_idle_connection_after_a_burst() -> None:
    port = _free_port()
    manage = [sys.executable, "-c", "from linesheet.manage import main; main()"]
    command = [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"]

    held = _held_after_a_burst(command, port)

    print(f"\nrunserver: {held} connections to PostgreSQL held after {BURST} requests at once")
    assert held == 0


def test_gunicorn_holds_one_connection_per_worker() -> None:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "linesheet.wsgi:application",
        "--workers",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{port}",
        "--no-control-socket",
    ]

    held = _held_after_a_burst(command, port)

    print(f"\ngunicorn, {WORKERS} sync workers: {held} connections held after {BURST} at once")
    assert held <= WORKERS
