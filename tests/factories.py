"""Test data builders: plain functions with sensible defaults, one keyword per thing that varies."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from linesheet.accounts.models import (
    Brand,
    BrandMembership,
    Buyer,
    BuyerOrganization,
    OrganizationMembership,
    OrganizationRecipient,
    TaxRate,
    User,
)
from linesheet.catalog.models import SKU, Catalog, Product

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def make_user(*, email: str | None = None, password: str = PASSWORD, **extra: Any) -> User:
    return User.objects.create_user(email or f"user{next(_seq)}@example.test", password, **extra)


def make_brand(*, slug: str | None = None, name: str | None = None, **extra: Any) -> Brand:
    n = next(_seq)
    return Brand.objects.create(slug=slug or f"brand-{n}", name=name or f"Brand {n}", **extra)


def make_member(*, brand: Brand, role: str | None = None, user: User | None = None) -> User:
    """Make a member of the brand: its owner when it has none yet, else an admin by default."""
    user = user or make_user()
    if role is None:
        has_owner = BrandMembership.objects.filter(brand=brand, role="owner").exists()
        role = "admin" if has_owner else "owner"
    BrandMembership.objects.create(brand=brand, user=user, role=role)
    return user


def make_organization(
    *,
    name: str | None = None,
    members: list[User] | None = None,
    recipients: list[str] | None = None,
) -> BuyerOrganization:
    organization = BuyerOrganization.objects.create(
        name=name or f"Shop {next(_seq)}",
        delivery_address="1 Delivery Street\nCopenhagen",
        billing_address="2 Billing Road\nCopenhagen",
    )
    for user in members or []:
        OrganizationMembership.objects.create(organization=organization, user=user)
    for email in recipients or []:
        OrganizationRecipient.objects.create(organization=organization, email=email)
    return organization


def make_buyer(
    *, brand: Brand, organization: BuyerOrganization | None = None, **extra: Any
) -> Buyer:
    defaults: dict[str, Any] = {
        "name": organization.name if organization else f"Offline buyer {next(_seq)}",
        "wholesale_rate": Decimal("0.5000"),
        "currency": "EUR",
    }
    defaults.update(extra)
    return Buyer.objects.create(brand=brand, organization=organization, **defaults)


def make_tax_rates(*, brand: Brand, **brand_fields: Any) -> dict[str, TaxRate]:
    """Give the brand EU VAT (19 % and 7 % by default, 20 % and 5.5 % in France) and Japan's
    consumption tax (10 % and 8 %); `brand_fields` set its rounding."""
    for field, value in brand_fields.items():
        setattr(brand, field, value)
    if brand_fields:
        brand.save(update_fields=list(brand_fields))

    def rate(name: str, rate: str, *, reduced: bool = False, **extra: Any) -> TaxRate:
        return TaxRate.objects.create(
            brand=brand, name=name, rate=Decimal(rate), reduced=reduced, **extra
        )

    return {
        "vat": rate("VAT", "19", countries=["DE"], is_default=True),
        "vat_reduced": rate("VAT", "7", reduced=True, countries=["DE"], is_default=True),
        "vat_fr": rate("TVA", "20", countries=["FR"]),
        "vat_fr_reduced": rate("TVA", "5.5", reduced=True, countries=["FR"]),
        "jct": rate("JCT", "10", countries=["JP"]),
        "jct_reduced": rate("JCT", "8", reduced=True, countries=["JP"]),
    }


def make_catalog(*, brand: Brand, skus: int = 2, **extra: Any) -> Catalog:
    """Create a catalog with one product holding `skus` SKUs."""
    n = next(_seq)
    catalog = Catalog.objects.create(
        brand=brand,
        name=extra.pop("name", f"Catalog {n}"),
        code=extra.pop("code", f"C{n}"),
        **extra,
    )
    if skus:
        product = Product.objects.create(
            brand=brand, catalog=catalog, model_number=f"M{n}", name=f"Model {n}"
        )
        SKU.objects.bulk_create(
            SKU(
                brand=brand,
                product=product,
                sku_number=f"M{n}-{i}",
                color="Black",
                size=str(36 + i),
                retail_price=Decimal("100.00"),
                position=i,
            )
            for i in range(skus)
        )
    return catalog


def make_product(
    *,
    catalog: Catalog,
    name: str | None = None,
    model_number: str | None = None,
    category: str = "",
    colors: Sequence[str] = ("Black",),
    sizes: Sequence[str] = ("M",),
    retail_price: Decimal = Decimal("100.00"),
    tax_class: str = "standard",
) -> Product:
    """Create a product of the catalog with a SKU per colour and size, colours first."""
    n = next(_seq)
    model_number = model_number or f"P{n}"
    product = Product.objects.create(
        brand_id=catalog.brand_id,
        catalog=catalog,
        model_number=model_number,
        name=name or f"Product {n}",
        category=category,
        tax_class=tax_class,
    )
    SKU.objects.bulk_create(
        SKU(
            brand_id=catalog.brand_id,
            product=product,
            sku_number=f"{model_number}-{color}-{size}",
            color=color,
            size=size,
            retail_price=retail_price,
            position=position,
        )
        for position, (color, size) in enumerate(
            (color, size) for color in colors for size in sizes
        )
    )
    return product


def make_connected_buyer(
    *, brand: Brand, members: list[User] | None = None, recipients: list[str] | None = None
) -> Buyer:
    """Create an organisation (with members and recipients) connected to the brand."""
    organization = make_organization(members=members, recipients=recipients)
    return make_buyer(brand=brand, organization=organization)


def sku_numbers(catalog: Catalog) -> list[str]:
    return list(
        SKU.objects.filter(product__catalog=catalog)
        .order_by("product_id", "position", "id")
        .values_list("sku_number", flat=True)
    )


def make_cart(*, buyer: Buyer, catalog: Catalog, quantities: dict[str, int] | None = None) -> Any:
    """Open the organisation's cart for the catalog with the given lines (through services)."""
    from linesheet.ordering.services import cart_create

    assert buyer.organization is not None
    if quantities is None:
        quantities = {number: 2 for number in sku_numbers(catalog)}
    return cart_create(organization=buyer.organization, catalog=catalog, quantities=quantities)


def make_order(
    *,
    buyer: Buyer,
    catalog: Catalog,
    quantities: dict[str, int] | None = None,
    user: User | None = None,
) -> Any:
    """Place an order for the buyer's organisation through the real services."""
    from linesheet.ordering.services import order_place

    assert buyer.organization is not None
    cart = make_cart(buyer=buyer, catalog=catalog, quantities=quantities)
    return order_place(cart_id=cart.pk, organization=buyer.organization, placed_by=user)


def order_again(
    *,
    order: Any,
    quantities: dict[str, int] | None = None,
    oc: dict[str, int] | None = None,
    actor: User | None = None,
    user: User | None = None,
    **header: Any,
) -> Any:
    """Return `order` to the buyer's cart and place it again, through the real services.

    `oc` first saves the brand's OC with those quantities; `quantities` replaces the returned
    cart's lines and `header` changes its date, comment or addresses before placing.
    """
    from linesheet.documents.services import confirmation_save
    from linesheet.ordering.services import (
        cart_set_lines,
        cart_update,
        order_place,
        order_return_to_cart,
    )

    if oc is not None:
        confirmation_save(
            order_id=order.pk,
            quantities=oc,
            allow_buyer_approval=False,
            actor=actor,
            notify=False,
        )
    _returned, cart = order_return_to_cart(order_id=order.pk, actor=actor, notify=False)
    if quantities is not None:
        cart_set_lines(cart=cart, quantities=quantities)
    if header:
        cart_update(cart=cart, **header)
    return order_place(cart_id=cart.pk, organization=cart.organization, placed_by=user)


def make_order_placed_again(*, buyer: Buyer, skus: int, actor: User | None = None) -> Any:
    """An order of `skus` lines placed again with every line changed from the brand's OC.

    The returned order has 2 of each SKU, its OC 3 and the new order 5: for the cost of the
    order's pages and resources, whatever its number of lines.
    """
    catalog = make_catalog(brand=buyer.brand, skus=skus)
    numbers = sku_numbers(catalog)
    return order_again(
        order=make_order(buyer=buyer, catalog=catalog),
        oc={number: 3 for number in numbers},
        quantities={number: 5 for number in numbers},
        actor=actor,
    )


# Statuses in which an order has its OC.
OC_STATUSES = frozenset({"oc_created", "oc_approved", "oc_rejected", "oc_confirmed"})


def oc_quantities(order: Any) -> dict[str, int]:
    """The original quantities, one more of the first line, and the last line removed."""
    lines = list(order.lines.order_by("position"))
    quantities = {line.sku_number: line.quantity for line in lines[:-1]}
    quantities[lines[0].sku_number] += 1
    return quantities


def order_walk_to(
    order: Any,
    status: str,
    *,
    brand_user: User,
    buyer_user: User,
    allow_buyer_approval: bool = True,
    rejection_note: str = "",
) -> Any:
    """Walk a placed order to `status` through the services, as the brand and the buyer would.

    An OC, in the statuses that have one, holds `oc_quantities(order)`.
    """
    from linesheet.documents import services as documents
    from linesheet.ordering import services as ordering

    organization = order.organization
    if status in OC_STATUSES:
        documents.confirmation_save(
            order_id=order.pk,
            quantities=oc_quantities(order),
            allow_buyer_approval=allow_buyer_approval,
            actor=brand_user,
            notify=False,
        )
    if status == "oc_approved":
        documents.confirmation_approve(
            order_id=order.pk, organization=organization, actor=buyer_user
        )
    if status == "oc_rejected":
        documents.confirmation_reject(
            order_id=order.pk, organization=organization, actor=buyer_user, note=rejection_note
        )
    if status == "oc_confirmed":
        documents.confirmation_confirm(order_id=order.pk, actor=brand_user, notify=False)
    if status == "rejected":
        ordering.order_reject(order_id=order.pk, actor=brand_user, notify=False)
    if status == "returned_to_cart":
        ordering.order_return_to_cart(order_id=order.pk, actor=brand_user, notify=False)
    order.refresh_from_db()
    assert order.status == status
    return order


def add_product_image(
    product: Any,
    *,
    color: str = "",
    rgb: tuple[int, int, int] = (200, 40, 40),
    thumbnails: bool = True,
) -> Any:
    """Add one image to the product through the real service; make its thumbnails unless not."""
    from linesheet.catalog.images import product_image_thumbnails_make
    from linesheet.catalog.services import product_images_add
    from tests.image_files import image_bytes, upload

    [image] = product_images_add(
        product=product,
        files=[upload(image_bytes(size=(80, 60), color=rgb))],
        color=color,
        actor=None,
    )
    if thumbnails:
        product_image_thumbnails_make(image_id=image.pk)
        image.refresh_from_db()
    return image


def make_shipping_group(
    *, brand: Brand, catalog: Catalog | None = None, currency: str = "EUR", **extra: Any
) -> Any:
    """Give the brand a shipping group (through the service), named by `catalog` if given.

    By default: Germany 9.90 below 200.00 and free from 200.00; everywhere else 25.00.
    """
    from linesheet.accounts.shipping import shipping_group_create

    group = shipping_group_create(
        brand=brand,
        name=extra.pop("name", "Standard"),
        currency=currency,
        rates=extra.pop(
            "rates",
            [
                {
                    "country": "DE",
                    "bands": [{"from": "0", "fee": "9.90"}, {"from": "200", "fee": "0"}],
                },
                {"country": "", "bands": [{"from": "0", "fee": "25.00"}]},
            ],
        ),
    )
    if catalog is not None:
        catalog.shipping_group = group
        catalog.save(update_fields=["shipping_group"])
    return group
