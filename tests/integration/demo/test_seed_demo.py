from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import timezone

from linesheet.accounts.models import Brand, BrandMembership, Buyer, BuyerOrganization, User
from linesheet.catalog.models import SKU, Catalog, Product
from linesheet.catalog.shipping import catalog_shipping_rates
from linesheet.catalog.taxes import tax_rules_for
from linesheet.core.shipping import shipping_fee
from linesheet.demo.data import ATELIER
from linesheet.demo.seeding import demo_order_plan
from linesheet.notifications.models import EmailStatus, OutboundEmail
from linesheet.ordering.models import Order, OrderEvent, OrderLine, OrderNumbering
from linesheet.ordering.taxes import order_tax_totals

pytestmark = pytest.mark.django_db

DEMO_LOGINS = [
    "owner@atelier.test",
    "viewer@atelier.test",
    "staff@atelier.test",
    "owner@nordlys.test",
    "buyer@maison.test",
    "buyer@feld.test",
    "buyer@bottega.test",
    "support@linesheet.test",
]


# What a second seed must leave as it was, order by order.
ORDER_STATE = ("code", "placed_at", "total_amount", "status", "archived", "updated_at")


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {
            "accounts",
            "catalog",
            "documents",
            "notifications",
            "ordering",
            "django_tasks_database",
        }
    }


def test_seeding_creates_the_demo_brands_with_their_members() -> None:
    seed()

    assert sorted(Brand.objects.values_list("slug", flat=True)) == ["atelier", "nordlys"]
    roles = dict(
        BrandMembership.objects.filter(brand__slug="atelier").values_list("user__email", "role")
    )
    assert roles == {
        "owner@atelier.test": "owner",
        "viewer@atelier.test": "viewer",
        "staff@atelier.test": "staff",
    }
    assert BrandMembership.objects.get(brand__slug="nordlys").user.email == "owner@nordlys.test"


def test_every_demo_login_works_with_the_demo_password() -> None:
    seed()

    for email in DEMO_LOGINS:
        assert authenticate(email=email, password="linesheet-demo") is not None, email
    support = User.objects.get(email="support@linesheet.test")
    assert support.is_staff and support.is_superuser
    assert not User.objects.get(email="owner@atelier.test").is_staff


def test_each_brand_has_an_open_and_a_limited_catalog_of_about_twenty_products() -> None:
    seed()

    today = timezone.localdate()
    for slug in ("atelier", "nordlys"):
        catalogs = {c.status: c for c in Catalog.objects.filter(brand__slug=slug)}
        assert set(catalogs) == {"open", "limited"}
        assert catalogs["open"].order_deadline is None
        deadline = catalogs["limited"].order_deadline
        assert deadline is not None and deadline > today + datetime.timedelta(days=7)
        for catalog in catalogs.values():
            assert catalog.products.count() == 20
    assert SKU.objects.count() > 800


def test_skus_come_in_colours_and_sizes_with_decimal_retail_prices() -> None:
    seed()

    product = Product.objects.get(brand__slug="atelier", model_number="AT-S27-101")
    skus = list(product.skus.order_by("position"))
    assert product.name == "Linen Camp Shirt"
    assert {sku.size for sku in skus} == {"XS", "S", "M", "L", "XL"}
    assert len({sku.color for sku in skus}) >= 2
    assert skus[0].sku_number == "AT-S27-101-ECR-XS"
    assert skus[0].retail_price == Decimal("129.00")
    assert isinstance(skus[0].retail_price, Decimal)
    one_size = Product.objects.get(name="Canvas Tote Bag").skus.values_list("size", flat=True)
    assert set(one_size) == {"One size"}


def test_every_demo_product_is_filed_under_a_category_buyers_can_filter_by() -> None:
    seed()

    categories = dict(Product.objects.values_list("name", "category"))
    assert "" not in categories.values()
    assert categories["Cable Knit Cardigan"] == "Knitwear"
    assert categories["Double-Faced Wool Coat"] == "Outerwear"
    assert categories["Canvas Tote Bag"] == "Accessories"
    for catalog in Catalog.objects.all():
        assert catalog.products.values("category").distinct().count() >= 3, catalog.code


def test_three_shops_are_connected_through_accepted_invitations() -> None:
    seed()

    maison = BuyerOrganization.objects.get(memberships__user__email="buyer@maison.test")
    assert maison.name.startswith("Maison")
    assert maison.delivery_address and maison.billing_address
    assert set(maison.recipients.values_list("email", flat=True)) == {
        "buyer@maison.test",
        "orders@maison.test",
    }
    connected = Buyer.objects.filter(organization__isnull=False)
    assert sorted(connected.filter(brand__slug="atelier").values_list("name", flat=True)) == [
        "Bottega Rossi",
        "Feld & Söhne",
        "Maison Margaux",
    ]
    assert connected.filter(brand__slug="nordlys").count() == 2
    for buyer in connected.select_related("organization"):
        [invitation] = buyer.invitations.all()
        assert invitation.accepted_at is not None
        assert buyer.organization is not None
        assert invitation.accepted_by == buyer.organization.memberships.get().user


def test_atelier_has_two_offline_buyers() -> None:
    seed()

    offline = Buyer.objects.filter(brand__slug="atelier", organization__isnull=True)
    assert offline.count() == 2
    assert all(buyer.email for buyer in offline)


def test_the_invitation_emails_of_the_seed_are_cancelled_not_sent(
    smtp_server: Any, run_worker: Any
) -> None:
    seed()

    run_worker()

    assert smtp_server.messages == []
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {EmailStatus.CANCELLED}
    assert OutboundEmail.objects.filter(kind="invitation").count() == 5


def test_the_connected_shops_have_placed_orders_in_both_catalogs_of_each_brand() -> None:
    seed()

    # The plan's orders; a few more were placed again from returned carts (see the stories).
    atelier = Order.objects.filter(brand__slug="atelier", replaces__isnull=True)
    assert atelier.count() == 60
    assert Order.objects.filter(brand__slug="nordlys").count() == 8
    for slug in ("atelier", "nordlys"):
        for catalog in Catalog.objects.filter(brand__slug=slug):
            assert catalog.orders.count() >= 2, catalog.code
        connected = Buyer.objects.filter(brand__slug=slug, organization__isnull=False)
        for buyer in connected:
            assert buyer.orders.exists(), buyer.name
    assert set(atelier.values_list("route", flat=True)) == {"buyer_app", "order_link", "proxy"}
    assert set(Order.objects.filter(brand__slug="nordlys").values_list("status", flat=True)) == {
        "awaiting_oc"
    }
    for order in Order.objects.all():
        lines = list(OrderLine.objects.filter(order=order))
        assert order.line_count == len(lines) > 0
        assert order.total_quantity == sum(line.quantity for line in lines)
        assert order.total_amount == sum(line.amount for line in lines)
        assert order.placed_by is not None
    assert atelier.exclude(comment="").exists()
    assert atelier.filter(desired_delivery_date__isnull=False).exists()


def test_atelier_order_codes_follow_its_numbering_rule_and_are_unique() -> None:
    seed()

    numbering = OrderNumbering.objects.get(brand__slug="atelier")
    assert (numbering.date_format, numbering.prefix, numbering.width) == ("%Y", "AT-", 5)
    year = timezone.localdate().year
    codes = list(
        Order.objects.filter(brand__slug="atelier", replaces__isnull=True)
        .order_by("placed_at", "id")
        .values_list("code", flat=True)
    )
    assert all(re.fullmatch(rf"{year}AT-\d{{5}}", code) for code in codes), codes
    # Numbered in the order they were placed: oldest first.
    assert codes == [f"{year}AT-{n:05d}" for n in range(1, 61)]
    # Orders placed again from returned carts took the next codes.
    again = Order.objects.filter(brand__slug="atelier", replaces__isnull=False)
    assert sorted(again.values_list("code", flat=True)) == [f"{year}AT-00061", f"{year}AT-00062"]
    nordlys = Order.objects.filter(brand__slug="nordlys").values_list("code", flat=True)
    assert sorted(nordlys) == [f"{n:06d}" for n in range(1, 9)]


def test_demo_orders_are_spread_over_the_last_ninety_days() -> None:
    seed()

    now = timezone.now()
    moments = list(Order.objects.values_list("placed_at", flat=True))
    assert min(moments) >= now - datetime.timedelta(days=91)
    assert max(moments) < now
    assert len({moment.date() for moment in moments}) > 30
    # The order's events moved with it.
    for order in Order.objects.all():
        placed = OrderEvent.objects.get(order=order, type="placed")
        assert placed.created_at == order.placed_at


def test_the_order_plan_is_the_same_on_every_run() -> None:
    seed()
    brand = Brand.objects.get(slug="atelier")

    first, second = (
        demo_order_plan(brand=brand, demo=ATELIER),
        demo_order_plan(brand=brand, demo=ATELIER),
    )

    assert first == second
    assert len(first) == 60


def test_seeding_twice_changes_no_row_counts_and_says_so() -> None:
    first = seed()
    counts = row_counts()
    orders = list(Order.objects.order_by("id").values_list(*ORDER_STATE))

    second = seed()

    assert "Demo data created" in first
    assert "68 orders" in first
    assert "Orders of Atelier: 60 from AW27-PRE, SS27 (60 new" in first
    assert row_counts() == counts
    assert list(Order.objects.order_by("id").values_list(*ORDER_STATE)) == orders
    assert "already there; nothing changed" in second
    assert "Orders of Atelier: 60 (none new)" in second
    assert "Order histories of Atelier: 27 (27 new)" in first
    assert "Order histories of Atelier: 27 (0 new)" in second


def test_the_demo_taxes_orders_at_eu_vat_and_japanese_consumption_tax_by_the_buyers_country() -> (
    None
):
    seed()

    atelier = Brand.objects.get(slug="atelier")
    labels = {str(rate) for rate in atelier.tax_rates.all()}
    assert {"TVA 20 %", "TVA 5.5 %", "MwSt 19 %", "MwSt 7 %", "JCT 10 %", "JCT 8 %"} <= labels
    assert atelier.legal_name == "Atelier SAS"
    assert atelier.bank_accounts[0]["iban"] == "FR7630006000011234567890189"
    feld = Order.objects.filter(brand=atelier, buyer__name="Feld & Söhne").first()
    assert feld is not None and feld.buyer.country == "DE"
    totals = order_tax_totals(feld)
    assert {t.rate.name for t in totals.taxes} == {"MwSt"}
    assert totals.gross == totals.net + totals.tax > totals.net
    harbour = atelier.buyers.get(name="Harbour Supply Co.")
    assert (harbour.country, tax_rules_for(brand=atelier, country="JP").reduced.rate) == (  # type: ignore[union-attr]
        "JP",
        Decimal("8"),
    )


def test_the_demo_ships_atelier_spring_summer_for_a_fee_and_free_above_a_net_amount() -> None:
    seed()

    catalog = Catalog.objects.get(brand__slug="atelier", code="SS27")
    assert catalog.shipping_group is not None
    rates = catalog_shipping_rates(catalog)
    assert shipping_fee(rates, country="FR", net=Decimal("499.99")) == Decimal("12.00")
    assert shipping_fee(rates, country="FR", net=Decimal("500.00")) == Decimal("0.00")
    assert shipping_fee(rates, country="JP", net=Decimal("100.00")) == Decimal("45.00")
