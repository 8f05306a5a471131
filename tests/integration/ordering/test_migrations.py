from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from linesheet.ordering.models import Order, OrderNumbering, OrderTag, Tag
from linesheet.ordering.services import order_reject
from tests import factories

BEFORE_TAG_COPIES = [("ordering", "0010_order_sums_revision")]


@pytest.fixture
def migrated_back() -> Iterator[Any]:
    """Unapply the migrations after 0010 and give its models; migrate to the latest after."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_TAG_COPIES)
    try:
        yield executor.loader.project_state(BEFORE_TAG_COPIES).apps
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def orders(brand: Any, owner: Any) -> tuple[Order, Order]:
    """A live order and an archived one, placed while the schema is the latest.

    Placing writes to tables of later migrations (what became of the cart): asked for before
    `migrated_back`, this runs first.
    """
    catalog = factories.make_catalog(brand=brand, skus=1)
    buyer = factories.make_connected_buyer(brand=brand)
    live, archived = (factories.make_order(buyer=buyer, catalog=catalog) for _ in range(2))
    order_reject(order_id=archived.pk, actor=owner, notify=False)
    Order.objects.filter(pk=archived.pk).update(archived=True)
    archived.refresh_from_db()
    return live, archived


@pytest.mark.django_db(transaction=True)
def test_the_migration_copies_placed_at_and_archived_onto_existing_tag_rows(
    brand: Any, orders: tuple[Order, Order], migrated_back: Any
) -> None:
    live, archived = orders
    # Tag rows as they were before the copies: the historical model has no such columns.
    old_tag = migrated_back.get_model("ordering", "Tag")
    old_order_tag = migrated_back.get_model("ordering", "OrderTag")
    vip, rush = (old_tag.objects.create(brand_id=brand.pk, name=n) for n in ("vip", "rush"))
    for order_id, tag in [(live.pk, vip), (live.pk, rush), (archived.pk, vip)]:
        old_order_tag.objects.create(order_id=order_id, tag=tag)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    rows = OrderTag.objects.order_by("order_id", "tag__name")
    assert [(row.order_id, row.tag.name, row.placed_at, row.archived) for row in rows] == [
        (live.pk, "rush", live.placed_at, False),
        (live.pk, "vip", live.placed_at, False),
        (archived.pk, "vip", archived.placed_at, True),
    ]
    assert Tag.objects.count() == 2


BEFORE_SAFE_AFFIXES = [("ordering", "0012_lean_foreign_key_indexes")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_takes_slashes_and_double_dots_out_of_numbering_rules() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_SAFE_AFFIXES)
    try:
        old_apps = executor.loader.project_state(BEFORE_SAFE_AFFIXES).apps
        numbering = old_apps.get_model("ordering", "OrderNumbering")
        rules = {
            "slash": ("NL/", ""),
            "dots": ("../", "/.."),
            "kept": ("AT-", ".X"),
        }
        for slug, (prefix, suffix) in rules.items():
            brand = factories.make_brand(slug=slug)
            numbering.objects.create(brand_id=brand.pk, prefix=prefix, suffix=suffix)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    found = {
        rule.brand.slug: (rule.prefix, rule.suffix)
        for rule in OrderNumbering.objects.select_related("brand")
    }
    assert found == {"slash": ("NL-", ""), "dots": (".-", "-."), "kept": ("AT-", ".X")}
