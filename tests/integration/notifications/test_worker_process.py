"""The real `linesheet db_worker` process on a file database: delivery, and recovery after a kill.

These run the console commands as a deployment does, against a SQLite file of their own (not the
test database), with EMAIL_URL pointing at an SMTP server in this process.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.smtp_inbox import SmtpInbox, free_loopback_port

REPO_ROOT = Path(__file__).resolve().parents[3]
LINESHEET = Path(sys.executable).with_name("linesheet")
COMMAND_TIMEOUT = 60

QUEUE_INVITATION = """
from linesheet.accounts.models import Brand, BrandMembership, User
from linesheet.accounts.services import invitation_create
brand = Brand.objects.create(slug="atelier", name="Atelier")
owner = User.objects.create_user("owner@atelier.test")
BrandMembership.objects.create(brand=brand, user=owner, role="owner")
invitation_create(brand=brand, email="shop@example.test", created_by=owner, name="Shop")
"""


def linesheet(
    *args: str, database: Path, smtp_port: int, **popen: Any
) -> subprocess.CompletedProcess[str]:
    """Run a `linesheet` command against the file database; fail the test when it fails."""
    return subprocess.run(
        [str(LINESHEET), *args],
        env=linesheet_env(database=database, smtp_port=smtp_port),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=True,
        **popen,
    )


def linesheet_env(*, database: Path, smtp_port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        LINESHEET_VAR_DIR=str(database.parent),
        DJANGO_SETTINGS_MODULE="linesheet.settings",
        DEBUG="false",
        PYTHONPATH=str(REPO_ROOT),
    )
    return env


def query(database: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once per module; each test works on its own copy."""
    path = tmp_path_factory.mktemp("migrated") / "linesheet.sqlite3"
    linesheet("migrate", "--noinput", database=path, smtp_port=1)
    with sqlite3.connect(path) as connection:
        # Fold the write-ahead log into the file, so that copying the file copies everything.
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def database(migrated_database: Path, tmp_path: Path) -> Path:
    path = tmp_path / "linesheet.sqlite3"
    shutil.copyfile(migrated_database, path)
    return path


def test_the_worker_process_delivers_a_queued_email_over_smtp(
    database: Path, smtp_server: Any
) -> None:
    linesheet("shell", "-c", QUEUE_INVITATION, database=database, smtp_port=smtp_server.port)
    assert smtp_server.messages == []

    linesheet(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        database=database,
        smtp_port=smtp_server.port,
    )

    [message] = smtp_server.messages
    assert message["To"] == "shop@example.test"
    assert message["Subject"] == "Atelier invites you to order on linesheet"
    assert query(database, "SELECT status, attempts FROM notifications_outboundemail") == [
        ("sent", 1)
    ]
    assert query(database, "SELECT status FROM django_tasks_database_dbtaskresult") == [
        ("SUCCESSFUL",)
    ]


class StallingInbox(SmtpInbox):
    """An SMTP server that keeps the first client waiting for its RCPT reply, until released.

    The client is then in the middle of sending, and the message has not been handed over: the
    moment to kill a worker.
    """

    def __init__(self, host: str, port: int) -> None:
        super().__init__(host=host, port=port)
        self.stalled = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if not self.stalled.is_set():
            self.stalled.set()
            for _ in range(200):  # at most 10 s, so a failing test cannot hang the server
                if self.release.is_set():
                    break
                await asyncio.sleep(0.05)
            return "451 4.3.0 Stalled on purpose"
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)


@pytest.fixture
def stalling_smtp_server() -> Iterator[StallingInbox]:
    inbox = StallingInbox(host="127.0.0.1", port=free_loopback_port())
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        inbox.release.set()
        controller.stop()


def test_a_worker_killed_mid_send_leaves_a_task_that_is_requeued_and_delivered_once(
    database: Path, stalling_smtp_server: StallingInbox, tmp_path: Path
) -> None:
    smtp = stalling_smtp_server
    linesheet("shell", "-c", QUEUE_INVITATION, database=database, smtp_port=smtp.port)
    worker_log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [str(LINESHEET), "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        env=linesheet_env(database=database, smtp_port=smtp.port),
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    try:
        assert smtp.stalled.wait(timeout=30), "the worker never reached the SMTP server"
        worker.send_signal(signal.SIGKILL)  # no chance to clean up, as in a crash or an OOM kill
        worker.wait(timeout=COMMAND_TIMEOUT)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        worker_log.close()
    smtp.release.set()
    assert query(database, "SELECT status FROM django_tasks_database_dbtaskresult") == [
        ("RUNNING",)
    ]
    assert query(database, "SELECT status FROM notifications_outboundemail") == [("sending",)]

    requeued = linesheet(
        "requeue_stale_tasks", "--older-than", "0", database=database, smtp_port=smtp.port
    )
    assert "Requeued 1 abandoned task(s)." in requeued.stdout
    linesheet(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        database=database,
        smtp_port=smtp.port,
    )

    [message] = smtp.messages
    assert message["To"] == "shop@example.test"
    assert query(database, "SELECT status, attempts FROM notifications_outboundemail") == [
        ("sent", 1)
    ]
    [(status, worker_ids)] = query(
        database, "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult"
    )
    assert status == "SUCCESSFUL"
    assert len(json.loads(worker_ids)) == 2  # the killed worker, then the one that finished it


class SlowInbox(SmtpInbox):
    """An SMTP server that takes a second to accept a message, so two senders would overlap."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(1)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_smtp_server() -> Iterator[SlowInbox]:
    inbox = SlowInbox(host="127.0.0.1", port=free_loopback_port())
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def test_two_workers_running_two_tasks_for_one_email_send_it_once(
    database: Path, slow_smtp_server: SlowInbox
) -> None:
    smtp = slow_smtp_server
    queue_twice = QUEUE_INVITATION + (
        "from linesheet.notifications.models import OutboundEmail\n"
        "from linesheet.notifications.tasks import email_deliver\n"
        "email_deliver.enqueue(email_id=OutboundEmail.objects.get().pk)\n"
    )
    linesheet("shell", "-c", queue_twice, database=database, smtp_port=smtp.port)
    env = linesheet_env(database=database, smtp_port=smtp.port)
    command = [str(LINESHEET), "db_worker", "--batch", "--no-startup-delay", "--no-reload"]

    workers = [subprocess.Popen(command, env=env) for _ in range(2)]
    for worker in workers:
        assert worker.wait(timeout=COMMAND_TIMEOUT) == 0

    assert len(smtp.messages) == 1
    results = query(database, "SELECT return_value FROM django_tasks_database_dbtaskresult")
    assert sorted(json.loads(value) for (value,) in results) in (
        ["sent", "superseded by another task"],  # the two ran side by side
        ["already sent", "sent"],  # one worker took both in turn
    )


def test_a_worker_whose_output_is_a_pipe_prints_each_console_email_as_it_goes(
    database: Path,
) -> None:
    """As `make demo` runs it: EMAIL_URL=console://, and the output read through a pipe (a log
    file, a terminal multiplexer), not a terminal. Each email shows while the worker runs on."""
    linesheet("shell", "-c", QUEUE_INVITATION, database=database, smtp_port=1)
    env = {**linesheet_env(database=database, smtp_port=1), "EMAIL_URL": "console://"}
    env.pop("PYTHONUNBUFFERED", None)
    worker = subprocess.Popen(
        [str(LINESHEET), "db_worker", "--no-startup-delay", "--no-reload"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def read_lines() -> None:
        assert worker.stdout is not None
        for line in worker.stdout:
            lines.put(line)

    reader = threading.Thread(target=read_lines, daemon=True)
    reader.start()
    try:
        seen = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any("Subject:" in line for line in seen):
            try:
                seen.append(lines.get(timeout=0.5))
            except queue.Empty:
                continue
        assert any("Subject: Atelier invites you to order on linesheet" in s for s in seen), seen
        assert worker.poll() is None, "the email showed only once the worker had stopped"
    finally:
        worker.terminate()
        worker.wait(timeout=COMMAND_TIMEOUT)


class StallAfterStoringInbox(SmtpInbox):
    """An SMTP server that keeps the first message, then keeps its sender waiting for the
    "250": the moment a worker can die with the message delivered but not marked sent."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(host=host, port=port)
        self.stored = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        reply = await super().handle_DATA(server, session, envelope)
        if not self.stored.is_set():
            self.stored.set()
            for _ in range(200):
                if self.release.is_set():
                    break
                await asyncio.sleep(0.05)
        return reply


def test_a_worker_killed_between_delivery_and_its_record_sends_a_second_copy_with_one_message_id(
    database: Path, tmp_path: Path
) -> None:
    """The one way an email reaches the server twice: the server took it, the worker died
    before committing the sent mark. Both copies carry the email's Message-ID."""
    smtp = StallAfterStoringInbox(host="127.0.0.1", port=free_loopback_port())
    controller = Controller(smtp, hostname=smtp.host, port=smtp.port)
    controller.start()
    try:
        linesheet("shell", "-c", QUEUE_INVITATION, database=database, smtp_port=smtp.port)
        worker = subprocess.Popen(
            [str(LINESHEET), "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
            env=linesheet_env(database=database, smtp_port=smtp.port),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert smtp.stored.wait(timeout=30), "the worker never delivered the message"
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=COMMAND_TIMEOUT)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        smtp.release.set()
        assert query(database, "SELECT status FROM notifications_outboundemail") == [("sending",)]

        linesheet(
            "requeue_stale_tasks", "--older-than", "0", database=database, smtp_port=smtp.port
        )
        linesheet(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            database=database,
            smtp_port=smtp.port,
        )
    finally:
        controller.stop()

    first, second = smtp.messages
    assert first["Message-ID"] == second["Message-ID"]
    assert query(database, "SELECT status, attempts FROM notifications_outboundemail") == [
        ("sent", 1)
    ]
