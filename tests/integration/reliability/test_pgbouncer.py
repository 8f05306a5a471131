"""The app and its task worker through PgBouncer in transaction mode.

PgBouncer (Debian's, installed by scripts/ensure-pgbouncer when missing) is started here with
its own settings on a free port, in front of the test database: transaction pooling, two
server connections handed out in turn (`server_round_robin`), so that nothing the app keeps
in a server session beyond one transaction (a prepared statement, a cursor held open) can
work by luck. gunicorn and `linesheet db_worker` run with DATABASE_POOLER set as
docs/database.md says; buyers place orders, the brand returns them to the cart with the email
on, the buyer places them again, the brand exports the orders (the export reads through a
cursor in chunks) and downloads a PDF, and the worker delivers the emails.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from openpyxl import load_workbook

from linesheet.accounts.tokens import api_token_issue
from linesheet.notifications.models import OutboundEmail
from linesheet.ordering.models import Order
from tests import factories
from tests.smtp_inbox import SmtpInbox, free_loopback_port

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

REPO_ROOT = Path(__file__).resolve().parents[3]
LINESHEET = Path(sys.executable).with_name("linesheet")
ROUNDS = 3


def pgbouncer_binary() -> str:
    """Install PgBouncer if missing; skip (fail in CI) when it cannot be had."""
    found = shutil.which("pgbouncer") or shutil.which("pgbouncer", path="/usr/sbin")
    if found:
        return found
    installed = subprocess.run(
        [str(REPO_ROOT / "scripts" / "ensure-pgbouncer")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    found = shutil.which("pgbouncer") or shutil.which("pgbouncer", path="/usr/sbin")
    if found:
        return found
    reason = (
        "PgBouncer could not be installed (scripts/ensure-pgbouncer): "
        + (installed.stderr.strip().splitlines() or ["no output"])[-1]
    )
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def wait_for_port(port: int, process: subprocess.Popen[Any], what: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            assert process.poll() is None, f"{what} stopped"
            assert time.monotonic() < deadline, f"{what} did not listen"
            time.sleep(0.1)


def stop(process: subprocess.Popen[Any]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def pgbouncer() -> Iterator[int]:
    """Start PgBouncer in transaction mode before the test database; yield its port."""
    binary = pgbouncer_binary()
    settings = connection.settings_dict
    port = free_loopback_port()
    # Not under pytest's folders, which the database's system user may not enter.
    with tempfile.TemporaryDirectory(prefix="linesheet-pgbouncer-") as name:
        yield from _pgbouncer(binary, settings, port, Path(name))


def _pgbouncer(binary: str, settings: dict[str, Any], port: int, folder: Path) -> Iterator[int]:
    (folder / "users.txt").write_text(f'"{settings["USER"]}" ""\n')
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"{settings['NAME']} = host={settings['HOST'] or '127.0.0.1'}"
        f" port={settings['PORT'] or 5432} dbname={settings['NAME']}\n"
        "[pgbouncer]\n"
        "listen_addr = 127.0.0.1\n"
        f"listen_port = {port}\n"
        "unix_socket_dir =\n"
        "auth_type = trust\n"
        f"auth_file = {folder / 'users.txt'}\n"
        "pool_mode = transaction\n"
        "default_pool_size = 2\n"
        "server_round_robin = 1\n"
        "max_client_conn = 100\n"
        f"logfile = {folder / 'pgbouncer.log'}\n"
    )
    command = [binary, str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:
        # PgBouncer refuses to run as root; it switches to the database's system user.
        shutil.chown(folder, user="postgres")
        for file in folder.iterdir():
            shutil.chown(file, user="postgres")
        command[1:1] = ["-u", "postgres"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        try:
            wait_for_port(port, process, "PgBouncer")
        except AssertionError as error:
            log = folder / "pgbouncer.log"
            raise AssertionError(f"{error}: {log.read_text() if log.exists() else ''}") from None
        yield port
    finally:
        stop(process)


def app_environment(*, pgbouncer: int, smtp_port: int, pooler: bool) -> dict[str, str]:
    settings = connection.settings_dict
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("DATABASE_")
    }
    environment.update(
        DATABASE_URL=f"postgres://{settings['USER']}@127.0.0.1:{pgbouncer}/{settings['NAME']}",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        PYTHONPATH=str(REPO_ROOT),
    )
    if pooler:
        environment["DATABASE_POOLER"] = "pgbouncer-transaction"
    return environment


class Api:
    """A keep-alive HTTP client of the API with a Bearer token."""

    def __init__(self, port: int, secret: str) -> None:
        self.client = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        payload = None if body is None else json.dumps(body)
        self.client.request(method, f"/api/v1/{path}", body=payload, headers=self.headers)
        response = self.client.getresponse()
        return response.status, response.read()

    def json(self, method: str, path: str, body: Any = None, expect: int = 200) -> Any:
        status, content = self.call(method, path, body)
        assert status == expect, (method, path, status, content[:500])
        return json.loads(content)


def serving(environment: dict[str, str], workers: int = 2) -> tuple[subprocess.Popen[Any], int]:
    port = free_loopback_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "linesheet.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port, process, "gunicorn")
    return process, port


def test_orders_returns_exports_and_emails_work_through_transaction_pooling(
    pgbouncer: int, smtp_server: SmtpInbox, brand: Any, owner: Any
) -> None:
    buyer_user = factories.make_user(email="buyer@maison.test")
    buyer = factories.make_connected_buyer(
        brand=brand, members=[buyer_user], recipients=["orders@maison.test"]
    )
    catalog = factories.make_catalog(brand=brand, skus=3)
    numbers = factories.sku_numbers(catalog)
    organization = buyer.organization
    assert organization is not None
    _token, brand_secret = api_token_issue(user=owner, name="pooling")
    _token, buyer_secret = api_token_issue(user=buyer_user, name="pooling")
    environment = app_environment(pgbouncer=pgbouncer, smtp_port=smtp_server.port, pooler=True)

    server, port = serving(environment)
    try:
        brand_api, buyer_api = Api(port, brand_secret), Api(port, buyer_secret)
        org = f"buyer-orgs/{organization.pk}"
        cart = buyer_api.json("POST", f"{org}/carts", {"catalog": catalog.pk}, expect=201)
        lines = [{"sku_number": number, "quantity": 2} for number in numbers]
        buyer_api.json("PUT", f"{org}/carts/{cart['id']}/lines", {"lines": lines})
        order = buyer_api.json("POST", f"{org}/carts/{cart['id']}/order", expect=201)
        for _round in range(ROUNDS):
            returned = brand_api.json(
                "POST",
                f"brands/{brand.slug}/orders/{order['code']}/return-to-cart",
                {"notify_buyer": True, "message": "Please check the sizes."},
            )
            order = buyer_api.json(
                "POST", f"{org}/carts/{returned['cart']['id']}/order", expect=201
            )
        status, workbook = brand_api.call("GET", f"brands/{brand.slug}/orders.xlsx?archived=all")
        assert status == 200, workbook[:500]
        status, pdf = brand_api.call("GET", f"brands/{brand.slug}/orders/{order['code']}/pdf")
        assert status == 200 and pdf.startswith(b"%PDF"), pdf[:500]
        analytics = brand_api.json("GET", f"brands/{brand.slug}/analytics/orders?by=sku")
    finally:
        stop(server)
    subprocess.run(
        [str(LINESHEET), "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        env=environment,
        check=True,
        capture_output=True,
        timeout=120,
    )

    orders = Order.objects.filter(brand=brand)
    assert orders.count() == ROUNDS + 1
    assert orders.filter(status="returned_to_cart").count() == ROUNDS
    sheet = load_workbook(BytesIO(workbook), read_only=True).worksheets[0]
    assert len(list(sheet.iter_rows(min_row=2))) == (ROUNDS + 1) * len(numbers)
    assert analytics
    # Every return's email went out once, through the worker's connection to PgBouncer.
    outbox = list(OutboundEmail.objects.order_by("pk"))
    assert [email.status for email in outbox] == ["sent"] * len(outbox)
    # Each return told the buyer; each order placed again told who had returned it.
    assert sorted(address for email in outbox for address in email.to) == sorted(
        ["orders@maison.test", owner.email] * ROUNDS
    )
    assert sorted(message["Subject"] for message in smtp_server.messages) == sorted(
        email.subject for email in outbox
    )
