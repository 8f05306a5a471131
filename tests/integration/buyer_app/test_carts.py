"""The Draft Order List and the cart page: lines, details, deleting and placing the order."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linesheet.accounts.models import OrganizationRecipient
from linesheet.catalog.models import SKU
from linesheet.notifications.models import OutboundEmail
from linesheet.ordering.models import Cart, CartLine, ClosedCart, Order
from linesheet.ordering.services import order_return_to_cart
from tests import factories
from tests.integration.buyer_app.posting import shown_again, typed

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(brand: Any, connected_buyer: Any) -> Any:
    """Three SKUs (M<n>-0, -1, -2) at retail 100.00: 45.00 wholesale for this organisation."""
    return factories.make_catalog(brand=brand, name="Spring Summer 2026", skus=3)


@pytest.fixture
def cart(catalog: Any, connected_buyer: Any) -> Any:
    numbers = factories.sku_numbers(catalog)
    return factories.make_cart(
        buyer=connected_buyer, catalog=catalog, quantities={numbers[0]: 2, numbers[1]: 3}
    )


def lines_of(cart: Any) -> dict[str, int]:
    return dict(CartLine.objects.filter(cart=cart).values_list("sku__sku_number", "quantity"))


# --- The Draft Order List ---------------------------------------------------------------------


def test_the_draft_order_list_shows_each_cart_with_its_lines_and_total(
    buyer_client: Client, cart: Any
) -> None:
    response = buyer_client.get(reverse("buyer-carts"))

    [summary] = response.context["summaries"]
    assert (summary.line_count, summary.total_quantity) == (2, 5)
    assert summary.total_amount == Decimal("225.00")
    assert "Spring Summer 2026" in response.text
    assert "Atelier" in response.text
    assert "225.00" in response.text
    assert f'href="{reverse("buyer-cart", args=[cart.pk])}"' in response.text
    assert "Returned by brand" not in response.text


def test_a_cart_returned_by_the_brand_is_badged_with_the_order_it_came_from(
    buyer_client: Client, brand: Any, connected_buyer: Any
) -> None:
    order = factories.make_order(buyer=connected_buyer, catalog=factories.make_catalog(brand=brand))
    _order, cart = order_return_to_cart(
        order_id=order.pk, actor=None, notify=True, message="Sizes <b>M</b> are sold out."
    )

    listing = buyer_client.get(reverse("buyer-carts"))
    page = buyer_client.get(reverse("buyer-cart", args=[cart.pk]))

    assert "Returned by brand" in listing.text
    assert f">{order.code}</a>" in listing.text
    assert "Returned by brand" in page.text
    assert f'href="{reverse("buyer-order", args=[order.pk])}"' in page.text
    assert "Sizes &lt;b&gt;M&lt;/b&gt; are sold out." in page.text  # plain text, never HTML


def test_the_draft_order_list_previews_the_brands_message_and_links_the_returned_order(
    buyer_client: Client, brand: Any, connected_buyer: Any
) -> None:
    order = factories.make_order(buyer=connected_buyer, catalog=factories.make_catalog(brand=brand))
    message = "Sizes <b>M</b> are sold out; " + "please choose another size. " * 10 + "Thanks!"
    order_return_to_cart(order_id=order.pk, actor=None, notify=True, message=message)

    listing = buyer_client.get(reverse("buyer-carts"))

    link = f'<a class="code" href="{reverse("buyer-order", args=[order.pk])}">{order.code}</a>'
    assert f"from order {link}" in listing.text
    assert "Message from Atelier:" in listing.text
    assert "Sizes &lt;b&gt;M&lt;/b&gt; are sold out; please choose" in listing.text
    assert "Thanks!" not in listing.text  # a preview, cut short
    assert "…" in listing.text


def test_the_header_counts_the_organisations_carts(
    buyer_client: Client, brand: Any, connected_buyer: Any, cart: Any
) -> None:
    factories.make_cart(buyer=connected_buyer, catalog=factories.make_catalog(brand=brand))

    response = buyer_client.get(reverse("buyer-home"))

    assert response.context["cart_count"] == 2
    assert '<span class="subnav__count">2<' in response.text


def test_the_draft_order_list_costs_the_same_queries_for_one_and_for_many_carts(
    buyer_client: Client,
    brand: Any,
    organization: Any,
    cart: Any,
    django_assert_num_queries: Any,
) -> None:
    url = reverse("buyer-carts")
    buyer_client.get(url)
    # session, user, organisations, memberships, carts, buyer records, line sums, cart count
    with django_assert_num_queries(8):
        buyer_client.get(url)

    for _ in range(3):
        other = factories.make_brand()
        buyer = factories.make_buyer(brand=other, organization=organization)
        factories.make_cart(buyer=buyer, catalog=factories.make_catalog(brand=other, skus=4))
    with django_assert_num_queries(8):
        response = buyer_client.get(url)
    assert len(response.context["summaries"]) == 4


# --- The cart page ----------------------------------------------------------------------------


def test_the_cart_shows_its_lines_with_wholesale_prices_and_totals(
    buyer_client: Client, cart: Any, catalog: Any
) -> None:
    response = buyer_client.get(reverse("buyer-cart", args=[cart.pk]))

    numbers = factories.sku_numbers(catalog)
    assert response.status_code == 200
    assert [
        entry.line.sku.sku_number for entry, _field, _image in response.context["rows"]
    ] == numbers[:2]
    assert "45.00" in response.text
    assert "90.00" in response.text
    assert "135.00" in response.text
    assert "225.00" in response.text
    assert f"Quantity of {numbers[0]}" in response.text


def test_a_line_whose_sku_is_no_longer_orderable_is_flagged_and_can_only_be_removed(
    buyer_client: Client, cart: Any, catalog: Any
) -> None:
    gone = factories.sku_numbers(catalog)[0]
    SKU.objects.filter(sku_number=gone).update(is_active=False)

    response = buyer_client.get(reverse("buyer-cart", args=[cart.pk]))

    assert "No longer orderable" in response.text
    assert "1 line can no longer be ordered. Remove it to place the order." in response.text
    [(_entry, field, _image), _other] = response.context["rows"]
    assert field.field.disabled


def test_the_cart_page_costs_the_same_queries_for_one_and_for_many_lines(
    buyer_client: Client,
    brand: Any,
    connected_buyer: Any,
    django_assert_num_queries: Any,
) -> None:
    few = factories.make_cart(buyer=connected_buyer, catalog=factories.make_catalog(brand=brand))
    many = factories.make_cart(
        buyer=connected_buyer, catalog=factories.make_catalog(brand=brand, skus=30)
    )
    buyer_client.get(reverse("buyer-cart", args=[few.pk]))
    # session, user, organisations, memberships, cart, buyer record, the brand's tax rates,
    # lines, the lines' images, address book, cart count
    with django_assert_num_queries(11):
        buyer_client.get(reverse("buyer-cart", args=[few.pk]))
    with django_assert_num_queries(11):
        response = buyer_client.get(reverse("buyer-cart", args=[many.pk]))
    assert len(response.context["rows"]) == 30


def test_each_cart_line_shows_its_products_image_read_in_one_statement_for_the_cart(
    buyer_client: Client,
    brand: Any,
    connected_buyer: Any,
    django_assert_num_queries: Any,
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=0)
    products = [factories.make_product(catalog=catalog, sizes=("S", "M")) for _ in range(12)]
    for product in products[:11]:
        factories.add_product_image(product)
    factories.add_product_image(products[11], thumbnails=False)  # not made yet
    one = factories.make_cart(
        buyer=connected_buyer, catalog=factories.make_catalog(brand=brand, skus=1)
    )
    many = factories.make_cart(
        buyer=connected_buyer,
        catalog=catalog,
        quantities={sku.sku_number: 1 for p in products for sku in p.skus.all()},
    )
    buyer_client.get(reverse("buyer-cart", args=[one.pk]))
    with django_assert_num_queries(11) as counted:
        buyer_client.get(reverse("buyer-cart", args=[one.pk]))

    with django_assert_num_queries(len(counted.captured_queries)):
        response = buyer_client.get(reverse("buyer-cart", args=[many.pk]))

    assert len(response.context["rows"]) == 24
    # The small thumbnail on every line; a placeholder while one is not made yet.
    assert response.text.count('<img class="thumb thumb-s"') == 22
    assert response.text.count('class="thumb thumb-s thumb-placeholder"') == 2


def test_quantities_are_changed_and_a_zero_removes_a_line(
    buyer_client: Client, cart: Any, catalog: Any
) -> None:
    first, second, _third = factories.sku_numbers(catalog)
    form = buyer_client.get(reverse("buyer-cart", args=[cart.pk])).context["lines_form"]

    response = buyer_client.post(
        reverse("buyer-cart-lines", args=[cart.pk]),
        typed(form, {first: 5, second: 0}),
        follow=True,
    )

    assert lines_of(cart) == {first: 5}
    assert "The quantities were saved." in response.text


def test_the_remove_button_removes_its_line_and_keeps_the_other_changes(
    buyer_client: Client, cart: Any, catalog: Any
) -> None:
    first, second, _third = factories.sku_numbers(catalog)
    form = buyer_client.get(reverse("buyer-cart", args=[cart.pk])).context["lines_form"]
    data = typed(form, {first: 9})
    data["remove"] = str(SKU.objects.get(sku_number=second).pk)

    buyer_client.post(reverse("buyer-cart-lines", args=[cart.pk]), data)

    assert lines_of(cart) == {first: 9}


def test_a_line_that_is_no_longer_orderable_can_be_removed(
    buyer_client: Client, cart: Any, catalog: Any
) -> None:
    first, second, _third = factories.sku_numbers(catalog)
    SKU.objects.filter(sku_number=first).update(is_active=False)
    form = buyer_client.get(reverse("buyer-cart", args=[cart.pk])).context["lines_form"]
    data = typed(form)
    data["remove"] = str(SKU.objects.get(sku_number=first).pk)

    response = buyer_client.post(reverse("buyer-cart-lines", args=[cart.pk]), data, follow=True)

    assert lines_of(cart) == {second: 3}
    assert f"{first} was removed." in response.text


def test_a_refused_quantity_is_shown_on_its_row_and_every_typed_value_stays(
    buyer_client: Client, cart: Any, catalog: Any
) -> None:
    first, second, _third = factories.sku_numbers(catalog)
    form = buyer_client.get(reverse("buyer-cart", args=[cart.pk])).context["lines_form"]

    response = shown_again(
        buyer_client.post(
            reverse("buyer-cart-lines", args=[cart.pk]),
            typed(form, {first: 8, second: 200_000}),
            follow=True,
        ),
        reverse("buyer-cart", args=[cart.pk]),
    )

    bad = "q" + str(SKU.objects.get(sku_number=second).pk)
    assert response.context["lines_form"].errors == {
        bad: [f"The quantity of {second} must be between 0 and 100000."]
    }
    assert 'value="8"' in response.text
    assert 'value="200000"' in response.text
    assert lines_of(cart) == {first: 2, second: 3}


def test_the_order_details_are_saved(buyer_client: Client, cart: Any) -> None:
    due = timezone.localdate() + datetime.timedelta(days=30)

    response = buyer_client.post(
        reverse("buyer-cart-details", args=[cart.pk]),
        {
            "desired_delivery_date": due.isoformat(),
            "comment": "Please pack by colour.",
            "delivery_address": "9 Shop Lane\nAarhus",
            "billing_address": "2 Billing Road\nCopenhagen",
        },
        follow=True,
    )

    cart.refresh_from_db()
    assert cart.desired_delivery_date == due
    assert cart.comment == "Please pack by colour."
    assert cart.delivery_address == "9 Shop Lane\nAarhus"
    assert "The order details were saved." in response.text
    assert f'value="{due.isoformat()}"' in response.text


def test_a_delivery_date_in_the_past_is_refused_and_the_typed_details_stay(
    buyer_client: Client, cart: Any
) -> None:
    past = timezone.localdate() - datetime.timedelta(days=1)

    response = buyer_client.post(
        reverse("buyer-cart-details", args=[cart.pk]),
        {
            "desired_delivery_date": past.isoformat(),
            "comment": "Typed with care",
            "delivery_address": "9 Shop Lane",
            "billing_address": "",
        },
        follow=True,
    )

    shown_again(response, reverse("buyer-cart", args=[cart.pk]))
    assert response.context["details_form"].errors == {
        "desired_delivery_date": ["The desired delivery date is in the past."]
    }
    assert "Typed with care" in response.text
    assert f'value="{past.isoformat()}"' in response.text
    cart.refresh_from_db()
    assert cart.comment == ""


def test_the_cart_is_deleted(buyer_client: Client, cart: Any) -> None:
    response = buyer_client.post(reverse("buyer-cart-delete", args=[cart.pk]), follow=True)

    assert not Cart.objects.filter(pk=cart.pk).exists()
    assert response.redirect_chain == [(reverse("buyer-carts"), 302)]
    assert "The cart for Spring Summer 2026 was deleted." in response.text


# --- Placing the order ------------------------------------------------------------------------


def test_placing_the_order_creates_it_and_shows_its_new_code(
    buyer_client: Client, cart: Any, organization: Any, buyer_user: Any
) -> None:
    response = buyer_client.post(reverse("buyer-cart-place", args=[cart.pk]), follow=True)

    order = Order.objects.get(organization=organization)
    assert response.redirect_chain == [(reverse("buyer-order-placed", args=[order.pk]), 302)]
    assert order.placed_by == buyer_user
    assert (order.total_quantity, order.total_amount) == (5, Decimal("225.00"))
    assert order.code in response.text
    assert "Awaiting OC creation" in response.text
    assert f'href="{reverse("buyer-order", args=[order.pk])}"' in response.text
    assert not Cart.objects.filter(pk=cart.pk).exists()


def test_placing_twice_places_one_order_and_says_where_the_cart_went(
    buyer_client: Client, cart: Any, organization: Any
) -> None:
    url = reverse("buyer-cart-place", args=[cart.pk])
    buyer_client.post(url)

    again = buyer_client.post(url, follow=True)

    order = Order.objects.get(organization=organization)
    assert again.redirect_chain == [
        (reverse("buyer-cart", args=[cart.pk]), 302),
        (reverse("buyer-order", args=[order.pk]), 302),
    ]
    assert f"it became order {order.code}." in again.text
    assert Order.objects.filter(organization=organization).count() == 1


def test_an_empty_cart_is_not_ordered_and_the_cart_page_says_why(
    buyer_client: Client, catalog: Any, connected_buyer: Any
) -> None:
    cart = factories.make_cart(buyer=connected_buyer, catalog=catalog, quantities={})

    response = shown_again(
        buyer_client.post(reverse("buyer-cart-place", args=[cart.pk]), follow=True),
        reverse("buyer-cart", args=[cart.pk]),
    )

    assert response.context["refusals"] == [
        "The cart is empty: add at least one SKU before ordering."
    ]
    assert "The order was not placed." in response.text
    assert not Order.objects.exists()


def test_an_empty_cart_offers_no_place_button_to_click(
    buyer_client: Client, catalog: Any, connected_buyer: Any
) -> None:
    cart = factories.make_cart(buyer=connected_buyer, catalog=catalog, quantities={})

    page = buyer_client.get(reverse("buyer-cart", args=[cart.pk]))

    place = reverse("buyer-cart-place", args=[cart.pk])
    assert f'formaction="{place}" data-confirm-dialog' not in page.text
    assert 'type="button" disabled aria-describedby="place-why"' in page.text
    assert "The cart is empty: add SKUs from the catalog to order." in page.text


def test_placing_orders_the_quantities_typed_on_the_page_and_saves_them_first(
    buyer_client: Client, cart: Any, catalog: Any, organization: Any
) -> None:
    first, second, _third = factories.sku_numbers(catalog)
    form = buyer_client.get(reverse("buyer-cart", args=[cart.pk])).context["lines_form"]
    data = typed(form, {first: 7, second: 0})
    data.update(
        desired_delivery_date="",
        comment="Typed, not saved",
        delivery_address="9 Shop Lane",
        billing_address="",
    )

    buyer_client.post(reverse("buyer-cart-place", args=[cart.pk]), data)

    order = Order.objects.get(organization=organization)
    assert list(order.lines.values_list("sku_number", "quantity")) == [(first, 7)]
    assert (order.comment, order.delivery_address) == ("Typed, not saved", "9 Shop Lane")


def test_a_refused_placing_keeps_the_typed_quantities_saved(
    buyer_client: Client, cart: Any, catalog: Any
) -> None:
    first, second, _third = factories.sku_numbers(catalog)
    form = buyer_client.get(reverse("buyer-cart", args=[cart.pk])).context["lines_form"]
    catalog.status = "closed"
    catalog.save()

    response = shown_again(
        buyer_client.post(
            reverse("buyer-cart-place", args=[cart.pk]), typed(form, {first: 7}), follow=True
        ),
        reverse("buyer-cart", args=[cart.pk]),
    )

    assert response.context["refusals"] == [
        "The catalog Spring Summer 2026 no longer takes orders (it is closed).",
        "Your changes to the cart were saved.",
    ]
    assert lines_of(cart) == {first: 7, second: 3}
    assert not Order.objects.exists()


def test_placing_with_a_bad_typed_quantity_places_nothing_and_keeps_what_was_typed(
    buyer_client: Client, cart: Any, catalog: Any
) -> None:
    first, second, _third = factories.sku_numbers(catalog)
    form = buyer_client.get(reverse("buyer-cart", args=[cart.pk])).context["lines_form"]

    response = shown_again(
        buyer_client.post(
            reverse("buyer-cart-place", args=[cart.pk]),
            typed(form, {first: 6, second: "x"}),
            follow=True,
        ),
        reverse("buyer-cart", args=[cart.pk]),
    )

    assert response.context["refusals"] == ["Correct the cart first; nothing was saved."]
    assert 'value="6"' in response.text and 'value="x"' in response.text
    assert lines_of(cart) == {first: 2, second: 3}
    assert not Order.objects.exists()


def test_a_refusal_is_shown_once_and_a_reload_shows_the_cart_as_saved(
    buyer_client: Client, cart: Any, catalog: Any
) -> None:
    first, _second, _third = factories.sku_numbers(catalog)
    form = buyer_client.get(reverse("buyer-cart", args=[cart.pk])).context["lines_form"]
    url = reverse("buyer-cart", args=[cart.pk])
    buyer_client.post(reverse("buyer-cart-lines", args=[cart.pk]), typed(form, {first: -1}))

    shown = buyer_client.get(url)
    reloaded = buyer_client.get(url)

    assert shown.context["lines_form"].errors
    assert not reloaded.context["lines_form"].is_bound
    assert 'value="-1"' not in reloaded.text


def test_a_cart_of_a_catalog_past_its_deadline_is_not_ordered(
    buyer_client: Client, cart: Any, catalog: Any
) -> None:
    catalog.order_deadline = timezone.localdate() - datetime.timedelta(days=1)
    catalog.save()

    response = shown_again(
        buyer_client.post(reverse("buyer-cart-place", args=[cart.pk]), follow=True),
        reverse("buyer-cart", args=[cart.pk]),
    )

    assert response.context["refusals"] == [
        "The catalog Spring Summer 2026 no longer takes orders (its order deadline has passed)."
    ]
    assert not Order.objects.exists()


def test_every_reason_not_to_order_is_shown_at_once(
    buyer_client: Client, cart: Any, catalog: Any
) -> None:
    first, second, _third = factories.sku_numbers(catalog)
    SKU.objects.filter(sku_number__in=[first, second]).update(is_active=False)
    catalog.status = "closed"
    catalog.save()

    response = shown_again(
        buyer_client.post(reverse("buyer-cart-place", args=[cart.pk]), follow=True),
        reverse("buyer-cart", args=[cart.pk]),
    )

    assert response.context["refusals"] == [
        "The catalog Spring Summer 2026 no longer takes orders (it is closed).",
        f"These SKUs can no longer be ordered: {first}, {second}. "
        "Remove them from the cart to order.",
    ]
    assert lines_of(cart) == {first: 2, second: 3}


def test_a_sku_that_is_no_longer_orderable_keeps_the_order_from_being_placed(
    buyer_client: Client, cart: Any, catalog: Any
) -> None:
    gone = factories.sku_numbers(catalog)[1]
    SKU.objects.filter(sku_number=gone).update(is_active=False)

    response = shown_again(
        buyer_client.post(reverse("buyer-cart-place", args=[cart.pk]), follow=True),
        reverse("buyer-cart", args=[cart.pk]),
    )

    assert (
        f"These SKUs can no longer be ordered: {gone}. Remove them from the cart to order."
        in response.text
    )
    assert not Order.objects.exists()


# --- Links to a cart that is gone ------------------------------------------------------------


def test_a_link_to_an_ordered_cart_leads_to_the_order_it_became(
    buyer_client: Client, cart: Any, organization: Any
) -> None:
    buyer_client.post(reverse("buyer-cart-place", args=[cart.pk]))
    order = Order.objects.get(organization=organization)

    response = buyer_client.get(reverse("buyer-cart", args=[cart.pk]), follow=True)

    assert response.redirect_chain == [(reverse("buyer-order", args=[order.pk]), 302)]
    assert "This cart was ordered on " in response.text
    assert f"it became order {order.code}." in response.text


def test_the_return_emails_link_leads_to_the_order_placed_from_the_returned_cart(
    buyer_client: Client,
    brand: Any,
    connected_buyer: Any,
    catalog: Any,
    organization: Any,
    smtp_server: Any,
    run_worker: Any,
) -> None:
    OrganizationRecipient.objects.create(organization=organization, email="orders@maison.test")
    returned = factories.make_order(buyer=connected_buyer, catalog=catalog)
    _order, cart = order_return_to_cart(
        order_id=returned.pk, actor=factories.make_member(brand=brand), notify=True, message="Fix"
    )
    run_worker()  # the task that sends the email writes it
    email = OutboundEmail.objects.get(kind="order_returned_to_cart")
    link = reverse("buyer-cart", args=[cart.pk])
    assert link in email.body_text
    buyer_client.post(reverse("buyer-cart-place", args=[cart.pk]))
    again = Order.objects.get(replaces=returned)

    response = buyer_client.get(link, follow=True)

    assert response.redirect_chain == [(reverse("buyer-order", args=[again.pk]), 302)]
    assert returned.code in response.text  # the new order names the order it replaces


def test_a_link_to_a_deleted_cart_says_it_was_deleted(buyer_client: Client, cart: Any) -> None:
    buyer_client.post(reverse("buyer-cart-delete", args=[cart.pk]))

    response = buyer_client.get(reverse("buyer-cart", args=[cart.pk]))

    assert response.status_code == 410
    assert "This cart was deleted on " in response.text
    assert "nothing was ordered from it." in response.text


def test_a_link_to_a_cart_of_another_of_the_users_organisations_switches_to_it(
    buyer_client: Client, brand: Any, buyer_user: Any, catalog: Any, organization: Any
) -> None:
    other = factories.make_organization(name="Maison Deux", members=[buyer_user])
    theirs = factories.make_cart(
        buyer=factories.make_buyer(brand=brand, organization=other), catalog=catalog
    )
    buyer_client.post(reverse("organization-choose"), {"organization": organization.pk})

    response = buyer_client.get(reverse("buyer-cart", args=[theirs.pk]), follow=True)

    assert response.redirect_chain == [(reverse("buyer-cart", args=[theirs.pk]), 302)]
    assert response.context["cart"] == theirs
    assert "You are now working for Maison Deux, whose cart this is." in response.text


def test_a_link_to_another_organisations_closed_cart_is_not_found(
    buyer_client: Client, brand: Any, catalog: Any
) -> None:
    stranger = factories.make_connected_buyer(brand=brand)
    order = factories.make_order(buyer=stranger, catalog=catalog)
    closed = ClosedCart.objects.get(order=order)

    response = buyer_client.get(reverse("buyer-cart", args=[closed.cart_id]))

    assert response.status_code == 404
    assert order.code not in response.text


# --- Another organisation's cart --------------------------------------------------------------


def test_another_organisations_cart_is_not_found_and_not_touched(
    buyer_client: Client, brand: Any, catalog: Any
) -> None:
    stranger = factories.make_connected_buyer(brand=brand)
    theirs = factories.make_cart(buyer=stranger, catalog=catalog)
    before = lines_of(theirs)

    assert buyer_client.get(reverse("buyer-cart", args=[theirs.pk])).status_code == 404
    for name in ("buyer-cart-lines", "buyer-cart-details", "buyer-cart-delete", "buyer-cart-place"):
        response = buyer_client.post(reverse(name, args=[theirs.pk]), {"comment": "mine"})
        assert response.status_code == 404, name

    theirs.refresh_from_db()
    assert theirs.comment == ""
    assert lines_of(theirs) == before
    assert not Order.objects.exists()
