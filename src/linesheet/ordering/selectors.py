"""Queries about carts and orders, shaped so their cost does not grow with the data."""

from __future__ import annotations

import datetime
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import (
    CharField,
    Count,
    F,
    ForeignObjectRel,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)

from linesheet.accounts.models import Brand, Buyer, BuyerOrganization, User
from linesheet.catalog.models import SKU_CATALOG_ORDER, CatalogStatus
from linesheet.catalog.pricing import wholesale_price
from linesheet.catalog.selectors import catalogs_visible_to
from linesheet.catalog.shipping import catalog_shipping_rates, shipping_line
from linesheet.catalog.taxes import tax_rules_for
from linesheet.core.clock import day_start
from linesheet.core.keyset import KeysetPage, count_up_to, keyset_page
from linesheet.core.shipping import ShippingBand, rate_for_country
from linesheet.core.shipping import ShippingRate as ShippingRateRule
from linesheet.core.tax import AppliedRate, TaxTotals
from linesheet.ordering.changes import OrderChanges, order_changes
from linesheet.ordering.events import OrderEventType
from linesheet.ordering.models import (
    Cart,
    CartLine,
    ClosedCart,
    Order,
    OrderEvent,
    OrderLine,
    OrderNumbering,
    Tag,
)
from linesheet.ordering.rules import (
    Blocker,
    RejectFacts,
    ReturnFacts,
    reject_blockers,
    return_to_cart_blockers,
    return_to_cart_warnings,
)
from linesheet.ordering.statuses import LIVE_STATUSES
from linesheet.ordering.taxes import link_shipping_group_id, taxed_lines_totals


@dataclass(frozen=True)
class OrderFilters:
    """Order Management search; every field optional."""

    status: str | None = None
    buyer_id: int | None = None
    catalog_id: int | None = None
    route: str | None = None
    code_prefix: str | None = None
    placed_from: datetime.date | None = None
    placed_to: datetime.date | None = None
    archived: bool | None = False  # None: archived or not
    q: str | None = None
    tag: str | None = None


# What the pages of a tag-filtered search are ordered by: the tag row's copy of placed_at.
TAGGED_PLACED_AT = "tagged_placed_at"


def orders_of_brand(*, brand: Brand, filters: OrderFilters) -> QuerySet[Order]:
    """Return the brand's orders matching the filters (unordered; page with orders_page).

    A tag filter costs one small query here, to read the tag's id.
    """
    orders = Order.objects.filter(brand=brand)
    if filters.archived is not None:
        orders = orders.filter(archived=filters.archived)
    placed_at = "placed_at"
    if filters.tag:
        # The tag's id is read first, so the page query compares with a constant: PostgreSQL
        # then knows from its statistics how common the tag is and plans accordingly.
        tag_id = (
            Tag.objects.filter(brand=brand, name=" ".join(filters.tag.split()))
            .values_list("pk", flat=True)
            .first()
        )
        if tag_id is None:
            return orders.none()
        # A join with the tag's rows, ordered and bounded by their copies of placed_at and
        # archived (see OrderTag): the page is read from order_tag_listed, newest first,
        # and stops after the page. An order has the tag at most once (order_tag_unique), so
        # each order shows once. The filter and the annotation share the one join.
        tagged = Q(order_tags__tag_id=tag_id)
        if filters.archived is not None:
            tagged &= Q(order_tags__archived=filters.archived)
        orders = orders.filter(tagged).annotate(**{TAGGED_PLACED_AT: F("order_tags__placed_at")})
        placed_at = TAGGED_PLACED_AT
    if filters.status:
        orders = orders.filter(status=filters.status)
    if filters.buyer_id:
        orders = orders.filter(buyer_id=filters.buyer_id)
    if filters.catalog_id:
        orders = orders.filter(catalog_id=filters.catalog_id)
    if filters.route:
        orders = orders.filter(route=filters.route)
    if filters.code_prefix:
        orders = orders.filter(code__startswith=filters.code_prefix)
    # Whole days as a half-open range on placed_at itself (or the tag row's copy), so the index
    # the page is read from serves it; a __date lookup would wrap the column in a function and
    # scan.
    if filters.placed_from:
        orders = orders.filter(**{f"{placed_at}__gte": day_start(filters.placed_from)})
    if filters.placed_to:
        next_day = day_start(filters.placed_to + datetime.timedelta(days=1))
        orders = orders.filter(**{f"{placed_at}__lt": next_day})
    if filters.q:
        orders = orders.filter(Q(code__icontains=filters.q) | Q(buyer__name__icontains=filters.q))
    return orders.select_related("buyer", "catalog")


def orders_page(orders: QuerySet[Order], *, cursor: str | None, limit: int) -> KeysetPage[Order]:
    """Return one page of orders, newest first, in one query.

    A tag-filtered search (orders_of_brand) is ordered by the tag rows' copy of placed_at,
    which is the same moment: the cursor is the same whichever it is.
    """
    return keyset_page(orders, cursor=cursor, limit=limit, time_field=_time_field(orders))


def orders_count(orders: QuerySet[Order], *, cap: int) -> int:
    """Count the orders of a search up to `cap` + 1, along the path of its pages (orders_page)."""
    return count_up_to(orders, cap=cap, time_field=_time_field(orders))


def _time_field(orders: QuerySet[Order]) -> str:
    """Return what a search's pages are ordered by: placed_at, or the tag rows' copy of it."""
    return TAGGED_PLACED_AT if TAGGED_PLACED_AT in orders.query.annotations else "placed_at"


def orders_of_organization(
    *, organization: BuyerOrganization, status: str | None = None
) -> QuerySet[Order]:
    orders = Order.objects.filter(organization=organization)
    if status:
        orders = orders.filter(status=status)
    return orders.select_related("brand", "catalog")


def live_orders() -> QuerySet[Order]:
    """Orders that count as business: neither rejected nor returned to the cart."""
    return Order.objects.filter(status__in=LIVE_STATUSES)


def order_lines_in_order() -> QuerySet[OrderLine]:
    """The Original Order's lines as every page and email lists them."""
    return OrderLine.objects.order_by("position", "id")


def order_lines_of(*, order_id: int, limit: int | None = None) -> list[OrderLine]:
    """Return the order's lines as its page lists them, the first `limit` if given (one query)."""
    lines = order_lines_in_order().filter(order_id=order_id)
    return list(lines if limit is None else lines[:limit])


def order_detail(
    *, orders: QuerySet[Order], order_id: int | None = None, code: str | None = None
) -> Order | None:
    """Return one order with its lines and events prefetched (a fixed number of queries)."""
    lookup = Q(pk=order_id) if order_id is not None else Q(code=code)
    return (
        orders.filter(lookup)
        .select_related(
            "brand", "buyer", "catalog", "organization", "replaces", "placed_by", "returned_cart"
        )
        .prefetch_related(
            Prefetch("lines", queryset=order_lines_in_order()),
            Prefetch(
                "events",
                queryset=OrderEvent.objects.select_related("actor").order_by("created_at", "id"),
            ),
        )
        .first()
    )


def order_header(
    *, orders: QuerySet[Order], order_id: int | None = None, code: str | None = None
) -> Order | None:
    """Return one order with the rows its documents name, without its lines or events."""
    lookup = Q(pk=order_id) if order_id is not None else Q(code=code)
    return (
        orders.filter(lookup)
        .select_related("brand", "buyer", "catalog", "organization", "replaces")
        .first()
    )


def order_replaced_by(*, order: Order) -> Order | None:
    return Order.objects.filter(replaces=order).only("id", "code", "organization_id").first()


def order_changes_of(*, order: Order, organization_id: int | None = None) -> OrderChanges | None:
    """Return what changed against the returned order `order` replaces; None when none.

    With `organization_id` (a buyer organisation reading), None too when the returned order is
    not that organisation's: its lines are never shown to another one.
    The new order's lines and the returned order's header come as `order_detail` loaded them;
    the returned order's lines and its OC with its lines take three queries at most, whatever
    the number of lines. The OC lives in the documents app: reached through the app registry.
    """
    replaced = order.replaces
    if replaced is None:
        return None
    if organization_id is not None and replaced.organization_id != organization_id:
        return None
    old_lines = list(OrderLine.objects.filter(order=replaced).order_by("position", "id"))
    oc_model = apps.get_model("documents", "OrderConfirmation")
    confirmation = (
        oc_model._default_manager.filter(order=replaced)
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=apps.get_model(
                    "documents", "OrderConfirmationLine"
                )._default_manager.order_by("position", "id"),
            )
        )
        .first()
    )
    return order_changes(
        replaces=replaced.code,
        old=replaced,
        old_lines=old_lines,
        new=order,
        new_lines=list(order.lines.all()),
        oc_lines=list(confirmation.lines.all()) if confirmation is not None else None,
    )


def order_returned_by(*, order: Order) -> User | None:
    """Return who returned `order` to the buyer's cart, while still an active member of its
    brand; None when the return had no actor or they have left the brand since (one query)."""
    return (
        User.objects.filter(
            is_active=True,
            brand_memberships__brand_id=order.brand_id,
            pk__in=OrderEvent.objects.filter(
                order=order, type=OrderEventType.RETURNED_TO_CART
            ).values("actor_id"),
        )
        .only("email")
        .first()
    )


def order_of_brand(*, brand: Brand, code: str) -> Order | None:
    """Return the brand's order with that code, archived or not, as `order_detail` shapes it.

    The order that replaced it (if any) comes in the same query.
    """
    return order_detail(
        orders=Order.objects.filter(brand=brand).select_related("replaced_by"), code=code
    )


def tags_of_order(*, order_id: int) -> list[Tag]:
    """Return the order's tags by name (one query)."""
    return list(Tag.objects.filter(order_tags__order_id=order_id).order_by("name"))


def tags_of_brand(*, brand: Brand) -> QuerySet[Tag]:
    """Return the brand's tags by name."""
    return Tag.objects.filter(brand=brand).order_by("name")


def order_numbering_get(*, brand: Brand) -> OrderNumbering:
    """Return the brand's numbering rule; an unsaved default when the brand has none yet."""
    numbering = OrderNumbering.objects.filter(brand=brand).first()
    return numbering if numbering is not None else OrderNumbering(brand=brand)


# --- Carts ------------------------------------------------------------------------------------


def carts_of_organization(*, organization: BuyerOrganization) -> QuerySet[Cart]:
    return (
        Cart.objects.filter(organization=organization)
        .select_related("catalog", "brand", "source_order")
        .order_by("-updated_at", "-id")
    )


def cart_get(*, organization: BuyerOrganization, cart_id: int) -> Cart | None:
    return carts_of_organization(organization=organization).filter(pk=cart_id).first()


def cart_organization(
    *, cart_id: int, organizations: Sequence[BuyerOrganization]
) -> BuyerOrganization | None:
    """Return which of the organisations has the cart with that id, or had it; None if none."""
    ids = [organization.pk for organization in organizations]
    owner = (
        Cart.objects.filter(pk=cart_id, organization_id__in=ids)
        .values_list("organization_id", flat=True)
        .first()
    )
    if owner is None:
        owner = (
            ClosedCart.objects.filter(cart_id=cart_id, organization_id__in=ids)
            .values_list("organization_id", flat=True)
            .first()
        )
    return next((org for org in organizations if org.pk == owner), None)


def cart_closed(*, organization: BuyerOrganization, cart_id: int) -> ClosedCart | None:
    """Return what became of the organisation's cart that is gone (ordered or deleted), if known."""
    return (
        ClosedCart.objects.filter(organization=organization, cart_id=cart_id)
        .select_related("order", "returned_order", "catalog__brand", "closed_by")
        .first()
    )


@dataclass(frozen=True)
class PricedCartLine:
    line: CartLine
    unit_price: Decimal
    amount: Decimal
    orderable: bool
    tax_rate: AppliedRate | None = None


@dataclass(frozen=True)
class TaxRateChange:
    """A SKU of the returned order taxed otherwise today than when it was placed."""

    sku_number: str
    was: AppliedRate | None
    now: AppliedRate | None


@dataclass(frozen=True)
class PricedCart:
    cart: Cart
    buyer: Buyer | None
    lines: list[PricedCartLine]
    total_quantity: int
    total_amount: Decimal
    currency: str
    # Net, tax per rate and gross at the brand's rules today, for the buyer's country.
    tax: TaxTotals
    # A returned cart: its lines' rates against the returned order's, where they differ, and
    # whether the brand rounds tax otherwise today than when the order was placed.
    tax_changes: list[TaxRateChange]
    rounding_changed: bool = False
    # A returned cart: whether today's shipping fee (or its rate) differs from the order's.
    shipping_changed: bool = False
    # The shipping bands for the buyer's country (the page recomputes the fee as typed).
    shipping_bands: tuple[ShippingBand, ...] = ()

    @property
    def shipping_bands_data(self) -> str:
        """The bands as the page's script reads them: [[from cents, fee cents], ...]."""
        return json.dumps(
            [[int(band.threshold * 100), int(band.fee * 100)] for band in self.shipping_bands]
        )

    @property
    def tax_differs(self) -> bool:
        """Say whether a returned cart is taxed otherwise today than the order it came from."""
        return bool(self.tax_changes) or self.rounding_changed or self.shipping_changed

    @property
    def rate_changes(self) -> list[tuple[str, str]]:
        """The distinct (was, now) labels of the rates that changed, for the page."""
        seen: dict[tuple[str, str], None] = {}
        for change in self.tax_changes:
            was = change.was.label if change.was else "—"
            now = change.now.label if change.now else "—"
            seen[(was, now)] = None
        return list(seen)


def cart_priced(*, cart: Cart) -> PricedCart:
    """Return the cart's lines with this organisation's wholesale prices and today's tax.

    Three queries (the buyer, the lines, the brand's rates), one more for a catalog with a
    shipping group; a returned cart one more, the returned order's rates, to say whether its
    tax differs from the order's.
    """
    buyer = Buyer.objects.filter(
        brand_id=cart.brand_id, organization_id=cart.organization_id
    ).first()
    rate = buyer.wholesale_rate if buyer else Decimal("1")
    rules = tax_rules_for(brand=cart.brand, country=buyer.country if buyer else "")
    lines = []
    for line in (
        CartLine.objects.filter(cart=cart)
        .select_related("sku__product")
        .order_by(*(f"sku__{field}" for field in SKU_CATALOG_ORDER))
    ):
        unit = wholesale_price(retail_price=line.sku.retail_price, wholesale_rate=rate)
        lines.append(
            PricedCartLine(
                line=line,
                unit_price=unit,
                amount=unit * line.quantity,
                orderable=line.sku.is_active,
                tax_rate=rules.rate_for(line.sku.product.tax_class),
            )
        )
    shipping_rates = catalog_shipping_rates(
        cart.catalog, group_id=link_shipping_group_id(cart.order_link_id)
    )
    tax = taxed_lines_totals(
        lines=[(p.amount, p.tax_rate) for p in lines],
        currency=cart.catalog.currency,
        rounding=rules.rounding,
        shipping=shipping_line(
            shipping_rates,
            country=buyer.country if buyer else "",
            net=sum((p.amount for p in lines), Decimal("0.00")),
            rate=rules.standard,
        ),
    )
    return PricedCart(
        cart=cart,
        buyer=buyer,
        lines=lines,
        total_quantity=sum(p.line.quantity for p in lines),
        total_amount=tax.net,
        currency=cart.catalog.currency,
        tax=tax,
        tax_changes=(
            _tax_changes(order_id=cart.source_order_id, lines=lines)
            if cart.source_order_id is not None
            else []
        ),
        rounding_changed=_rounding_changed(cart=cart, today=tax),
        shipping_changed=_shipping_changed(cart=cart, today=tax),
        shipping_bands=_bands_for(shipping_rates, country=buyer.country if buyer else ""),
    )


def _rounding_changed(*, cart: Cart, today: TaxTotals) -> bool:
    """Say whether the returned order was taxed with another rounding than today's."""
    placed = cart.source_order.tax_totals if cart.source_order is not None else None
    if not placed or not placed.get("taxes") or not today.taxes:
        return False
    return TaxTotals.from_dict(placed).rounding != today.rounding


def _bands_for(rates: list[ShippingRateRule], *, country: str) -> tuple[ShippingBand, ...]:
    rate = rate_for_country(rates, country=country)
    return rate.bands if rate is not None else ()


def _shipping_changed(*, cart: Cart, today: TaxTotals) -> bool:
    """Say whether the returned order was charged another shipping fee (or rate) than today."""
    placed = cart.source_order.tax_totals if cart.source_order is not None else None
    if not placed:
        return today.shipping is not None
    return not TaxTotals.from_dict(placed).same_shipping_as(today)


def _tax_changes(*, order_id: int, lines: list[PricedCartLine]) -> list[TaxRateChange]:
    """Compare the cart's rates today with those its returned order's lines were placed at."""
    rows = OrderLine.objects.filter(order_id=order_id).values_list(
        "sku_id", "tax_name", "tax_rate", "tax_reduced"
    )
    placed = {
        sku_id: AppliedRate(name=name, rate=rate, reduced=reduced) if rate is not None else None
        for sku_id, name, rate, reduced in rows
    }
    return [
        TaxRateChange(sku_number=p.line.sku.sku_number, was=placed[p.line.sku_id], now=p.tax_rate)
        for p in lines
        if p.line.sku_id in placed and placed[p.line.sku_id] != p.tax_rate
    ]


# --- Buyer App: the catalog grid and the Draft Order List ------------------------------------


def cart_for_catalog(*, organization: BuyerOrganization, catalog_id: int) -> Cart | None:
    """Return the organisation's cart for the catalog with its lines (two queries), or None."""
    return (
        Cart.objects.filter(organization=organization, catalog_id=catalog_id)
        .prefetch_related(Prefetch("lines", queryset=CartLine.objects.order_by("id")))
        .first()
    )


@dataclass(frozen=True)
class CartSummary:
    cart: Cart
    line_count: int
    total_quantity: int
    total_amount: Decimal
    currency: str
    unorderable_count: int


def cart_summaries(*, organization: BuyerOrganization) -> list[CartSummary]:
    """Return the organisation's carts, newest first, with counts and totals (three queries).

    Lines are summed in the database per retail price, so the cost does not grow with the
    lines; each unit price is rounded before it is multiplied, so totals equal `cart_priced`'s.
    """
    carts = list(carts_of_organization(organization=organization))
    if not carts:
        return []
    rates = dict(
        Buyer.objects.filter(organization=organization).values_list("brand_id", "wholesale_rate")
    )
    groups = (
        CartLine.objects.filter(cart__organization=organization)
        .values("cart_id", "sku__retail_price", "sku__is_active")
        .annotate(lines=Count("id"), quantity=Sum("quantity"))
        .order_by()
    )
    rate_of = {cart.pk: rates.get(cart.brand_id, Decimal("1")) for cart in carts}
    lines: Counter[int] = Counter()
    quantities: Counter[int] = Counter()
    unorderable: Counter[int] = Counter()
    amounts: dict[int, Decimal] = defaultdict(Decimal)
    for group in groups:
        cart_id = group["cart_id"]
        if cart_id not in rate_of:  # a cart opened after the carts were read
            continue
        unit = wholesale_price(
            retail_price=group["sku__retail_price"], wholesale_rate=rate_of[cart_id]
        )
        lines[cart_id] += group["lines"]
        quantities[cart_id] += group["quantity"]
        amounts[cart_id] += unit * group["quantity"]
        if not group["sku__is_active"]:
            unorderable[cart_id] += group["lines"]
    return [
        CartSummary(
            cart=cart,
            line_count=lines[cart.pk],
            total_quantity=quantities[cart.pk],
            total_amount=amounts[cart.pk],
            currency=cart.catalog.currency,
            unorderable_count=unorderable[cart.pk],
        )
        for cart in carts
    ]


# --- Return to cart -----------------------------------------------------------------------------


def return_facts(*, order: Order, today: datetime.date) -> ReturnFacts:
    """Read what the return rules need in one query, besides the order as `order_lock` reads it.

    The order comes with its buyer, the buyer's organisation and the catalog. One UNION ALL
    of (kind, number) rows answers the rest (`_return_references`), so its cost does not grow
    with the order's lines.
    """
    buyer = order.buyer
    organization = buyer.organization
    catalog = order.catalog
    found: dict[str, list[str]] = defaultdict(list)
    for kind, number in _return_references(order=order, organization=organization):
        found[kind].append(number)
    return ReturnFacts(
        status=order.status,
        buyer_name=buyer.name,
        buyer_connected=organization is not None,
        organization_name=organization.name if organization else "",
        catalog_name=catalog.name,
        cart_exists=bool(found["cart"]),
        delivery_notes=sorted(found["delivery_notes"]),
        invoices=sorted(found["invoices"]),
        backlog_skus=sorted(found["backlog_skus"]),
        consignment_catalog=catalog.consignment,
        partner_inventory_slips=sorted(found["partner_inventory_slips"]),
        catalog_status=catalog.status,
        order_deadline=catalog.order_deadline,
        today=today,
        unorderable_skus=found["unorderable"],
        off_access_list=(
            catalog.status == CatalogStatus.LIMITED
            and organization is not None
            and not found["visible"]
        ),
    )


# The documents that block a return, by the order's reverse relations: ordering asks what they
# mean ("which delivery notes reference it?") without importing the documents app.
RETURN_DOCUMENTS = ("delivery_notes", "invoices", "backlog_skus", "partner_inventory_slips")


def _rows(queryset: QuerySet[Any], kind: str, number: str | Value) -> QuerySet[Any, Any]:
    """Rows of (kind, number) of the queryset, to be joined with others in one UNION ALL."""
    # Both columns as expressions, so every part of the union selects them in this order.
    text = CharField()
    return queryset.order_by().values_list(
        Value(kind, output_field=text),
        F(number) if isinstance(number, str) else number,
    )


def _document_rows(*, order: Order, relations: Sequence[str]) -> list[QuerySet[Any, Any]]:
    """For each document relation of the order, its documents' rows of (relation, number)."""
    parts = []
    for relation in relations:
        reference = Order._meta.get_field(relation)
        assert isinstance(reference, ForeignObjectRel)
        documents = reference.related_model._default_manager.filter(**{reference.field.name: order})
        parts.append(_rows(documents, relation, "number"))
    return parts


def _return_references(
    *, order: Order, organization: BuyerOrganization | None
) -> QuerySet[Any, tuple[str, str]]:
    """Rows of (kind, number), in one query: `cart` when the organisation has a cart for the
    catalog, a row per document referencing the order (kind = its relation), `unorderable`
    per line whose SKU can no longer be ordered, `visible` when the organisation sees the
    catalog (asked only of a limited one)."""
    parts = [
        _rows(
            Cart.objects.filter(organization=organization, catalog_id=order.catalog_id),
            "cart",
            Value("", output_field=CharField()),
        ),
        *_document_rows(order=order, relations=RETURN_DOCUMENTS),
        _rows(
            OrderLine.objects.filter(order=order, sku__is_active=False),
            "unorderable",
            "sku_number",
        ),
    ]
    if organization is not None and order.catalog.status == CatalogStatus.LIMITED:
        parts.append(
            _rows(
                catalogs_visible_to(organization=organization).filter(pk=order.catalog_id),
                "visible",
                Value("", output_field=CharField()),
            )
        )
    return parts[0].union(*parts[1:], all=True)


@dataclass(frozen=True)
class ReturnCheck:
    returnable: bool
    blockers: list[Blocker]
    warnings: list[Blocker]


def order_return_check(*, order: Order, today: datetime.date) -> ReturnCheck:
    """Say whether the order can be returned now, with every blocker and warning (a UI hint).

    The service checks again under the lock; this answer is not a guarantee.
    """
    facts = return_facts(order=order, today=today)
    blockers = return_to_cart_blockers(facts)
    return ReturnCheck(
        returnable=not blockers, blockers=blockers, warnings=return_to_cart_warnings(facts)
    )


# The documents that stop a rejection, by the order's reverse relations (see RejectFacts).
REJECT_DOCUMENTS = ("backlog_skus", "delivery_notes", "invoices")


def reject_facts(*, order: Order) -> RejectFacts:
    """Read the numbers of the documents that stop the order's rejection, in one query."""
    first, *others = _document_rows(order=order, relations=REJECT_DOCUMENTS)
    found: dict[str, list[str]] = defaultdict(list)
    for kind, number in first.union(*others, all=True):
        found[kind].append(number)
    return RejectFacts(**{relation: sorted(found[relation]) for relation in REJECT_DOCUMENTS})


def order_reject_blockers(*, order: Order) -> list[Blocker]:
    """Return why the order cannot be rejected now (a UI hint; the service checks again)."""
    return reject_blockers(reject_facts(order=order))


@dataclass(frozen=True)
class OcProposal:
    """The brand's OC quantity for a SKU beside what the returned cart holds."""

    sku_number: str
    cart_quantity: int
    oc_quantity: int


def cart_oc_proposals(*, cart: Cart) -> list[OcProposal]:
    """For a cart returned from an order with an OC, pair cart and OC quantities per SKU.

    SKUs the brand removed have OC quantity 0; SKUs it added have cart quantity 0. Empty when
    the order had no OC or the quantities already agree.
    """
    if cart.source_order_id is None:
        return []
    # The OC lives in the documents app: reached through the app registry, not an import.
    oc_line_model = apps.get_model("documents", "OrderConfirmationLine")
    oc_lines = list(
        oc_line_model._default_manager.filter(
            confirmation__order_id=cart.source_order_id
        ).values_list("sku_number", "quantity")
    )
    if not oc_lines:
        return []
    oc = dict(oc_lines)
    in_cart = dict(CartLine.objects.filter(cart=cart).values_list("sku__sku_number", "quantity"))
    numbers = list(in_cart) + [number for number in oc if number not in in_cart]
    proposals = [
        OcProposal(sku_number=n, cart_quantity=in_cart.get(n, 0), oc_quantity=oc.get(n, 0))
        for n in numbers
    ]
    if all(p.cart_quantity == p.oc_quantity for p in proposals):
        return []
    return proposals
