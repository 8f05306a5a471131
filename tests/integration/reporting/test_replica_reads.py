"""Analytics, exports and PDFs read from the replica; order pages never do.

On PostgreSQL the suite configures the replica as a mirror of the test database. These tests
give it a connection of its own (a second server session on the same data, committed), so
which queries each page sent where is seen on each connection. A replica that trails the
primary is played by a replica session whose snapshot was taken before the write.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from linesheet.core.replica import REPLICA
from linesheet.documents.services import confirmation_save
from linesheet.reporting.order_pdf import confirmation_lines_for_document, order_lines_for_document
from tests import factories

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA]),
]


@pytest.fixture(autouse=True)
def replica_closed_after() -> Iterator[None]:
    """Close the replica's own session after the test: later tests count the sessions."""
    yield
    connections[REPLICA].close()


@pytest.fixture
def world(brand: Any, owner: Any) -> dict[str, Any]:
    buyer_user = factories.make_user(email="buyer@maison.test")
    buyer = factories.make_connected_buyer(brand=brand, members=[buyer_user])
    catalog = factories.make_catalog(brand=brand, skus=3)
    order = factories.make_order(buyer=buyer, catalog=catalog)
    return {"brand": brand, "owner": owner, "buyer_user": buyer_user, "order": order}


@contextmanager
def queries_by_database() -> Iterator[dict[str, list[str]]]:
    found: dict[str, list[str]] = {}
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        yield found
    found[DEFAULT_DB_ALIAS] = [query["sql"] for query in primary.captured_queries]
    found[REPLICA] = [query["sql"] for query in replica.captured_queries]


def reading(queries: list[str], table: str) -> list[str]:
    return [sql for sql in queries if f'"{table}"' in sql]


def backend_pid(alias: str) -> int:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


REPORTING_PAGES = [
    ("brand", "brand-analytics", "ordering_orderline"),
    ("brand", "brand-orders-xlsx", "ordering_orderline"),
    ("brand", "brand-order-pdf", "ordering_orderline"),
    ("brand", "brand-order-confirmation-pdf", "documents_orderconfirmationline"),
    ("buyer", "buyer-order-pdf", "ordering_orderline"),
    ("buyer", "buyer-order-confirmation-pdf", "documents_orderconfirmationline"),
]
ORDER_PAGES = ["brand-order-detail", "brand-orders", "buyer-order", "buyer-orders"]


def get(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_reporting_reads_lines_from_the_replica_and_order_pages_never_do(
    world: dict[str, Any],
) -> None:
    """Each transactional test costs seconds (the tables are emptied after it): one for all."""
    order, brand = world["order"], world["brand"]
    assert backend_pid(REPLICA) != backend_pid(DEFAULT_DB_ALIAS)
    sku = factories.sku_numbers(order.catalog)[0]
    confirmation_save(
        order_id=order.pk, quantities={sku: 4}, allow_buyer_approval=False, actor=None, notify=False
    )
    clients = {"brand": Client(), "buyer": Client()}
    clients["brand"].force_login(world["owner"])
    clients["buyer"].force_login(world["buyer_user"])
    args = {
        "brand-analytics": [brand.slug],
        "brand-orders-xlsx": [brand.slug],
        "brand-orders": [brand.slug],
        "brand-order-pdf": [brand.slug, order.code],
        "brand-order-confirmation-pdf": [brand.slug, order.code],
        "brand-order-detail": [brand.slug, order.code],
        "buyer-order-pdf": [order.pk],
        "buyer-order-confirmation-pdf": [order.pk],
        "buyer-order": [order.pk],
        "buyer-orders": [],
    }

    for side, page, lines in REPORTING_PAGES:
        with queries_by_database() as queries:
            assert get(clients[side], reverse(page, args=args[page]))
        assert reading(queries[REPLICA], lines), (page, queries[REPLICA])
        assert not reading(queries[DEFAULT_DB_ALIAS], lines), (page, queries[DEFAULT_DB_ALIAS])
        if page in ("brand-analytics", "brand-orders-xlsx"):
            # The orders too; a PDF reads its order's header on the primary, with the access
            # check, so that it names the status the reader has just seen.
            assert not reading(queries[DEFAULT_DB_ALIAS], "ordering_order"), page

    for page in ORDER_PAGES:
        with queries_by_database() as queries:
            body = get(clients[page.partition("-")[0]], reverse(page, args=args[page]))
        assert order.code in body.decode(), page
        assert reading(queries[DEFAULT_DB_ALIAS], "ordering_order"), page
        assert queries[REPLICA] == [], page


@contextmanager
def replica_behind() -> Iterator[None]:
    """Hold the replica's session on a snapshot taken now: it sees no later write."""
    with transaction.atomic(using=REPLICA), connections[REPLICA].cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT count(*) FROM ordering_order")
        yield


def test_a_document_the_replica_has_not_received_yet_prints_from_the_primary(
    world: dict[str, Any],
) -> None:
    order = world["order"]
    first, second, _third = factories.sku_numbers(order.catalog)
    confirmation_save(
        order_id=order.pk,
        quantities={first: 4},
        allow_buyer_approval=False,
        actor=None,
        notify=False,
    )
    with replica_behind():
        placed = factories.make_order(buyer=order.buyer, catalog=order.catalog)
        confirmation, _created = confirmation_save(
            order_id=order.pk,
            quantities={first: 5, second: 6},
            allow_buyer_approval=False,
            actor=None,
            notify=False,
        )

        order_lines = order_lines_for_document(order=placed)
        oc_lines = confirmation_lines_for_document(confirmation=confirmation)

    # The new order's lines, not none; the OC as saved, not as the replica still has it.
    assert [line.pk for line in order_lines] == [line.pk for line in placed.lines.all()]
    assert len(order_lines) == placed.line_count == 3
    assert sorted((line.sku_number, line.quantity) for line in oc_lines) == [
        (first, 5),
        (second, 6),
    ]
