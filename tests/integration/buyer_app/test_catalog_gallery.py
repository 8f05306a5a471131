"""The buyer's catalog as a gallery: a card per product, searched and filtered by the query
string, in bounded pages, only from catalogs the organisation sees."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from linesheet.catalog.models import SKU
from linesheet.web.gallery import GALLERY_PAGE_SIZE
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(brand: Any, connected_buyer: Any) -> Any:
    """Three products: a navy and grey knit, a black coat, a navy scarf with no category."""
    catalog = factories.make_catalog(brand=brand, name="Autumn Winter", skus=0)
    factories.make_product(
        catalog=catalog,
        model_number="KN-100",
        name="Merino Crew",
        category="Knitwear",
        colors=("Navy", "Grey"),
        sizes=("S", "M"),
        retail_price=Decimal("100.00"),
    )
    factories.make_product(
        catalog=catalog,
        model_number="OW-200",
        name="Wool Coat",
        category="Outerwear",
        colors=("Black",),
        sizes=("M", "L"),
        retail_price=Decimal("300.00"),
    )
    factories.make_product(
        catalog=catalog, model_number="AC-300", name="Cashmere Scarf", colors=("Navy",)
    )
    return catalog


def shown(client: Client, catalog: Any, **query: str) -> list[str]:
    response = client.get(reverse("buyer-catalog", args=[catalog.pk]), query)
    assert response.status_code == 200
    return [card.product.model_number for card in response.context["cards"]]


def test_the_gallery_shows_a_card_per_product_by_model_number_with_its_colours_and_prices(
    buyer_client: Client, catalog: Any
) -> None:
    SKU.objects.filter(sku_number="OW-200-Black-L").update(retail_price=Decimal("320.00"))

    response = buyer_client.get(reverse("buyer-catalog", args=[catalog.pk]))

    cards = response.context["cards"]
    assert [card.product.model_number for card in cards] == ["AC-300", "KN-100", "OW-200"]
    _scarf, knit, coat = cards
    assert knit.colors == ["Navy", "Grey"]
    assert (coat.price_low, coat.price_high) == (Decimal("135.00"), Decimal("144.00"))
    assert "Wholesale</span> 135.00 \N{EN DASH} 144.00 EUR" in response.text
    assert (
        'href="{}"'.format(reverse("buyer-catalog-product", args=[catalog.pk, coat.product.pk]))
        in response.text
    )
    assert response.text.count("thumb-placeholder") == 3  # no images yet
    assert "3 products" in response.text


def test_the_text_search_narrows_to_names_and_model_numbers_that_hold_it(
    buyer_client: Client, catalog: Any
) -> None:
    assert shown(buyer_client, catalog, q="wool") == ["OW-200"]
    assert shown(buyer_client, catalog, q="kn-1") == ["KN-100"]
    assert shown(buyer_client, catalog, q="  CASHMERE ") == ["AC-300"]
    assert shown(buyer_client, catalog, q="nothing like it") == []


def test_the_colour_filter_keeps_the_products_with_an_orderable_sku_in_that_colour(
    buyer_client: Client, catalog: Any
) -> None:
    assert shown(buyer_client, catalog, color="Navy") == ["AC-300", "KN-100"]
    SKU.objects.filter(product__model_number="AC-300").update(is_active=False)
    assert shown(buyer_client, catalog, color="Navy") == ["KN-100"]


def test_the_category_filter_keeps_that_category_and_filters_combine(
    buyer_client: Client, catalog: Any
) -> None:
    assert shown(buyer_client, catalog, category="Knitwear") == ["KN-100"]
    assert shown(buyer_client, catalog, category="Outerwear", q="coat") == ["OW-200"]
    assert shown(buyer_client, catalog, category="Outerwear", color="Navy") == []

    response = buyer_client.get(reverse("buyer-catalog", args=[catalog.pk]))
    assert response.context["filters"].fields["category"].choices[1:] == [
        ("Knitwear", "Knitwear"),
        ("Outerwear", "Outerwear"),
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"q": "x" * 5000}, "q"),
        ({"q": "wool\x00coat"}, "q"),
        ({"color": "Chartreuse"}, "color"),
        ({"color": "\x00"}, "color"),
        ({"category": "<script>alert(1)</script>"}, "category"),
    ],
)
def test_a_hostile_filter_is_refused_on_its_field_and_the_gallery_still_answers(
    buyer_client: Client, catalog: Any, query: dict[str, str], field: str
) -> None:
    response = buyer_client.get(reverse("buyer-catalog", args=[catalog.pk]), query)

    assert response.status_code == 200
    assert response.context["filters"].errors.keys() == {field}
    # The refused filter narrows nothing; the page says so, and shows what it can.
    assert len(response.context["cards"]) == 3
    assert "<script>alert(1)</script>" not in response.text
    assert "Please correct the fields marked below." in response.text


def test_a_valid_filter_still_applies_beside_a_refused_one(
    buyer_client: Client, catalog: Any
) -> None:
    assert shown(buyer_client, catalog, q="coat", color="Chartreuse") == ["OW-200"]


@pytest.mark.parametrize("number", ["0", "-3", "999999", "abc", "9" * 5000, "2\x00"])
def test_any_page_number_answers_a_page(buyer_client: Client, catalog: Any, number: str) -> None:
    assert shown(buyer_client, catalog, page=number) == ["AC-300", "KN-100", "OW-200"]


def test_the_gallery_is_cut_into_pages_that_keep_the_filters(
    buyer_client: Client, brand: Any, connected_buyer: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=0)
    for n in range(GALLERY_PAGE_SIZE + 2):
        factories.make_product(catalog=catalog, model_number=f"M-{n:03}", colors=("Red",))
    url = reverse("buyer-catalog", args=[catalog.pk])

    first = buyer_client.get(url, {"color": "Red"})
    second = buyer_client.get(url, {"color": "Red", "page": "2"})

    assert len(first.context["cards"]) == GALLERY_PAGE_SIZE
    assert 'href="?color=Red&amp;page=2" rel="next"' in first.text
    assert [card.product.model_number for card in second.context["cards"]] == [
        f"M-{GALLERY_PAGE_SIZE:03}",
        f"M-{GALLERY_PAGE_SIZE + 1:03}",
    ]
    assert "page 2 of 2" in second.text


def test_a_page_costs_the_same_statements_for_one_product_and_for_a_full_page(
    buyer_client: Client, brand: Any, connected_buyer: Any, django_assert_num_queries: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=0)
    factories.make_product(catalog=catalog, category="Knitwear")
    url = reverse("buyer-catalog", args=[catalog.pk])
    query = {"q": "Product", "color": "Black", "category": "Knitwear"}
    buyer_client.get(url, query)
    # session, user, organisations, memberships; catalog, buyer record, cart; the colours and
    # categories to choose from; the count, the page's products, their SKUs, their main
    # images; the header's cart count
    with django_assert_num_queries(14) as one:
        buyer_client.get(url, query)

    for _ in range(GALLERY_PAGE_SIZE * 2):
        product = factories.make_product(
            catalog=catalog, category="Knitwear", colors=("Black", "Red"), sizes=("S", "M", "L")
        )
        factories.add_product_image(product)
    with django_assert_num_queries(len(one.captured_queries)):
        response = buyer_client.get(url, query)
    assert len(response.context["cards"]) == GALLERY_PAGE_SIZE
    assert response.text.count('<img class="thumb thumb-m"') == GALLERY_PAGE_SIZE - 1


def test_the_buyer_never_sees_the_products_of_a_catalog_it_may_not_see(
    buyer_client: Client, brand: Any, connected_buyer: Any
) -> None:
    unlisted = factories.make_catalog(brand=brand, status="limited", skus=0)
    secret = factories.make_product(catalog=unlisted, name="Secret Sample")
    foreign = factories.make_catalog(brand=factories.make_brand(), skus=0)
    stranger = factories.make_product(catalog=foreign, name="Foreign Coat")

    for catalog, product in ((unlisted, secret), (foreign, stranger)):
        gallery = buyer_client.get(reverse("buyer-catalog", args=[catalog.pk]), {"q": "e"})
        grid = buyer_client.get(reverse("buyer-catalog-product", args=[catalog.pk, product.pk]))
        assert (gallery.status_code, grid.status_code) == (404, 404)

    unlisted.access_buyers.add(connected_buyer)
    response = buyer_client.get(reverse("buyer-catalog", args=[unlisted.pk]))
    assert [card.product for card in response.context["cards"]] == [secret]


def test_a_product_of_another_catalog_is_not_found_under_this_one(
    buyer_client: Client, brand: Any, catalog: Any
) -> None:
    other = factories.make_catalog(brand=brand, skus=1)
    product = other.products.get()

    url = reverse("buyer-catalog-product", args=[catalog.pk, product.pk])

    assert buyer_client.get(url).status_code == 404
    assert (
        buyer_client.get(reverse("buyer-catalog-product", args=[other.pk, product.pk])).status_code
        == 200
    )


def test_a_card_shows_the_products_main_image_and_the_grid_each_colours_own(
    buyer_client: Client, catalog: Any
) -> None:
    knit = catalog.products.get(model_number="KN-100")
    main = factories.add_product_image(knit)
    navy = factories.add_product_image(knit, color="Navy", rgb=(20, 30, 90))
    factories.add_product_image(knit, color="Grey", thumbnails=False)  # not made yet

    gallery = buyer_client.get(reverse("buyer-catalog", args=[catalog.pk]))
    page = buyer_client.get(reverse("buyer-catalog-product", args=[catalog.pk, knit.pk]))

    [card] = [card for card in gallery.context["cards"] if card.product == knit]
    assert card.image == main
    assert gallery.text.count('<img class="thumb thumb-m"') == 1
    assert page.context["image"] == main
    assert page.text.count('<img class="thumb thumb-l"') == 1
    (navy_row, navy_picture), (grey_row, grey_picture) = page.context["rows"]
    assert (navy_row.color, navy_picture.image) == ("Navy", navy)
    assert (grey_row.color, grey_picture) == ("Grey", None)
    assert f'data-picture="{navy_picture.url}"' in page.text
    assert page.text.count("data-picture=") == 1


def test_a_category_sent_to_a_catalog_without_categories_is_refused_where_it_shows(
    buyer_client: Client, brand: Any, connected_buyer: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=1)
    url = reverse("buyer-catalog", args=[catalog.pk])

    plain = buyer_client.get(url)
    refused = buyer_client.get(url, {"category": "Knitwear"})

    assert 'name="category"' not in plain.text  # nothing to choose from
    assert 'name="category"' in refused.text
    assert "Select a valid choice. Knitwear is not one of the available choices." in refused.text
    assert len(refused.context["cards"]) == 1
