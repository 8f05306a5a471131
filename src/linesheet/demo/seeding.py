"""Put the demo data in: each row made by the service that makes it in the product.

Every row is looked up by its natural key first, so seeding again changes nothing, and demo
data added here later is filled in by the next seed. Orders have no natural key of their own:
each brand's orders are one fixed plan (seeded random), and a seed places the part of the plan
the brand does not have yet.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from linesheet.accounts.models import (
    Brand,
    BrandMembership,
    Buyer,
    BuyerOrganization,
    OrganizationRecipient,
    User,
)
from linesheet.accounts.services import (
    buyer_create_offline,
    invitation_accept,
    invitation_create,
    organization_create,
    user_register,
)
from linesheet.catalog.models import SKU, BuyerGroup, Catalog, Product
from linesheet.catalog.selectors import catalog_viewers
from linesheet.catalog.services import (
    SkuInput,
    catalog_create,
    product_create,
    product_images_add,
)
from linesheet.core.errors import DomainError
from linesheet.demo.data import (
    BRANDS,
    COLOUR_CODES,
    DEMO_PASSWORD,
    OFFLINE_BUYERS,
    ORDER_COMMENTS,
    ORDER_DAYS,
    ORDER_QUANTITIES,
    ORDER_ROUTES,
    ORGANIZATIONS,
    SUPPORT_EMAIL,
    DemoBrand,
    DemoCatalog,
    DemoOrganization,
    category_for,
    size_code,
    sizes_for,
)
from linesheet.demo.documents import demo_line_sheet_seed
from linesheet.demo.images import demo_product_picture
from linesheet.demo.shipping import demo_shipping_seed
from linesheet.demo.stories import (
    StoryCast,
    demo_story_orders,
    order_spread_in_time,
    order_untouched,
    story_tell,
)
from linesheet.demo.taxes import demo_tax_seed
from linesheet.notifications.models import OutboundEmail
from linesheet.notifications.services import email_cancel
from linesheet.ordering.errors import OrderError, OrderErrorCode
from linesheet.ordering.models import Order, OrderEvent, OrderNumbering, OrderRoute, OrderTag
from linesheet.ordering.numbering import order_code_format, order_numbering_update
from linesheet.ordering.services import (
    buyer_group_create,
    cart_create,
    cart_update,
    catalog_access_set,
    order_place,
)

Log = Callable[[str], None]


@dataclass
class SeedReport:
    """How many rows of each kind the seed created (none on a second run)."""

    created: Counter[str] = field(default_factory=Counter)

    @property
    def changed_anything(self) -> bool:
        return sum(self.created.values()) > 0


def demo_seed(*, log: Log, today: datetime.date | None = None) -> SeedReport:
    """Create the demo brands, catalogs, buyer organisations, buyers and orders that are missing."""
    today = today or timezone.localdate()
    report = SeedReport()
    with transaction.atomic():
        _seed_support_user(report=report, log=log)
        brands = {demo.slug: _seed_brand(demo=demo, report=report, log=log) for demo in BRANDS}
        for demo in BRANDS:
            for demo_catalog in demo.catalogs:
                _seed_catalog(
                    brand=brands[demo.slug], demo=demo_catalog, today=today, report=report, log=log
                )
        for demo_organization in ORGANIZATIONS:
            organization = _seed_organization(demo=demo_organization, report=report, log=log)
            _seed_connections(
                organization=organization,
                demo=demo_organization,
                brands=brands,
                report=report,
                log=log,
            )
        _seed_offline_buyers(brands=brands, report=report, log=log)
        report.created["tax rates"] += demo_tax_seed(brands=brands, log=log)
        for demo in BRANDS:
            _seed_access(brand=brands[demo.slug], demo=demo, report=report, log=log)
        for demo in BRANDS:
            _seed_numbering(brand=brands[demo.slug], demo=demo, today=today, report=report, log=log)
            _seed_orders(brand=brands[demo.slug], demo=demo, today=today, report=report, log=log)
            _seed_stories(brand=brands[demo.slug], demo=demo, report=report, log=log)
        report.created["shipping groups"] += demo_shipping_seed(brands=brands, log=log)
    report.created["line sheets"] += demo_line_sheet_seed(log=log)
    return report


def _user(*, email: str, full_name: str, report: SeedReport) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_register(email=email, password=DEMO_PASSWORD, full_name=full_name)
        report.created["users"] += 1
    return user


def _seed_support_user(*, report: SeedReport, log: Log) -> None:
    if User.objects.filter(email=SUPPORT_EMAIL).exists():
        log(f"Support user {SUPPORT_EMAIL}: already there")
        return
    User.objects.create_superuser(SUPPORT_EMAIL, DEMO_PASSWORD, full_name="linesheet Support")
    report.created["users"] += 1
    log(f"Support user {SUPPORT_EMAIL}: created (admin at /admin/)")


def _seed_brand(*, demo: DemoBrand, report: SeedReport, log: Log) -> Brand:
    # Brands are set up by the platform, not by a user operation, so there is no service.
    brand = Brand.objects.filter(slug=demo.slug).first()
    if brand is None:
        brand = Brand.objects.create(
            slug=demo.slug,
            name=demo.name,
            address=demo.address,
            default_wholesale_rate=demo.default_wholesale_rate,
            time_zone=demo.time_zone,
        )
        report.created["brands"] += 1
    added = 0
    for email, full_name, role in demo.members:
        user = _user(email=email, full_name=full_name, report=report)
        if not BrandMembership.objects.filter(brand=brand, user=user).exists():
            BrandMembership.objects.create(brand=brand, user=user, role=role)
            added += 1
    report.created["brand memberships"] += added
    emails = ", ".join(email for email, _name, _role in demo.members)
    log(f"Brand {brand.name}: members {emails} ({added} new)")
    return brand


def _seed_catalog(
    *, brand: Brand, demo: DemoCatalog, today: datetime.date, report: SeedReport, log: Log
) -> None:
    catalog = Catalog.objects.filter(brand=brand, code=demo.code).first()
    if catalog is None:
        catalog = catalog_create(
            brand=brand,
            name=demo.name,
            code=demo.code,
            status=demo.status,
            order_deadline=demo.order_deadline(today),
        )
        report.created["catalogs"] += 1
    existing = set(
        Product.objects.filter(brand=brand, model_number__startswith=demo.model_prefix).values_list(
            "model_number", flat=True
        )
    )
    new_products = new_skus = 0
    for index, (name, retail_price) in enumerate(demo.products):
        model_number = f"{demo.model_prefix}-{101 + index}"
        if model_number in existing:
            continue
        skus = [
            SkuInput(
                sku_number=f"{model_number}-{COLOUR_CODES[colour]}-{size_code(size)}",
                color=colour,
                size=size,
                retail_price=Decimal(retail_price),
            )
            for colour in demo.colours_for(index)
            for size in sizes_for(name)
        ]
        product_create(
            catalog=catalog,
            model_number=model_number,
            name=name,
            category=category_for(name),
            skus=skus,
        )
        new_products += 1
        new_skus += len(skus)
    report.created["products"] += new_products
    report.created["SKUs"] += new_skus
    report.created["product images"] += _seed_product_images(brand=brand, demo=demo)
    log(
        f"Catalog {brand.name} {catalog.code} ({catalog.status}): {len(demo.products)} products"
        f" ({new_products} new, {new_skus} new SKUs)"
    )


def _seed_product_images(*, brand: Brand, demo: DemoCatalog) -> int:
    """Give each of the catalog's products without images a picture per colour.

    Their thumbnails are made by the worker `make demo` runs, from the tasks the adding enqueues
    (a few seconds for them all); making them here would slow every seed, the tests' too.
    """
    products = list(
        Product.objects.filter(brand=brand, model_number__startswith=demo.model_prefix)
        .exclude(images__isnull=False)
        .prefetch_related("skus")
    )
    added = 0
    for product in products:
        colours = list(dict.fromkeys(sku.color for sku in product.skus.all()))
        for colour in colours:
            picture = demo_product_picture(
                name=product.name, model_number=product.model_number, colour=colour
            )
            file = ContentFile(picture, name=f"{product.model_number}-{colour}.jpg")
            added += len(
                product_images_add(product=product, files=[file], color=colour, actor=None)
            )
    return added


def _seed_organization(
    *, demo: DemoOrganization, report: SeedReport, log: Log
) -> BuyerOrganization:
    user = _user(email=demo.user_email, full_name=demo.user_name, report=report)
    organization = BuyerOrganization.objects.filter(name=demo.name, memberships__user=user).first()
    if organization is None:
        organization = organization_create(
            user=user,
            name=demo.name,
            delivery_address=demo.delivery_address,
            billing_address=demo.billing_address,
            time_zone=demo.time_zone,
        )
        report.created["buyer organisations"] += 1
    known = set(organization.recipients.values_list("email", flat=True))
    missing = [email for email in demo.extra_recipients if email not in known]
    # Recipients are plain rows under the organisation; no rule guards adding them.
    OrganizationRecipient.objects.bulk_create(
        OrganizationRecipient(organization=organization, email=email) for email in missing
    )
    report.created["email recipients"] += len(missing)
    log(f"Buyer organisation {organization.name}: member {user.email}")
    return organization


def _seed_connections(
    *,
    organization: BuyerOrganization,
    demo: DemoOrganization,
    brands: dict[str, Brand],
    report: SeedReport,
    log: Log,
) -> None:
    """Connect the organisation to its brands the way shops connect: invited, then accepting."""
    user = User.objects.get(email=demo.user_email)
    for slug, wholesale_rate in demo.connections.items():
        brand = brands[slug]
        if Buyer.objects.filter(brand=brand, organization=organization).exists():
            continue
        owner = User.objects.filter(
            brand_memberships__brand=brand, brand_memberships__role="owner"
        ).first()
        invitation = invitation_create(
            brand=brand,
            email=demo.user_email,
            created_by=owner,
            name=organization.name,
            wholesale_rate=wholesale_rate,
        )
        invitation_accept(token=invitation.token, user=user, organization=organization)
        # The shop accepted before its invitation email could have been read, and the demo's
        # addresses are made up: sending it would only print stale links in the worker's log
        # each time someone seeds. Cancelled, it stays visible in the outbox.
        email_cancel(
            email_ids=OutboundEmail.objects.filter(
                reference=f"invitation:{invitation.pk}"
            ).values_list("pk", flat=True),
            reason="Demo data: the invitation was accepted while seeding.",
        )
        report.created["connected buyers"] += 1
        log(f"  {organization.name} connected to {brand.name} (rate {wholesale_rate})")


def _seed_access(*, brand: Brand, demo: DemoBrand, report: SeedReport, log: Log) -> None:
    """Create the brand's buyer groups and open its limited catalogs to them."""
    owner = _brand_owner(brand)
    for name, shops in demo.groups:
        if BuyerGroup.objects.filter(brand=brand, name=name).exists():
            continue
        buyer_ids = Buyer.objects.filter(brand=brand, organization__name__in=shops).values_list(
            "pk", flat=True
        )
        buyer_group_create(brand=brand, name=name, actor=owner, buyer_ids=list(buyer_ids))
        report.created["buyer groups"] += 1
        log(f"  {brand.name} group {name}: {', '.join(shops)}")
    for demo_catalog in demo.catalogs:
        if not demo_catalog.access_groups:
            continue
        catalog = Catalog.objects.get(brand=brand, code=demo_catalog.code)
        groups = BuyerGroup.objects.filter(brand=brand, name__in=demo_catalog.access_groups)
        if catalog.access_groups.exists() or catalog.access_buyers.exists():
            continue
        catalog_access_set(
            catalog=catalog,
            buyer_ids=[],
            group_ids=list(groups.values_list("pk", flat=True)),
            actor=owner,
        )
        log(f"  {brand.name} {catalog.code} visible to: {', '.join(demo_catalog.access_groups)}")


def _seed_offline_buyers(*, brands: dict[str, Brand], report: SeedReport, log: Log) -> None:
    for demo in OFFLINE_BUYERS:
        brand = brands[demo.brand_slug]
        if Buyer.objects.filter(brand=brand, organization__isnull=True, name=demo.name).exists():
            continue
        buyer_create_offline(
            brand=brand, name=demo.name, email=demo.email, wholesale_rate=demo.wholesale_rate
        )
        report.created["offline buyers"] += 1
        log(f"Offline buyer {demo.name} of {brand.name}: created")


def _seed_numbering(
    *, brand: Brand, demo: DemoBrand, today: datetime.date, report: SeedReport, log: Log
) -> None:
    """Give the brand its numbering rule, unless it has one (set by hand, or by a first order)."""
    if demo.numbering is None:
        return
    if OrderNumbering.objects.filter(brand=brand).exists():
        log(f"Order numbering of {brand.name}: already set")
        return
    rule = demo.numbering
    numbering = order_numbering_update(
        brand=brand,
        date_format=rule.date_format,
        prefix=rule.prefix,
        width=rule.width,
        suffix=rule.suffix,
    )
    report.created["numbering rules"] += 1
    example = order_code_format(numbering=numbering, value=numbering.next_value, today=today)
    log(f"Order numbering of {brand.name}: set, the next code is {example}")


@dataclass(frozen=True)
class PlannedOrder:
    """One demo order: who orders what from which catalog, and when (days and minutes ago)."""

    buyer: Buyer
    catalog: Catalog
    route: str
    quantities: dict[str, int]
    desired_delivery_in_days: int | None
    comment: str
    placed_days_ago: int
    placed_minute_of_day: int


def demo_order_plan(*, brand: Brand, demo: DemoBrand) -> list[PlannedOrder]:
    """Return the brand's demo orders, oldest first; the same list on every run.

    Every random draw is made for every order, whatever the database holds, so the orders a
    later seed fills in are the ones the first seed would have made.
    """
    buyers = list(
        Buyer.objects.filter(brand=brand, organization__isnull=False)
        .select_related("organization")
        .order_by("name", "id")
    )
    catalogs = list(
        Catalog.objects.filter(brand=brand, code__in=[c.code for c in demo.catalogs]).order_by(
            "code"
        )
    )
    if not buyers or not catalogs or not demo.order_count:
        return []
    # Per catalog: each product's SKUs by colour, in the order the catalog lists them.
    runs: dict[int, list[list[list[str]]]] = {}
    for catalog in catalogs:
        by_product: dict[int, dict[str, list[str]]] = {}
        for product_id, colour, number in (
            SKU.objects.filter(product__catalog=catalog, is_active=True)
            .order_by("product__model_number", "position", "id")
            .values_list("product_id", "color", "sku_number")
        ):
            by_product.setdefault(product_id, {}).setdefault(colour, []).append(number)
        runs[catalog.pk] = [list(colours.values()) for colours in by_product.values()]

    # A shop orders only from the catalogs it sees (a limited one: those on its access list).
    viewers: dict[int, list[Buyer]] = {}
    for catalog in catalogs:
        seeing = set(catalog_viewers(catalog=catalog).values_list("pk", flat=True))
        viewers[catalog.pk] = [buyer for buyer in buyers if buyer.pk in seeing]
    catalogs = [catalog for catalog in catalogs if viewers[catalog.pk]]
    if not catalogs:
        return []
    rng = random.Random(f"linesheet demo orders of {demo.slug}")
    routes = [route for route, _weight in ORDER_ROUTES]
    weights = [weight for _route, weight in ORDER_ROUTES]
    plan = []
    for _index in range(demo.order_count):
        catalog = rng.choice(catalogs)
        buyer = rng.choice(viewers[catalog.pk])
        route = rng.choices(routes, weights=weights)[0]
        products = rng.sample(runs[catalog.pk], k=min(rng.randint(1, 4), len(runs[catalog.pk])))
        quantities: dict[str, int] = {}
        for colours in products:
            for sku_numbers in rng.sample(colours, k=min(rng.randint(1, 2), len(colours))):
                for number in sku_numbers:
                    # Now and then a shop leaves out a size of the run.
                    if rng.random() < 0.15 and len(sku_numbers) > 2:
                        continue
                    quantities[number] = rng.choice(ORDER_QUANTITIES)
        delivery = rng.randint(21, 120) if rng.random() < 0.7 else None
        comment = rng.choice(ORDER_COMMENTS) if rng.random() < 0.35 else ""
        plan.append(
            PlannedOrder(
                buyer=buyer,
                catalog=catalog,
                route=route,
                quantities=quantities or {sku_numbers[0]: 1},
                desired_delivery_in_days=delivery,
                comment=comment,
                placed_days_ago=rng.randint(1, ORDER_DAYS),
                # Office hours: 08:00 to 18:59.
                placed_minute_of_day=rng.randint(8 * 60, 19 * 60 - 1),
            )
        )
    plan.sort(key=lambda p: (-p.placed_days_ago, p.placed_minute_of_day))
    return plan


def _proxy_user(brand: Brand) -> User | None:
    """Return who takes the brand's proxy orders: its staff, else its owner."""
    for role in ("staff", "owner"):
        user = User.objects.filter(
            brand_memberships__brand=brand, brand_memberships__role=role
        ).first()
        if user is not None:
            return user
    return None


def _seed_orders(
    *, brand: Brand, demo: DemoBrand, today: datetime.date, report: SeedReport, log: Log
) -> None:
    """Place the brand's planned orders it does not have yet, through carts, like shops do."""
    plan = demo_order_plan(brand=brand, demo=demo)
    # Orders placed again from a returned cart are the stories' doing, not the plan's.
    existing = Order.objects.filter(brand=brand, replaces__isnull=True).count()
    missing = plan[existing:]
    if not missing:
        log(f"Orders of {brand.name}: {existing} (none new)")
        return
    proxy_user = _proxy_user(brand)
    zone = timezone.get_current_timezone()
    codes: list[str] = []
    for planned in missing:
        organization = planned.buyer.organization
        assert organization is not None  # the plan holds connected buyers only
        shop_user = User.objects.filter(organization_memberships__organization=organization).first()
        placed_by = proxy_user if planned.route == OrderRoute.PROXY else shop_user
        try:
            cart = cart_create(
                organization=organization, catalog=planned.catalog, quantities=planned.quantities
            )
        except OrderError as error:
            if error.code != OrderErrorCode.CART_EXISTS:
                raise
            # Someone is filling a cart for this catalog in the demo: leave it alone.
            log(f"  skipped an order of {organization.name}: {error.message}")
            continue
        header: dict[str, object] = {}
        if planned.desired_delivery_in_days is not None:
            header["desired_delivery_date"] = today + datetime.timedelta(
                days=planned.desired_delivery_in_days
            )
        if planned.comment:
            header["comment"] = planned.comment
        if header:
            cart_update(cart=cart, **header)
        order = order_place(
            cart_id=cart.pk, organization=organization, placed_by=placed_by, route=planned.route
        )
        placed_at = datetime.datetime.combine(
            today - datetime.timedelta(days=planned.placed_days_ago),
            datetime.time(planned.placed_minute_of_day // 60, planned.placed_minute_of_day % 60),
            tzinfo=zone,
        )
        # Demo data only. Placing stamps the order "now", and placed_at belongs to the Original
        # Order, which Order.save refuses to rewrite (it is not in MUTABLE_FIELDS). A queryset
        # update bypasses that guard on purpose, here and nowhere else, so the demo's orders
        # spread over the last weeks the way real ones would; their events move with them, and
        # so do the copies of placed_at on their tag rows (OrderTag), should they have any.
        Order.objects.filter(pk=order.pk).update(placed_at=placed_at, updated_at=placed_at)
        OrderEvent.objects.filter(order=order).update(created_at=placed_at)
        OrderTag.objects.filter(order=order).update(placed_at=placed_at)
        codes.append(order.code)
    report.created["orders"] += len(codes)
    catalogs = ", ".join(sorted({p.catalog.code for p in plan}))
    span = f", {codes[0]} to {codes[-1]}" if codes else ""
    log(f"Orders of {brand.name}: {existing + len(codes)} from {catalogs} ({len(codes)} new{span})")


# --- What happened to the orders since: the stories (demo/stories.py) -------------------------


def _seed_stories(*, brand: Brand, demo: DemoBrand, report: SeedReport, log: Log) -> None:
    """Tell the stories of the brand's orders that have not been told yet."""
    if not demo.stories:
        return
    cast = StoryCast(brand_user=_proxy_user(brand), owner=_brand_owner(brand))
    told = replaced = 0
    pairs = demo_story_orders(brand=brand, demo=demo)
    for story, order in pairs:
        if not order_untouched(order):
            continue
        try:
            # One savepoint per story: a refused step (a shop's own cart is in the way of a
            # return) leaves that order as it was, and the next seed tries again.
            with transaction.atomic():
                replacement = story_tell(story=story, order=order, cast=cast)
                order_spread_in_time(order=order, replacement=replacement)
        except DomainError as error:
            log(f"  left order {order.code} as it is: {error.message}")
            continue
        told += 1
        replaced += replacement is not None
    report.created["order histories"] += told
    report.created["orders placed again"] += replaced
    statuses = Counter(
        Order.objects.filter(brand=brand).values_list("status", flat=True).order_by()
    )
    summary = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
    log(f"Order histories of {brand.name}: {len(pairs)} ({told} new); {summary}")


def _brand_owner(brand: Brand) -> User | None:
    return User.objects.filter(
        brand_memberships__brand=brand, brand_memberships__role="owner"
    ).first()
