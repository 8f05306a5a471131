"""Fixtures shared by the whole suite: the database flavour, an SMTP server, the task worker."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test.utils import override_settings
from django_tasks_db.management.commands import db_worker

from linesheet.core.replica import REPLICA
from tests import factories
from tests.smtp_inbox import SmtpInbox, free_loopback_port


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip PostgreSQL-only tests (row locks, true concurrency) on the SQLite pass."""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://...")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """On PostgreSQL, configure the read replica as a mirror of the test database.

    So the reads that name the replica (analytics, exports, PDF lines) go through its alias
    in every PostgreSQL run, as they do in production with DATABASE_REPLICA_URL set.
    """
    from django.conf import settings

    default = connections.settings[DEFAULT_DB_ALIAS]
    if REPLICA in connections.settings or default["ENGINE"] != "django.db.backends.postgresql":
        return
    settings.DATABASES[REPLICA] = {**default, "TEST": {**default["TEST"], "MIRROR": "default"}}


@pytest.fixture(autouse=True)
def replica_in_the_test_transaction(request: pytest.FixtureRequest) -> Iterator[None]:
    """Give the replica's alias the primary's connection, so its reads see the test's rows.

    A test's rows are never committed (its transaction, or its module's, is rolled back), and
    a mirror is a connection of its own, which would not see them. In every thread (a live
    server, a race test's clients) the replica's alias then names that thread's primary
    connection. A test that names the replica among its databases keeps the replica's own
    connection (and commits: transaction=True).
    """
    marker = request.node.get_closest_marker("django_db")
    if REPLICA not in connections.settings or (
        marker is not None and REPLICA in (marker.kwargs.get("databases") or ())
    ):
        yield
        return
    if marker is not None or "_django_db_helper" in request.fixturenames:
        # After the test's own set-up, which fences off the databases it does not name, and
        # undone before its tear-down takes the fences down again.
        request.getfixturevalue("_django_db_helper")
    handler = type(connections)
    own = handler.__getitem__

    def primary_for_replica(self: Any, alias: str) -> Any:
        return own(self, DEFAULT_DB_ALIAS if alias == REPLICA else alias)

    handler.__getitem__ = primary_for_replica  # type: ignore[method-assign]
    try:
        yield
    finally:
        handler.__getitem__ = own  # type: ignore[method-assign]


@pytest.fixture(autouse=True, scope="session")
def plain_http() -> Iterator[None]:
    """Let the test client and the live server speak plain HTTP, as production never does.

    With DEBUG off the settings send every request to HTTPS and mark cookies Secure; the test
    client speaks HTTP, and so does the browser tests' live server.
    """
    with override_settings(
        SECURE_SSL_REDIRECT=False, SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False
    ):
        yield


@pytest.fixture(autouse=True, scope="session")
def static_files_unhashed() -> Iterator[None]:
    """Name static files as they are in the source: the suite runs no `collectstatic`.

    The hashed names of production come from the manifest `collectstatic` writes; the test
    client and the live server find the files where they are (test_serve runs the real thing).
    """
    with override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        yield


@pytest.fixture(autouse=True, scope="session")
def files_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the files the suite stores (images, logos) in a folder of its own, not in var/."""
    root = tmp_path_factory.mktemp("files")
    storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": root, "directory_permissions_mode": 0o750},
    }
    with override_settings(STORAGES={**settings.STORAGES, "default": storage}):
        yield root


@pytest.fixture
def stored_files(settings: Any, tmp_path: Path) -> Path:
    """An empty folder of its own for this test's stored files; returns it."""
    root = tmp_path / "files"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return root


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    # Tests make many users; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpInbox]:
    """A real SMTP server on loopback; Django's SMTP backend is pointed at it."""
    inbox = SmtpInbox(host="127.0.0.1", port=free_loopback_port())
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = inbox.host
    settings.EMAIL_PORT = inbox.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield inbox
    finally:
        controller.stop()


def _no_connection_recycling() -> None:
    """Stand in for the worker's close_old_connections inside a test's transaction."""


@pytest.fixture
def run_worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Run the real database task worker until the queue holds nothing ready."""
    saved_handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def run() -> None:
        if connection.in_atomic_block:
            # The test's transaction is the worker's connection here. A worker outside tests
            # runs in autocommit, where recycling the connection between tasks is right; inside
            # the test it would close the connection and lose the test's data (PostgreSQL).
            monkeypatch.setattr(db_worker, "close_old_connections", _no_connection_recycling)
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    yield run
    # The worker installs its own shutdown handlers; give Ctrl-C back to pytest.
    for sig, handler in saved_handlers.items():
        signal.signal(sig, handler)


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def brand(db: None) -> Any:
    return factories.make_brand(slug="atelier", name="Atelier")


@pytest.fixture
def owner(brand: Any) -> Any:
    return factories.make_member(brand=brand, role="owner")


@pytest.fixture
def viewer(brand: Any) -> Any:
    return factories.make_member(brand=brand, role="viewer")


@pytest.fixture
def shop_user(db: None) -> Any:
    """The user who orders for the shop of `buyer`."""
    return factories.make_user(email="buyer@shop.test")


@pytest.fixture
def buyer(brand: Any, shop_user: Any) -> Any:
    """The brand's buyer, connected to a shop with `shop_user` and one email recipient."""
    return factories.make_connected_buyer(
        brand=brand, members=[shop_user], recipients=["orders@shop.test"]
    )


@pytest.fixture
def catalog(brand: Any) -> Any:
    """SS27: one product in three SKUs at 100.00 retail."""
    return factories.make_catalog(brand=brand, skus=3, name="SS27", code="SS27")


@pytest.fixture
def order_in(buyer: Any, catalog: Any, owner: Any, shop_user: Any) -> Callable[..., Any]:
    """Return a function that places an order (2 of each SKU) and walks it to a status.

    The OC, in the statuses that have one, is `factories.oc_quantities`; the options are those
    of `factories.order_walk_to`, and `quantities` those of the order.
    """

    def make(status: str, *, quantities: dict[str, int] | None = None, **options: Any) -> Any:
        order = factories.make_order(
            buyer=buyer, catalog=catalog, quantities=quantities, user=shop_user
        )
        return factories.order_walk_to(
            order, status, brand_user=owner, buyer_user=shop_user, **options
        )

    return make


@pytest.fixture
def german_buyer(buyer: Any, brand: Any) -> Any:
    factories.make_tax_rates(brand=brand)
    buyer.country = "DE"
    buyer.save(update_fields=["country"])
    return buyer


@pytest.fixture
def shipped_catalog(brand: Any, catalog: Any) -> Any:
    """SS27 with the Standard group: Germany 9.90 below 200.00, free from 200.00."""
    factories.make_shipping_group(brand=brand, catalog=catalog)
    return catalog
