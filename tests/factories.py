"""Test data builders: plain functions with sensible defaults, one keyword per thing that varies."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from linesheet.accounts.models import (
    Brand,
    BrandMembership,
    Buyer,
    BuyerOrganization,
    OrganizationMembership,
    OrganizationRecipient,
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


def make_member(*, brand: Brand, role: str = "owner", user: User | None = None) -> User:
    user = user or make_user()
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
