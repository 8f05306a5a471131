"""The cart the brand returned an order to: banner, the brand's OC proposals, lineage."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linesheet.catalog.models import SKU
from linesheet.documents import services as documents
from linesheet.ordering.models import Cart, CartLine, Order
from linesheet.ordering.services import order_place, order_return_to_cart
from tests import factories
from tests.integration.buyer_app.posting import shown_again

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(brand: Any, connected_buyer: Any) -> Any:
    """Three SKUs (M<n>-0, -1, -2) at retail 100.00: 45.00 wholesale for this organisation."""
    return factories.make_catalog(brand=brand, name="Spring Summer 2026", skus=3)


@pytest.fixture
def order(catalog: Any, connected_buyer: Any) -> Order:
    """Ordered: 2 of the first SKU and 3 of the second."""
    first, second, _third = factories.sku_numbers(catalog)
    return factories.make_order(
        buyer=connected_buyer, catalog=catalog, quantities={first: 2, second: 3}
    )


def make_oc(order: Order, quantities: dict[str, int]) -> None:
    documents.confirmation_save(
        order_id=order.pk,
        quantities=quantities,
        allow_buyer_approval=False,
        actor=None,
        notify=False,
    )


def amend(order: Order, catalog: Any) -> None:
    """The brand's OC: the first line from 2 to 4, the second removed, the third added (1)."""
    first, _second, third = factories.sku_numbers(catalog)
    make_oc(order, {first: 4, third: 1})


def return_it(order: Order, message: str = "") -> Cart:
    _order, cart = order_return_to_cart(
        order_id=order.pk, actor=None, notify=bool(message), message=message
    )
    return cart


def lines_of(cart: Cart) -> dict[str, int]:
    return dict(CartLine.objects.filter(cart=cart).values_list("sku__sku_number", "quantity"))


def cart_page(client: Client, cart: Cart) -> Any:
    return client.get(reverse("buyer-cart", args=[cart.pk]))


def take(client: Client, cart: Cart, **data: str) -> Any:
    return client.post(reverse("buyer-cart-take-oc", args=[cart.pk]), data, follow=True)


# --- The banner -------------------------------------------------------------------------------


def test_the_returned_cart_names_the_brand_and_the_order_and_shows_the_message_as_text(
    buyer_client: Client, order: Order
) -> None:
    cart = return_it(order, "Please <b>fix</b> the sizes\nand the colours.")

    response = cart_page(buyer_client, cart)

    text = response.text
    assert "Returned by Atelier" in text
    assert (
        f'<a href="{reverse("buyer-order", args=[order.pk])}" class="code">{order.code}</a>' in text
    )
    assert "Message from Atelier" in text
    assert "Please &lt;b&gt;fix&lt;/b&gt; the sizes\nand the colours." in text
    assert "<b>fix</b>" not in text


def test_an_ordinary_cart_has_no_banner_and_no_proposals(
    buyer_client: Client, catalog: Any, connected_buyer: Any
) -> None:
    cart = factories.make_cart(buyer=connected_buyer, catalog=catalog)

    response = cart_page(buyer_client, cart)

    assert "Returned by" not in response.text
    assert response.context["proposal_rows"] == []


def test_the_draft_order_list_badges_the_returned_cart_with_its_order(
    buyer_client: Client, order: Order
) -> None:
    return_it(order)

    response = buyer_client.get(reverse("buyer-carts"))

    assert '<span class="badge badge--warning">Returned by brand</span>' in response.text
    link = f'<a class="code" href="{reverse("buyer-order", args=[order.pk])}">{order.code}</a>'
    assert f"from order {link}" in response.text


# --- The brand's OC proposals -----------------------------------------------------------------


def test_without_an_oc_the_returned_cart_shows_no_proposals(
    buyer_client: Client, order: Order
) -> None:
    cart = return_it(order)

    response = cart_page(buyer_client, cart)

    assert response.context["proposal_rows"] == []
    assert "Use the brand's quantity" not in response.text
    assert "The brand's OC beside your cart" not in response.text


def test_an_oc_that_changes_nothing_shows_no_proposals(
    buyer_client: Client, order: Order, catalog: Any
) -> None:
    first, second, _third = factories.sku_numbers(catalog)
    make_oc(order, {first: 2, second: 3})
    cart = return_it(order)

    response = cart_page(buyer_client, cart)

    assert response.context["proposal_rows"] == []


def test_the_brands_oc_quantities_are_shown_beside_the_carts(
    buyer_client: Client, order: Order, catalog: Any
) -> None:
    amend(order, catalog)
    cart = return_it(order)
    first, second, third = factories.sku_numbers(catalog)

    response = cart_page(buyer_client, cart)

    rows = [
        (row.sku.sku_number, row.in_cart, row.proposed, row.change)
        for row in response.context["proposal_rows"]
    ]
    assert rows == [
        (first, 2, 4, "changed"),
        (second, 3, 0, "removed"),
        (third, 0, 1, "added"),
    ]
    text = response.text
    assert "The brand's OC beside your cart" in text
    assert "Added by the brand" in text
    assert "Removed by the brand" in text
    assert text.count('name="sku" value=') == 3
    assert "Use all of the brand's quantities" in text
    # The added SKU reads as the OC wrote it.
    assert response.context["proposal_rows"][2].sku.color == "Black"
    # The cart itself still holds the Original Order.
    assert lines_of(cart) == {first: 2, second: 3}


def test_using_the_brands_quantity_for_one_line_changes_only_that_line(
    buyer_client: Client, order: Order, catalog: Any
) -> None:
    amend(order, catalog)
    cart = return_it(order)
    first, second, third = factories.sku_numbers(catalog)

    response = buyer_client.post(
        reverse("buyer-cart-take-oc", args=[cart.pk]), {"sku": first}, follow=True
    )

    assert response.redirect_chain == [(reverse("buyer-cart", args=[cart.pk]), 302)]
    assert lines_of(cart) == {first: 4, second: 3}
    assert f"{first} now has the brand&#x27;s OC quantity." in response.text
    rows = {row.sku.sku_number: row.change for row in response.context["proposal_rows"]}
    assert rows == {first: "same", second: "removed", third: "added"}


def test_using_the_brands_quantity_for_an_added_or_a_removed_line(
    buyer_client: Client, order: Order, catalog: Any
) -> None:
    amend(order, catalog)
    cart = return_it(order)
    first, second, third = factories.sku_numbers(catalog)

    take(buyer_client, cart, sku=third)
    assert lines_of(cart) == {first: 2, second: 3, third: 1}
    take(buyer_client, cart, sku=second)
    assert lines_of(cart) == {first: 2, third: 1}


def test_using_all_of_the_brands_quantities_makes_the_cart_the_oc_and_the_proposals_go(
    buyer_client: Client, order: Order, catalog: Any
) -> None:
    amend(order, catalog)
    cart = return_it(order)
    first, _second, third = factories.sku_numbers(catalog)

    response = buyer_client.post(
        reverse("buyer-cart-take-oc", args=[cart.pk]), {"every": "1"}, follow=True
    )

    assert lines_of(cart) == {first: 4, third: 1}
    assert "The cart now holds the brand&#x27;s OC quantities." in response.text
    assert response.context["proposal_rows"] == []
    assert "Returned by Atelier" in response.text


def test_taking_nothing_in_particular_is_refused(
    buyer_client: Client, order: Order, catalog: Any
) -> None:
    amend(order, catalog)
    cart = return_it(order)

    response = shown_again(take(buyer_client, cart), reverse("buyer-cart", args=[cart.pk]))

    assert "Choose a line, or take all of the brand&#x27;s quantities." in response.text
    first, second, _third = factories.sku_numbers(catalog)
    assert lines_of(cart) == {first: 2, second: 3}


def test_a_brand_quantity_for_a_sku_no_longer_orderable_is_refused_plainly(
    buyer_client: Client, order: Order, catalog: Any
) -> None:
    amend(order, catalog)
    cart = return_it(order)
    first, second, third = factories.sku_numbers(catalog)
    SKU.objects.filter(sku_number=third).update(is_active=False)

    response = shown_again(
        take(buyer_client, cart, every="1"), reverse("buyer-cart", args=[cart.pk])
    )

    assert "The cart was not changed." in response.text
    assert f"{third} can no longer be ordered." in response.text
    assert lines_of(cart) == {first: 2, second: 3}


def test_a_flagged_line_offers_only_the_brands_removal(
    buyer_client: Client, order: Order, catalog: Any
) -> None:
    amend(order, catalog)
    cart = return_it(order)
    first, second, _third = factories.sku_numbers(catalog)
    SKU.objects.filter(sku_number__in=[first, second]).update(is_active=False)

    response = cart_page(buyer_client, cart)

    rows = {row.sku.sku_number: row for row in response.context["proposal_rows"]}
    assert not rows[first].takeable  # 2 -> 4 of a SKU that can no longer be ordered
    assert rows[second].takeable  # the brand removed it: taking that removes the line
    assert f'name="sku" value="{first}"' not in response.text
    assert "2 lines can no longer be ordered. Remove them to place the order." in response.text


def test_the_flagged_lines_still_keep_the_order_from_being_placed(
    buyer_client: Client, order: Order, catalog: Any
) -> None:
    amend(order, catalog)
    cart = return_it(order)
    first = factories.sku_numbers(catalog)[0]
    SKU.objects.filter(sku_number=first).update(is_active=False)

    response = shown_again(
        buyer_client.post(reverse("buyer-cart-place", args=[cart.pk]), follow=True),
        reverse("buyer-cart", args=[cart.pk]),
    )

    assert "These SKUs can no longer be ordered" in response.text
    assert Cart.objects.filter(pk=cart.pk).exists()


def test_another_organisations_returned_cart_is_not_found_and_not_touched(
    buyer_client: Client, brand: Any, catalog: Any
) -> None:
    theirs_buyer = factories.make_connected_buyer(brand=brand)
    first = factories.sku_numbers(catalog)[0]
    theirs = factories.make_order(buyer=theirs_buyer, catalog=catalog, quantities={first: 2})
    make_oc(theirs, {first: 5})
    cart = return_it(theirs)

    shown = cart_page(buyer_client, cart)
    taken = take(buyer_client, cart, every="1")

    assert (shown.status_code, taken.status_code) == (404, 404)
    assert lines_of(cart) == {first: 2}


def test_taking_takes_posts_only_with_the_csrf_token(
    order: Order, catalog: Any, buyer_user: Any
) -> None:
    amend(order, catalog)
    cart = return_it(order)
    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer_user)

    assert client.get(reverse("buyer-cart-take-oc", args=[cart.pk])).status_code == 405
    assert (
        client.post(reverse("buyer-cart-take-oc", args=[cart.pk]), {"every": "1"}).status_code
        == 403
    )
    first, second, _third = factories.sku_numbers(catalog)
    assert lines_of(cart) == {first: 2, second: 3}


def test_the_returned_cart_page_costs_the_same_queries_for_one_and_for_many_lines(
    buyer_client: Client,
    brand: Any,
    connected_buyer: Any,
    django_assert_num_queries: Any,
) -> None:
    def returned_with_oc(skus: int) -> Cart:
        catalog = factories.make_catalog(brand=brand, skus=skus)
        numbers = factories.sku_numbers(catalog)
        order = factories.make_order(buyer=connected_buyer, catalog=catalog)
        make_oc(order, {number: 5 for number in numbers})
        return return_it(order, "Check the quantities.")

    few, many = returned_with_oc(1), returned_with_oc(30)
    factories.add_product_image(many.catalog.products.get())
    cart_page(buyer_client, few)
    # session, user, organisations, memberships, cart, buyer record, the brand's tax rates,
    # lines, the returned order's rates, OC lines and cart lines (the proposals), OC and its
    # lines (how they read), the pictures of the lines and the proposals, address book,
    # cart count
    with django_assert_num_queries(16):
        cart_page(buyer_client, few)
    with django_assert_num_queries(16):
        response = cart_page(buyer_client, many)
    assert len(response.context["proposal_rows"]) == 30
    assert all(row.image is not None for row in response.context["proposal_rows"])
    proposals = response.text.split('id="proposals-title"')[1].split("</section>")[0]
    assert proposals.count('<img class="thumb thumb-s"') == 30
    lines = response.text.split('id="lines-title"')[1].split("</section>")[0]
    assert lines.count('<img class="thumb thumb-s"') == 30  # a thumbnail on every line


# --- Orders: the filter and the lineage -------------------------------------------------------


def test_the_orders_filter_offers_returned_to_cart_and_shows_only_those(
    buyer_client: Client, order: Order, catalog: Any, connected_buyer: Any, brand: Any
) -> None:
    other = factories.make_order(buyer=connected_buyer, catalog=factories.make_catalog(brand=brand))
    return_it(order)

    everything = buyer_client.get(reverse("buyer-orders"))
    returned = buyer_client.get(reverse("buyer-orders"), {"status": "returned_to_cart"})

    assert '<option value="returned_to_cart">Returned to cart</option>' in everything.text
    assert [o.code for o in returned.context["orders"]] == [order.code]
    assert other.code not in returned.text
    assert "Returned to cart" in returned.text


def test_the_returned_order_links_to_its_cart_and_then_to_the_order_placed_again(
    buyer_client: Client, order: Order, organization: Any
) -> None:
    cart = return_it(order)

    while_in_cart = buyer_client.get(reverse("buyer-order", args=[order.pk]))
    again = order_place(cart_id=cart.pk, organization=organization, placed_by=None)
    old = buyer_client.get(reverse("buyer-order", args=[order.pk]))
    new = buyer_client.get(reverse("buyer-order", args=[again.pk]))

    assert "Returned to cart" in while_in_cart.text
    assert f'<a href="{reverse("buyer-cart", args=[cart.pk])}">Open the returned cart</a>' in (
        while_in_cart.text
    )
    assert "Ordered again as" not in while_in_cart.text
    assert again.code != order.code
    assert (
        f'Ordered again as <a class="code" href="{reverse("buyer-order", args=[again.pk])}">'
        f"{again.code}</a>"
    ) in old.text
    assert "Open the returned cart" not in old.text
    assert (
        f'Replaces <a class="code" href="{reverse("buyer-order", args=[order.pk])}">'
        f"{order.code}</a>"
    ) in new.text
    assert "Awaiting OC creation" in new.text


def test_a_returned_order_whose_cart_was_deleted_says_so(
    buyer_client: Client, order: Order
) -> None:
    cart = return_it(order)
    buyer_client.post(reverse("buyer-cart-delete", args=[cart.pk]))

    response = buyer_client.get(reverse("buyer-order", args=[order.pk]))

    assert "The returned cart was deleted without ordering again." in response.text
