"""A product's order grid: it shows the cart, and sets what the buyer changed."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linesheet.catalog.models import SKU, Product
from linesheet.ordering.models import Cart, CartLine
from linesheet.ordering.services import order_return_to_cart
from tests import factories
from tests.integration.buyer_app.posting import shown_again, typed

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(brand: Any, connected_buyer: Any) -> Any:
    """A catalog with one product: Black in 36 and 37, White in 37 only (retail 100.00)."""
    catalog = factories.make_catalog(brand=brand, name="Spring Summer 2026", skus=0)
    product = Product.objects.create(
        brand=brand, catalog=catalog, model_number="COAT", name="Wool coat"
    )
    for position, (number, color, size) in enumerate(
        [("COAT-B36", "Black", "36"), ("COAT-B37", "Black", "37"), ("COAT-W37", "White", "37")]
    ):
        SKU.objects.create(
            brand=brand,
            product=product,
            sku_number=number,
            color=color,
            size=size,
            retail_price=Decimal("100.00"),
            position=position,
        )
    return catalog


def grid_url(catalog: Any) -> str:
    """The page of the catalog's one product: its grid."""
    return reverse("buyer-catalog-product", args=[catalog.pk, catalog.products.get().pk])


def cart_lines(organization: Any) -> dict[str, int]:
    return dict(
        CartLine.objects.filter(cart__organization=organization).values_list(
            "sku__sku_number", "quantity"
        )
    )


def test_the_grid_puts_colours_in_rows_and_sizes_in_columns_with_blank_cells_for_no_sku(
    buyer_client: Client, catalog: Any
) -> None:
    response = buyer_client.get(grid_url(catalog))

    grid = response.context["grid"]
    assert grid.sizes == ["36", "37"]
    assert [row.color for row in grid.rows] == ["Black", "White"]
    black, white = grid.rows
    assert [cell.sku.sku_number for cell in black.cells] == ["COAT-B36", "COAT-B37"]
    assert white.cells[0] is None
    assert white.cells[1].sku.sku_number == "COAT-W37"
    assert white.cells[1].wholesale == Decimal("45.00")
    assert response.text.count('type="number"') == 3
    assert "45.00" in response.text


def test_adding_quantities_opens_the_cart_and_sets_the_lines(
    buyer_client: Client, catalog: Any, organization: Any
) -> None:
    url = grid_url(catalog)
    form = buyer_client.get(url).context["form"]

    response = buyer_client.post(url, typed(form, {"COAT-B36": 4, "COAT-W37": 2}), follow=True)

    cart = Cart.objects.get(organization=organization, catalog=catalog)
    assert cart_lines(organization) == {"COAT-B36": 4, "COAT-W37": 2}
    assert response.redirect_chain == [(url, 302)]
    [message] = [str(m) for m in response.context["messages"]]
    assert message == (
        "Cart updated: 2 SKUs added or changed. "
        f'<a href="{reverse("buyer-cart", args=[cart.pk])}">View the cart</a>'
    )
    assert message in response.text


def test_the_grid_shows_what_the_cart_holds(
    buyer_client: Client, catalog: Any, connected_buyer: Any
) -> None:
    factories.make_cart(buyer=connected_buyer, catalog=catalog, quantities={"COAT-B37": 3})

    response = buyer_client.get(grid_url(catalog))

    field = response.context["form"]["q" + str(SKU.objects.get(sku_number="COAT-B37").pk)]
    assert field.value() == 3
    assert 'value="3"' in str(field)
    assert "Your cart holds 1 line, total quantity 3." in response.text


def test_changing_a_quantity_changes_the_line_and_clearing_one_removes_it(
    buyer_client: Client, catalog: Any, connected_buyer: Any, organization: Any
) -> None:
    factories.make_cart(
        buyer=connected_buyer, catalog=catalog, quantities={"COAT-B36": 1, "COAT-B37": 3}
    )
    url = grid_url(catalog)
    form = buyer_client.get(url).context["form"]

    response = buyer_client.post(
        url, typed(form, {"COAT-B36": 6, "COAT-B37": "", "COAT-W37": 0}), follow=True
    )

    assert cart_lines(organization) == {"COAT-B36": 6}
    assert "Cart updated: 1 SKU added or changed, 1 SKU removed." in response.text


def test_a_zero_removes_a_line(
    buyer_client: Client, catalog: Any, connected_buyer: Any, organization: Any
) -> None:
    factories.make_cart(buyer=connected_buyer, catalog=catalog, quantities={"COAT-B36": 2})
    url = grid_url(catalog)
    form = buyer_client.get(url).context["form"]

    buyer_client.post(url, typed(form, {"COAT-B36": 0, "COAT-W37": 1}))

    assert cart_lines(organization) == {"COAT-W37": 1}


def test_what_a_colleague_added_while_the_page_was_open_is_kept(
    buyer_client: Client, catalog: Any, connected_buyer: Any, organization: Any
) -> None:
    url = grid_url(catalog)
    form = buyer_client.get(url).context["form"]  # the cart is empty when the page is shown
    factories.make_cart(buyer=connected_buyer, catalog=catalog, quantities={"COAT-B37": 5})

    buyer_client.post(url, typed(form, {"COAT-B36": 1}))

    assert cart_lines(organization) == {"COAT-B36": 1, "COAT-B37": 5}


def test_nothing_typed_changes_nothing_and_opens_no_cart(
    buyer_client: Client, catalog: Any, organization: Any
) -> None:
    url = grid_url(catalog)
    form = buyer_client.get(url).context["form"]

    response = buyer_client.post(url, typed(form, {"COAT-B36": 0}), follow=True)

    assert "Nothing changed" in response.text
    assert not Cart.objects.filter(organization=organization).exists()


def test_a_refused_quantity_is_shown_on_its_cell_and_everything_typed_stays(
    buyer_client: Client, catalog: Any, connected_buyer: Any, organization: Any
) -> None:
    factories.make_cart(buyer=connected_buyer, catalog=catalog, quantities={"COAT-B36": 2})
    url = grid_url(catalog)
    form = buyer_client.get(url).context["form"]

    response = shown_again(
        buyer_client.post(
            url, typed(form, {"COAT-B36": 0, "COAT-B37": 7, "COAT-W37": 100_001}), follow=True
        ),
        url,
    )

    form = response.context["form"]
    too_many = "q" + str(SKU.objects.get(sku_number="COAT-W37").pk)
    assert form.errors == {
        too_many: ["The quantity of COAT-W37 must be between 0 and 100000."],
    }
    assert 'value="100001"' in response.text
    assert 'value="7"' in response.text
    assert 'aria-invalid="true"' in str(form[too_many])
    assert cart_lines(organization) == {"COAT-B36": 2}


def test_a_quantity_that_is_not_a_number_is_refused_with_the_input_kept(
    buyer_client: Client, catalog: Any, organization: Any
) -> None:
    url = grid_url(catalog)
    form = buyer_client.get(url).context["form"]

    response = shown_again(
        buyer_client.post(url, typed(form, {"COAT-B36": "two", "COAT-B37": 1}), follow=True), url
    )

    assert "Enter a whole number." in response.text
    assert 'value="two"' in response.text
    assert not Cart.objects.filter(organization=organization).exists()


def test_a_refused_add_to_cart_opens_no_cart_and_leaves_returns_possible(
    buyer_client: Client, brand: Any, catalog: Any, connected_buyer: Any, organization: Any
) -> None:
    order = factories.make_order(buyer=connected_buyer, catalog=catalog, quantities={"COAT-B36": 1})
    url = grid_url(catalog)
    form = buyer_client.get(url).context["form"]

    buyer_client.post(url, typed(form, {"COAT-B36": 4, "COAT-B37": 6, "COAT-W37": -3}))

    assert not Cart.objects.filter(organization=organization).exists()
    order_return_to_cart(order_id=order.pk, actor=factories.make_member(brand=brand), notify=False)
    assert Cart.objects.get(organization=organization).source_order == order


def test_a_catalog_past_its_deadline_says_why_and_takes_no_quantities(
    buyer_client: Client, catalog: Any, organization: Any
) -> None:
    catalog.order_deadline = timezone.localdate() - datetime.timedelta(days=1)
    catalog.save()
    url = grid_url(catalog)
    form = buyer_client.get(url).context["form"]

    page = buyer_client.get(url)
    response = buyer_client.post(url, typed(form, {"COAT-B36": 3}), follow=True)

    assert "no longer takes orders (its order deadline has passed)" in page.text
    assert 'type="number"' not in page.text
    assert "45.00" in page.text  # the prices are still there to read
    assert response.redirect_chain == [(url, 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "The catalog Spring Summer 2026 no longer takes orders (its order deadline has passed)."
    ]
    assert not Cart.objects.filter(organization=organization).exists()


def test_the_catalog_page_with_a_cart_costs_the_same_queries_for_few_and_many_lines(
    buyer_client: Client,
    catalog: Any,
    connected_buyer: Any,
    django_assert_num_queries: Any,
) -> None:
    factories.make_cart(buyer=connected_buyer, catalog=catalog, quantities={"COAT-B36": 1})
    url = grid_url(catalog)
    buyer_client.get(url)
    # session, user, organisations, memberships, catalog, buyer record, product, its SKUs,
    # cart, cart lines, its images, the header's cart count
    with django_assert_num_queries(12):
        buyer_client.get(url)

    form = buyer_client.get(url).context["form"]
    buyer_client.post(url, typed(form, {"COAT-B37": 2, "COAT-W37": 3}))
    with django_assert_num_queries(12):
        response = buyer_client.get(url)
    assert len(response.context["cart"].lines.all()) == 3
