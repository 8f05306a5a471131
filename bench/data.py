"""The benchmark data set: one large brand with years of history, and a few small brands.

Reference rows (brands, users, buyers, catalogs, SKUs) go in through the ORM. Orders, their
lines, events, tags and documents are generated inside PostgreSQL with INSERT ... SELECT over
generate_series, a chunk of orders per transaction, so a million orders load in minutes.
Every generated value is a function of the order id: the same BENCH_ORDERS gives the same data.

Orders to be returned, placed again or requested over HTTP during the run are made afresh by
`fresh_orders`, on (organisation, catalog) pairs that have no cart, so a kept data set
(BENCH_DATABASE) can be measured again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from bench.measure import Progress
from linesheet.accounts.models import (
    Brand,
    BrandMembership,
    BrandRole,
    Buyer,
    BuyerOrganization,
    OrganizationMembership,
    OrganizationRecipient,
    User,
)
from linesheet.accounts.tokens import api_token_issue
from linesheet.catalog.models import SKU, Catalog, CatalogStatus, Product
from linesheet.ordering.models import OrderLink, OrderNumbering, Tag

LARGE_SLUG = "bench-house"
STAFF_EMAIL = "staff@bench-house.test"
BUYER_EMAIL = "buyer@bench-shop.test"
CHUNK = 25_000
HISTORY_YEARS = 4
COLORS = ("Black", "Navy", "Ecru", "Olive", "Rust")
SIZES = ("S", "M", "L", "XL")
SKUS_PER_PRODUCT = len(COLORS) * 2
TAG_NAMES = (
    "Rush",
    "VIP",
    "Check stock",
    "Pre-order",
    "Showroom",
    "Trade fair",
    "Web",
    "Key account",
)

# Status, route and archive shares by bucket of (id * 37) % 100 and (id * 11) % 20.
STATUS_SQL = """CASE
    WHEN s < 10 THEN 'awaiting_oc' WHEN s < 18 THEN 'oc_created' WHEN s < 22 THEN 'oc_approved'
    WHEN s < 24 THEN 'oc_rejected' WHEN s < 84 THEN 'oc_confirmed' WHEN s < 92 THEN 'rejected'
    ELSE 'returned_to_cart' END"""
ROUTE_SQL = """CASE
    WHEN b.org_id IS NULL THEN CASE WHEN g %% 2 = 0 THEN 'proxy' ELSE 'excel_sheet' END
    WHEN r < 14 THEN 'buyer_app' WHEN r < 16 THEN 'order_link' WHEN r < 19 THEN 'proxy'
    ELSE 'excel_sheet' END"""


@dataclass(frozen=True)
class BrandSpec:
    slug: str
    name: str
    orders: int
    catalogs: int
    products_per_catalog: int
    buyers: int
    offline_buyers: int


@dataclass(frozen=True)
class DataSet:
    """What the sections need to know about the loaded data."""

    brand_id: int
    brand_slug: str
    staff_token: str
    orders: int
    lines: int


def large_brand(orders: int) -> BrandSpec:
    return BrandSpec(
        slug=LARGE_SLUG,
        name="Bench House",
        orders=orders,
        catalogs=50,
        products_per_catalog=60,
        buyers=2_000,
        offline_buyers=200,
    )


def small_brands(orders: int) -> list[BrandSpec]:
    return [
        BrandSpec(f"bench-small-{n}", f"Small Label {n}", orders, 2, 20, 30, 5) for n in range(1, 5)
    ]


def load(*, orders: int, small_orders: int = 2_000) -> DataSet:
    """Load the whole data set into the (empty, migrated) database."""
    started = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET work_mem = '64MB'")
    staff = User.objects.create_user(email=STAFF_EMAIL, password="bench-password-1")
    buyer_user = User.objects.create_user(email=BUYER_EMAIL, password="bench-password-1")
    next_id = 1
    for spec in [large_brand(orders), *small_brands(small_orders)]:
        brand = _reference_rows(spec, staff=staff, buyer_user=buyer_user)
        next_id = _orders(spec, brand=brand, first_id=next_id, now=started)
    with connection.cursor() as cursor:
        # Orders were written with their ids; the sequence goes on after them.
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('ordering_order', 'id'),"
            " (SELECT max(id) FROM ordering_order))"
        )
    _analyze()
    return data_set()


def data_set() -> DataSet:
    brand = Brand.objects.get(slug=LARGE_SLUG)
    _token, secret = api_token_issue(user=User.objects.get(email=STAFF_EMAIL), name="bench")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), coalesce(sum(line_count), 0) FROM ordering_order WHERE brand_id = %s",
            [brand.pk],
        )
        count, lines = cursor.fetchone()
    return DataSet(
        brand_id=brand.pk, brand_slug=brand.slug, staff_token=secret, orders=count, lines=lines
    )


def _reference_rows(spec: BrandSpec, *, staff: User, buyer_user: User) -> Brand:
    """Create the brand, its staff, catalogs, products, SKUs, buyers, links and tags."""
    brand = Brand.objects.create(slug=spec.slug, name=spec.name, address="1 Bench Street")
    BrandMembership.objects.create(brand=brand, user=staff, role=BrandRole.OWNER)
    OrderNumbering.objects.create(brand=brand, prefix="B", width=7, next_value=spec.orders + 1)
    catalogs = Catalog.objects.bulk_create(
        Catalog(
            brand=brand,
            name=f"Season {n + 1:02d}",
            code=f"S{n + 1:02d}",
            # The oldest seasons are closed; one catalog holds partner inventory.
            status=CatalogStatus.CLOSED if n < spec.catalogs // 5 else CatalogStatus.OPEN,
            currency="USD" if n % 10 == 9 else "EUR",
            consignment=n == spec.catalogs - 1,
        )
        for n in range(spec.catalogs)
    )
    products = Product.objects.bulk_create(
        Product(
            brand=brand,
            catalog=catalog,
            model_number=f"{catalog.code}-{p:03d}",
            name=f"Style {catalog.code}-{p:03d}",
        )
        for catalog in catalogs
        for p in range(spec.products_per_catalog)
    )
    SKU.objects.bulk_create(
        (
            SKU(
                brand=brand,
                product=product,
                sku_number=f"{product.model_number}-{color[:3].upper()}-{size}",
                color=color,
                size=size,
                retail_price=Decimal(40 + (product.pk * 7) % 160) + Decimal("0.90"),
                position=position,
            )
            for product in products
            for position, (color, size) in enumerate(
                (color, size) for color in COLORS for size in SIZES[(product.pk % 2) * 2 :][:2]
            )
        ),
        batch_size=5_000,
    )
    organizations = BuyerOrganization.objects.bulk_create(
        BuyerOrganization(
            name=f"{spec.name} Shop {n + 1:04d}",
            delivery_address=f"{n + 1} Market Street",
            billing_address=f"{n + 1} Market Street",
        )
        for n in range(spec.buyers - spec.offline_buyers)
    )
    OrganizationMembership.objects.create(organization=organizations[0], user=buyer_user)
    OrganizationRecipient.objects.bulk_create(
        OrganizationRecipient(
            organization=organization, email=f"orders@shop-{organization.pk}.test"
        )
        for organization in organizations
    )
    Buyer.objects.bulk_create(
        Buyer(
            brand=brand,
            organization=organizations[n] if n < len(organizations) else None,
            name=f"{spec.name} Buyer {n + 1:04d}",
            email=f"buyer{n + 1}@{spec.slug}.test",
            currency="EUR",
            wholesale_rate=Decimal("0.5000") if n % 3 else Decimal("0.4500"),
        )
        for n in range(spec.buyers)
    )
    OrderLink.objects.bulk_create(OrderLink(brand=brand, catalog=catalog) for catalog in catalogs)
    Tag.objects.bulk_create(Tag(brand=brand, name=name) for name in TAG_NAMES)
    _lookup_tables(brand)
    return brand


def _lookup_tables(brand: Brand) -> None:
    """Number the brand's catalogs, SKUs and buyers 0..n-1 in session tables for the SQL."""
    with connection.cursor() as cursor:
        for statement in (
            "DROP TABLE IF EXISTS bench_catalog, bench_sku, bench_buyer, bench_plan",
            "CREATE TEMP TABLE bench_catalog AS SELECT (row_number() OVER (ORDER BY c.id)) - 1"
            " AS n, c.id, c.currency, l.id AS link_id FROM catalog_catalog c"
            " JOIN ordering_orderlink l ON l.catalog_id = c.id WHERE c.brand_id = %(brand)s",
            "CREATE TEMP TABLE bench_sku AS SELECT c.n AS catalog_n,"
            " (row_number() OVER (PARTITION BY c.n ORDER BY s.id)) - 1 AS k, s.id, s.sku_number,"
            " p.model_number, p.name AS product_name, s.color, s.size, s.retail_price"
            " FROM catalog_sku s JOIN catalog_product p ON p.id = s.product_id"
            " JOIN bench_catalog c ON c.id = p.catalog_id",
            "ALTER TABLE bench_sku ADD PRIMARY KEY (catalog_n, k)",
            "CREATE TEMP TABLE bench_buyer AS SELECT (row_number() OVER (ORDER BY id)) - 1 AS n,"
            " id, organization_id AS org_id, wholesale_rate AS rate FROM accounts_buyer"
            " WHERE brand_id = %(brand)s",
            "ALTER TABLE bench_buyer ADD PRIMARY KEY (n)",
            "CREATE TEMP TABLE bench_plan (id bigint PRIMARY KEY, code text, buyer_id bigint,"
            " org_id bigint, rate numeric, catalog_id bigint, catalog_n int, currency text,"
            " link_id bigint, nlines int, status text, route text, placed_at timestamptz,"
            " archived boolean)",
        ):
            cursor.execute(statement, {"brand": brand.pk})


def _orders(spec: BrandSpec, *, brand: Brand, first_id: int, now: datetime.datetime) -> int:
    """Generate the brand's orders chunk by chunk; return the next free order id."""
    skus_per_catalog = spec.products_per_catalog * SKUS_PER_PRODUCT
    start = now - datetime.timedelta(days=365 * HISTORY_YEARS)
    span = (now - datetime.timedelta(hours=1) - start).total_seconds()
    progress = Progress(spec.name, spec.orders)
    for low in range(0, spec.orders, CHUNK):
        high = min(low + CHUNK, spec.orders)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE bench_plan")
            cursor.execute(
                "INSERT INTO bench_plan SELECT %(offset)s + g, 'B' || lpad(g::text, 7, '0'),"
                f" b.id, b.org_id, b.rate, c.id, c.n, c.currency,"
                f" CASE WHEN ({ROUTE_SQL}) = 'order_link' THEN c.link_id END,"
                " CASE WHEN g %% 97 = 0 THEN 1 + (g %% 40) ELSE 5 + (g * 17) %% 11 END,"
                f" {STATUS_SQL}, {ROUTE_SQL},"
                " %(start)s + make_interval(secs => g * %(step)s + (g * 7919) %% 600),"
                " g %% 10 = 0 AND g < %(orders)s / 2"
                " FROM generate_series(%(low)s::bigint + 1, %(high)s::bigint) g"
                " CROSS JOIN LATERAL (SELECT (g * 37) %% 100 AS s, (g * 11) %% 20 AS r) buckets"
                " JOIN bench_buyer b ON b.n = (g * 7919) %% %(buyers)s"
                " JOIN bench_catalog c ON c.n ="
                " (g * %(catalogs)s / %(orders)s + g %% 4) %% %(catalogs)s",
                {
                    "offset": first_id - 1,
                    "low": low,
                    "high": high,
                    "start": start,
                    "step": span / spec.orders,
                    "orders": spec.orders,
                    "buyers": spec.buyers,
                    "catalogs": spec.catalogs,
                },
            )
            _write_planned(brand_id=brand.pk, skus_per_catalog=skus_per_catalog)
        progress.update(high)
    progress.finish()
    return first_id + spec.orders


def _write_planned(*, brand_id: int, skus_per_catalog: int) -> None:
    """Write the orders in bench_plan with their lines, events, tags and documents."""
    with connection.cursor() as cursor:
        for statement in (
            "WITH lines AS ("
            " INSERT INTO ordering_orderline (order_id, sku_id, sku_number, model_number,"
            " product_name, color, size, quantity, unit_price, amount, position)"
            " SELECT p.id, s.id, s.sku_number, s.model_number, s.product_name, s.color, s.size,"
            " q.quantity, round(s.retail_price * p.rate, 2),"
            " round(s.retail_price * p.rate, 2) * q.quantity, line.k - 1"
            " FROM bench_plan p CROSS JOIN LATERAL generate_series(1, p.nlines) line(k)"
            " CROSS JOIN LATERAL (SELECT 1 + (p.id * 7 + line.k * 3) %% 12 AS quantity) q"
            " JOIN bench_sku s ON s.catalog_n = p.catalog_n"
            "  AND s.k = (p.id * 13 + line.k * 7) %% %(skus)s"
            " RETURNING order_id, quantity, amount)"
            " INSERT INTO ordering_order (id, brand_id, code, buyer_id, organization_id,"
            " catalog_id, route, status, currency, total_quantity, total_amount, line_count,"
            " desired_delivery_date, comment, delivery_address, billing_address, placed_at,"
            " placed_by_id, replaces_id, order_link_id, archived, updated_at)"
            " SELECT p.id, %(brand)s, p.code, p.buyer_id, p.org_id, p.catalog_id, p.route,"
            " p.status, p.currency, t.quantity, t.amount, t.lines,"
            " (p.placed_at + interval '45 days')::date, '', 'Market Street', 'Market Street',"
            " p.placed_at, NULL, NULL, p.link_id, p.archived, p.placed_at"
            " FROM bench_plan p JOIN (SELECT order_id, count(*) AS lines,"
            " sum(quantity) AS quantity, sum(amount) AS amount FROM lines GROUP BY order_id) t"
            " ON t.order_id = p.id",
            "INSERT INTO ordering_orderevent (order_id, type, created_at, details)"
            " SELECT id, 'placed', placed_at, jsonb_build_object('route', route) FROM bench_plan",
            "INSERT INTO ordering_ordertag (order_id, tag_id, placed_at, archived)"
            " SELECT p.id, t.id, p.placed_at, p.archived FROM bench_plan p"
            " JOIN LATERAL (SELECT id FROM ordering_tag"
            " WHERE brand_id = %(brand)s ORDER BY id OFFSET (p.id / 20) %% 8 LIMIT 1) t ON true"
            " WHERE p.id %% 20 = 3",
            "INSERT INTO documents_orderconfirmation (order_id, allow_buyer_approval,"
            " total_quantity, total_amount, created_at, updated_at, buyer_note)"
            " SELECT o.id, o.status IN ('oc_approved', 'oc_rejected'), o.total_quantity,"
            " o.total_amount, o.placed_at + interval '2 days', o.placed_at + interval '2 days', ''"
            " FROM ordering_order o JOIN bench_plan p ON p.id = o.id"
            " WHERE p.status LIKE 'oc\\_%%'",
            # The OC confirms the Original Order's lines as they are.
            "INSERT INTO documents_orderconfirmationline (confirmation_id, sku_id, sku_number,"
            " model_number, product_name, color, size, quantity, unit_price, amount, position)"
            " SELECT oc.id, l.sku_id, l.sku_number, l.model_number, l.product_name, l.color,"
            " l.size, l.quantity, l.unit_price, l.amount, l.position"
            " FROM bench_plan p JOIN documents_orderconfirmation oc ON oc.order_id = p.id"
            " JOIN ordering_orderline l ON l.order_id = p.id",
            "INSERT INTO ordering_orderevent (order_id, type, created_at, details)"
            " SELECT id, 'returned_to_cart', placed_at + interval '3 days', '{}' FROM bench_plan"
            " WHERE status = 'returned_to_cart'",
            "INSERT INTO documents_deliverynote (brand_id, number, order_id, created_at)"
            " SELECT %(brand)s, 'DN-' || id, id, placed_at + interval '20 days' FROM bench_plan"
            " WHERE status = 'oc_confirmed' AND id %% 3 <> 0",
            "INSERT INTO documents_invoice (brand_id, number, order_id, created_at, currency,"
            " total_amount)"
            " SELECT %(brand)s, 'INV-' || p.id, p.id, p.placed_at + interval '25 days',"
            " p.currency, o.total_amount FROM bench_plan p JOIN ordering_order o ON o.id = p.id"
            " WHERE p.status = 'oc_confirmed' AND p.id %% 3 = 1",
        ):
            cursor.execute(statement, {"brand": brand_id, "skus": skus_per_catalog})


def _analyze() -> None:
    """Refresh the planner's statistics (and the visibility map, outside a transaction).

    Then write the load's dirty pages out at once (CHECKPOINT, outside a transaction): left to
    the checkpointer, gigabytes of them are written for minutes, over the first sections'
    measurements. Skipped, with a word, where the role may not checkpoint.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    if not connection.in_atomic_block:
        checkpoint("after the load")


def checkpoint(when: str) -> None:
    """Write every dirty page out now (CHECKPOINT), or say why not: the role may not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError as exc:
        print(f"data: no CHECKPOINT {when} ({exc}); the next measurements may be slower")


def loaded() -> bool:
    return Brand.objects.filter(slug=LARGE_SLUG).exists()


def _free_pairs(count: int) -> list[tuple[int, int]]:
    """Return `count` (buyer n, catalog n) pairs of the large brand free for a new cart.

    Connected buyers, open catalogs that are not consignment, no cart on the pair and no order
    made by an earlier `fresh_orders` or `fresh_carts`: each pair is used once, ever.
    """
    brand = Brand.objects.get(slug=LARGE_SLUG)
    _lookup_tables(brand)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT b.n, c.n FROM bench_buyer b CROSS JOIN bench_catalog c"
            " JOIN catalog_catalog cc ON cc.id = c.id"
            " WHERE b.org_id IS NOT NULL AND cc.status = 'open' AND NOT cc.consignment"
            " AND NOT EXISTS (SELECT 1 FROM ordering_cart x"
            "  WHERE x.organization_id = b.org_id AND x.catalog_id = c.id)"
            " AND NOT EXISTS (SELECT 1 FROM ordering_order o WHERE o.organization_id = b.org_id"
            "  AND o.catalog_id = c.id AND o.code LIKE 'F%%')"
            " ORDER BY (b.n * 7 + c.n * 13) %% 101, b.n, c.n LIMIT %s",
            [count],
        )
        pairs = cursor.fetchall()
    if len(pairs) < count:
        raise RuntimeError(f"only {len(pairs)} free buyer and catalog pairs; load a new data set")
    return pairs


def fresh_orders(count: int, *, lines: int) -> list[int]:
    """Place `count` new awaiting-OC orders of `lines` lines each, every one returnable now.

    Each is on its own free (organisation, catalog) pair, so returning them all leaves one
    cart per pair. Returns their ids.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        # One maker at a time: two would pick the same pairs.
        cursor.execute("SELECT pg_advisory_xact_lock(8191)")
        pairs = _free_pairs(count)
        # Ids from the orders' own sequence, so orders placed meanwhile never collide.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('ordering_order', 'id'))"
            " FROM generate_series(1, %s)",
            [count],
        )
        ids = sorted(order_id for (order_id,) in cursor.fetchall())
        cursor.execute("TRUNCATE bench_plan")
        cursor.executemany(
            "INSERT INTO bench_plan SELECT %s, %s, b.id, b.org_id, b.rate, c.id, c.n, c.currency,"
            " NULL, %s, 'awaiting_oc', 'buyer_app', now() - make_interval(secs => %s), false"
            " FROM bench_buyer b, bench_catalog c WHERE b.n = %s AND c.n = %s",
            [
                (order_id, f"F{order_id:09d}", lines, count - i, buyer, catalog)
                for i, (order_id, (buyer, catalog)) in enumerate(zip(ids, pairs, strict=True))
            ],
        )
        _write_planned(
            brand_id=Brand.objects.get(slug=LARGE_SLUG).pk,
            skus_per_catalog=large_brand(0).products_per_catalog * SKUS_PER_PRODUCT,
        )
    return ids


def fresh_carts(count: int, *, lines: int) -> list[tuple[int, int]]:
    """Fill `count` new carts of `lines` lines on free pairs; return (cart id, organisation id).

    Each cart's pair also gets one order made by `fresh_orders`, so the pair is never reused.
    """
    order_ids = fresh_orders(count, lines=1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ordering_cart (organization_id, catalog_id, brand_id, comment,"
            " delivery_address, billing_address, returned_by_brand, return_message, created_at,"
            " updated_at)"
            " SELECT organization_id, catalog_id, brand_id, '', delivery_address,"
            " billing_address, false, '', now(), now() FROM ordering_order"
            " WHERE id = ANY(%s) ORDER BY id RETURNING id, organization_id, catalog_id",
            [order_ids],
        )
        carts = cursor.fetchall()
        cursor.execute(
            "INSERT INTO ordering_cartline (cart_id, sku_id, quantity)"
            " SELECT x.id, s.id, 1 + line.k %% 6 FROM ordering_cart x"
            " JOIN bench_catalog c ON c.id = x.catalog_id"
            " CROSS JOIN LATERAL generate_series(1, %s) line(k)"
            " JOIN bench_sku s ON s.catalog_n = c.n AND s.k = (x.id * 13 + line.k * 7) %% %s"
            " WHERE x.id = ANY(%s)",
            [lines, large_brand(0).products_per_catalog * SKUS_PER_PRODUCT, [c[0] for c in carts]],
        )
    return [(cart_id, organization_id) for cart_id, organization_id, _catalog in carts]
