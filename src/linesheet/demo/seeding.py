"""Put the demo data in: each row made by the service that makes it in the product.

Every row is looked up by its natural key first, so seeding again changes nothing, and demo
data added here later is filled in by the next seed.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

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
from linesheet.catalog.models import Catalog, Product
from linesheet.catalog.services import SkuInput, catalog_create, product_create
from linesheet.demo.data import (
    BRANDS,
    COLOUR_CODES,
    DEMO_PASSWORD,
    OFFLINE_BUYERS,
    ORGANIZATIONS,
    SUPPORT_EMAIL,
    DemoBrand,
    DemoCatalog,
    DemoOrganization,
    size_code,
    sizes_for,
)
from linesheet.notifications.models import OutboundEmail
from linesheet.notifications.services import email_cancel

Log = Callable[[str], None]


@dataclass
class SeedReport:
    """How many rows of each kind the seed created (none on a second run)."""

    created: Counter[str] = field(default_factory=Counter)

    @property
    def changed_anything(self) -> bool:
        return sum(self.created.values()) > 0


def demo_seed(*, log: Log, today: datetime.date | None = None) -> SeedReport:
    """Create the demo brands, catalogs, buyer organisations and buyers that are missing."""
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
        product_create(catalog=catalog, model_number=model_number, name=name, skus=skus)
        new_products += 1
        new_skus += len(skus)
    report.created["products"] += new_products
    report.created["SKUs"] += new_skus
    log(
        f"Catalog {brand.name} {catalog.code} ({catalog.status}): {len(demo.products)} products"
        f" ({new_products} new, {new_skus} new SKUs)"
    )


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
