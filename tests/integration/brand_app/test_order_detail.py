from __future__ import annotations

import datetime
import html
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from linesheet.documents import services as documents
from linesheet.ordering.events import OrderEventType, record_event
from linesheet.ordering.models import Cart, Order, OrderNumbering
from linesheet.ordering.numbering import order_numbering_update
from linesheet.ordering.services import cart_set_lines, cart_update, order_place
from tests import factories
from tests.page_text import changes_panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop_user() -> Any:
    return factories.make_user(email="margaux@shop.test", full_name="Margaux Lefèvre")


@pytest.fixture
def buyer(brand: Any, shop_user: Any) -> Any:
    return factories.make_connected_buyer(brand=brand, members=[shop_user])


@pytest.fixture
def catalog(brand: Any) -> Any:
    return factories.make_catalog(brand=brand, skus=3, code="SS27", name="Spring Summer 2027")


def page_of(brand: Any, order: Any) -> str:
    return reverse("brand-order-detail", args=[brand.slug, order.code])


def text_of(response: Any) -> str:
    assert response.status_code == 200
    return " ".join(html.unescape(response.content.decode()).split())


def test_the_order_page_shows_the_header_and_the_original_order(
    owner_client: Client, brand: Any, buyer: Any, catalog: Any, shop_user: Any
) -> None:
    delivery = timezone.localdate() + datetime.timedelta(days=30)
    cart = factories.make_cart(buyer=buyer, catalog=catalog)
    cart_update(cart=cart, desired_delivery_date=delivery, comment="Ship the black first.")
    order = order_place(cart_id=cart.pk, organization=buyer.organization, placed_by=shop_user)

    text = text_of(owner_client.get(page_of(brand, order)))

    assert order.code in text
    assert "Please create an OC" in text
    assert "Buyer App" in text
    assert f'href="{reverse("brand-buyer-detail", args=[brand.slug, buyer.pk])}"' in text
    assert f'href="{reverse("brand-catalog-detail", args=[brand.slug, catalog.pk])}"' in text
    assert "Spring Summer 2027" in text
    assert order.placed_at.strftime("%Y-%m-%d %H:%M") in text
    assert "Margaux Lefèvre" in text
    assert delivery.isoformat() in text
    assert "Ship the black first." in text
    assert "1 Delivery Street" in text and "2 Billing Road" in text
    product = catalog.products.get()
    for line in order.lines.all():
        row = f'{line.sku_number}</td> <td class="num">2</td> <td class="num">50.00</td>'
        assert row in text
    assert product.model_number in text and product.name in text
    assert "Black" in text and ">36<" in text
    assert "Total, 3 lines" in text
    assert "300.00" in text
    assert "Unit price (EUR)" in text


def test_the_history_tells_the_events_in_plain_words(
    owner_client: Client, brand: Any, buyer: Any, catalog: Any, shop_user: Any, owner: Any
) -> None:
    order = factories.make_order(buyer=buyer, catalog=catalog, user=shop_user)
    record_event(
        order=order,
        type=OrderEventType.STATUS_CHANGED,
        actor=owner,
        previous="awaiting_oc",
        status="oc_created",
    )
    record_event(
        order=order,
        type=OrderEventType.TAGS_CHANGED,
        actor=None,
        before=[],
        after=["rush", "VIP"],
    )

    text = text_of(owner_client.get(page_of(brand, order)))

    history = text.split("History", 1)[1]
    assert history.index("Order placed") < history.index("Status changed")
    assert "by Margaux Lefèvre" in history
    assert "Route: Buyer App. 3 lines." in history
    assert f"by {owner.email}" in history
    assert "Status: from “Please create an OC” to “OC created”." in history
    assert "Tags: none → rush, VIP" in history
    assert "by linesheet" in history


def test_a_replaced_order_and_its_replacement_link_to_each_other(
    owner_client: Client, brand: Any, buyer: Any, catalog: Any
) -> None:
    returned = factories.make_order(buyer=buyer, catalog=catalog)
    # Test set-up only: the cart a return would have made, pointing at the returned order.
    cart = Cart.objects.create(
        organization=buyer.organization,
        catalog=catalog,
        brand=brand,
        returned_by_brand=True,
        source_order=returned,
    )
    cart_set_lines(cart=cart, quantities={number: 1 for number in factories.sku_numbers(catalog)})
    again = order_place(cart_id=cart.pk, organization=buyer.organization, placed_by=None)

    returned_text = text_of(owner_client.get(page_of(brand, returned)))
    again_text = text_of(owner_client.get(page_of(brand, again)))

    assert f'ordered this again as <a class="code" href="{page_of(brand, again)}">' in (
        returned_text
    )
    assert "Placed again as a new order" in returned_text
    assert f'replaces the returned order <a class="code" href="{page_of(brand, returned)}">' in (
        again_text
    )


def test_the_order_page_costs_the_same_queries_for_one_and_for_fifty_lines(
    owner_client: Client, brand: Any, buyer: Any
) -> None:
    small = factories.make_order(buyer=buyer, catalog=factories.make_catalog(brand=brand, skus=1))
    big_catalog = factories.make_catalog(brand=brand, skus=50)
    factories.add_product_image(big_catalog.products.get())  # every line shows a picture
    big = factories.make_order(buyer=buyer, catalog=big_catalog)

    def queries(order: Any) -> int:
        with CaptureQueriesContext(connection) as captured:
            text_of(owner_client.get(page_of(brand, order)))
        return len(captured)

    assert big.line_count == 50
    assert queries(small) == queries(big)
    # Session, user, memberships, organisations, the order, its lines, its events (7); its OC,
    # delivery notes, invoices, backlog SKUs, transfer slips and tags (6, with none of them);
    # the lines' pictures (1); whether it can be returned to the buyer's cart (2: the buyer's
    # organisation, then one query for the cart, the documents and the unorderable lines).
    assert queries(big) == 16
    assert owner_client.get(page_of(brand, big)).text.count('<img class="thumb thumb-s"') == 50


def test_another_brands_order_is_not_found(owner_client: Client, brand: Any) -> None:
    other = factories.make_brand()
    order_numbering_update(brand=other, date_format="", prefix="OT-", width=4, suffix="")
    foreign = factories.make_order(
        buyer=factories.make_connected_buyer(brand=other),
        catalog=factories.make_catalog(brand=other),
    )

    assert foreign.code == "OT-0001"
    assert owner_client.get(page_of(brand, foreign)).status_code == 404
    assert owner_client.get(page_of(other, foreign)).status_code == 404


def test_a_member_of_another_brand_cannot_open_the_order(
    client: Client, brand: Any, buyer: Any, catalog: Any
) -> None:
    order = factories.make_order(buyer=buyer, catalog=catalog)
    client.force_login(factories.make_member(brand=factories.make_brand(), role="owner"))

    assert client.get(page_of(brand, order)).status_code == 404


def test_an_archived_order_still_opens(
    viewer_client: Client, brand: Any, buyer: Any, catalog: Any
) -> None:
    order = factories.make_order(buyer=buyer, catalog=catalog)
    Order.objects.filter(pk=order.pk).update(archived=True, status="rejected")

    text = text_of(viewer_client.get(page_of(brand, order)))

    assert "Order rejected" in text
    assert "Archived" in text


def test_a_code_issued_with_a_slash_opens_its_page(
    owner_client: Client, brand: Any, buyer: Any, catalog: Any
) -> None:
    # A rule saved before prefixes lost "/" (the service refuses it now).
    OrderNumbering.objects.create(brand=brand, date_format="%Y", prefix="/AT/", width=3)
    order = factories.make_order(buyer=buyer, catalog=catalog)

    assert "/AT/001" in order.code
    assert order.code in text_of(owner_client.get(page_of(brand, order)))
    listing = text_of(owner_client.get(reverse("brand-orders", args=[brand.slug])))
    assert f'href="{page_of(brand, order)}"' in listing


def changes_of(response: Any) -> str:
    return changes_panel(response, until="Addresses and comment")


def test_the_new_order_page_shows_what_changed_against_the_returned_order(
    owner_client: Client, brand: Any, buyer: Any, owner: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=4)
    a, b, c, d = factories.sku_numbers(catalog)
    returned = factories.make_order(buyer=buyer, catalog=catalog, quantities={a: 2, b: 3, c: 1})
    later = timezone.localdate() + datetime.timedelta(days=45)
    new = factories.order_again(
        order=returned,
        oc={a: 4, b: 1, c: 1},  # the brand's OC changed a and b
        quantities={a: 4, b: 5, d: 2},  # took a, not b; dropped c; added d
        actor=owner,
        desired_delivery_date=later,
        comment="Ship the <b>coats</b> first",
    )

    panel = changes_of(owner_client.get(page_of(brand, new)))

    assert f"Against the returned order {returned.code}, which this order replaces." in panel
    assert "2 lines changed 1 line added 1 line removed Total quantity" in panel
    assert "Total quantity 6 → 11; amount 300.00 → 550.00 EUR." in panel
    assert (
        "The returned order's OC changed 2 lines; this order took the brand's quantities on 1 "
        "of them."
    ) in panel
    assert f"Not taken: {b} (OC 1, ordered 5)" in panel
    # In the catalog's order, the dropped line where it was: old → new quantity, OC, amount.
    table = panel.split("Amount (EUR)", 1)[1]
    assert table.index(a) < table.index(b) < table.index(c) < table.index(d)
    assert f"{a} Changed 2 → 4 4 ✓(taken) 100.00 → 200.00" in panel
    assert f"{b} Changed 3 → 5 1 150.00 → 250.00" in panel
    assert f"{c} Removed 1 → 0 1 50.00 → 0.00" in panel
    assert f"{d} Added 0 → 2 0 0.00 → 100.00" in panel
    assert f"Desired delivery date — → {later.isoformat()}" in panel
    assert "Comment — → Ship the <b>coats</b> first" in panel  # the text as typed


def test_a_replacing_order_shows_its_page_links_and_escapes_what_the_buyer_typed(
    owner_client: Client, brand: Any, buyer: Any, catalog: Any
) -> None:
    returned = factories.make_order(buyer=buyer, catalog=catalog)
    new = factories.order_again(order=returned, comment="<script>alert(1)</script>")

    response = owner_client.get(page_of(brand, new))

    content = response.content.decode()
    assert f'Against the returned order <a class="code" href="{page_of(brand, returned)}">' in (
        content
    )
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_an_order_placed_again_unchanged_says_so_and_an_order_replacing_none_shows_no_changes(
    owner_client: Client, brand: Any, buyer: Any, catalog: Any
) -> None:
    returned = factories.make_order(buyer=buyer, catalog=catalog)
    new = factories.order_again(order=returned)

    panel = changes_of(owner_client.get(page_of(brand, new)))
    returned_text = text_of(owner_client.get(page_of(brand, returned)))

    assert "Ordered again without changes" in panel
    assert "OC" not in panel  # the returned order had none
    assert "What changed" not in returned_text


def test_the_new_order_page_costs_the_same_queries_for_one_and_for_fifty_changed_lines(
    owner_client: Client, brand: Any, buyer: Any, owner: Any
) -> None:
    small, big = (
        factories.make_order_placed_again(buyer=buyer, skus=skus, actor=owner) for skus in (1, 50)
    )

    def queries(order: Any) -> int:
        with CaptureQueriesContext(connection) as captured:
            text_of(owner_client.get(page_of(brand, order)))
        return len(captured)

    assert big.line_count == 50
    assert queries(small) == queries(big)
    # The 16 of any order page, and the returned order's lines, its OC and the OC's lines.
    assert queries(big) == 19


def test_each_line_of_the_order_its_oc_and_the_oc_editor_shows_the_picture_of_its_colour(
    owner_client: Client, brand: Any, buyer: Any, catalog: Any, owner: Any, shop_user: Any
) -> None:
    from linesheet.catalog.images import product_image_url
    from linesheet.catalog.models import SKU

    product = catalog.products.get()
    first, *_others = SKU.objects.filter(product=product).order_by("position")
    SKU.objects.filter(pk=first.pk).update(color="Ecru")
    every_colour = factories.add_product_image(product)
    ecru = factories.add_product_image(product, color="Ecru")
    order = factories.order_walk_to(
        factories.make_order(buyer=buyer, catalog=catalog),
        "oc_created",
        brand_user=owner,
        buyer_user=shop_user,
    )

    page = owner_client.get(page_of(brand, order)).content.decode()
    editor = owner_client.get(
        reverse("brand-order-confirmation", args=[brand.slug, order.code])
    ).content.decode()

    ecru_url = html.escape(product_image_url(ecru, "s") or "")
    every_url = html.escape(product_image_url(every_colour, "s") or "")
    # The Original Order's three lines and the OC's three (one of them removed).
    assert page.count(f'src="{ecru_url}"') == 2
    assert page.count(f'src="{every_url}"') == 4
    assert editor.count(f'src="{ecru_url}"') == 1
    assert editor.count(f'src="{every_url}"') == 2
    assert "thumb-placeholder" not in page


def test_a_line_without_a_picture_shows_the_placeholder(
    owner_client: Client, brand: Any, buyer: Any, catalog: Any
) -> None:
    factories.add_product_image(catalog.products.get(), thumbnails=False)  # not made yet
    order = factories.make_order(buyer=buyer, catalog=catalog)

    page = owner_client.get(page_of(brand, order)).content.decode()

    assert page.count('class="thumb thumb-s thumb-placeholder"') == 3
    assert '<img class="thumb' not in page


def test_the_order_and_its_oc_show_tax_per_rate_and_gross_read_with_the_rows_themselves(
    owner_client: Client, owner: Any, brand: Any, buyer: Any, catalog: Any
) -> None:
    untaxed = factories.make_order(buyer=buyer, catalog=catalog)
    documents.confirmation_save(
        order_id=untaxed.pk,
        quantities=factories.oc_quantities(untaxed),
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
    )
    factories.make_tax_rates(brand=brand)
    buyer.country = "FR"
    buyer.save(update_fields=["country"])
    taxed = factories.make_order(buyer=buyer, catalog=catalog)
    documents.confirmation_save(
        order_id=taxed.pk,
        quantities=factories.oc_quantities(taxed),
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
    )

    def queries(order: Any) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            text = text_of(owner_client.get(page_of(brand, order)))
        return len(captured), text

    (untaxed_count, _untaxed_text), (taxed_count, page) = queries(untaxed), queries(taxed)
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())

    # The order: 3 x 2 x 50.00 = 300.00 at 20 %; the OC: 3 + 2 = 5 x 50.00 = 250.00.
    assert "Tax TVA 20 % on 300.00 60.00" in text
    assert "Gross (EUR) 360.00" in text
    assert "Tax TVA 20 % on 250.00 50.00" in text
    assert "Gross (EUR) 300.00" in text
    assert taxed_count == untaxed_count
