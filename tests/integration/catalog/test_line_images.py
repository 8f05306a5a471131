"""The picture each order line shows: its colour's first image, else one for every colour."""

from __future__ import annotations

from typing import Any

import pytest

from linesheet.catalog.models import SKU
from linesheet.catalog.selectors import sku_line_images
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def skus(catalog: Any) -> list[SKU]:
    """The catalog's three SKUs: Ecru, Black, Navy."""
    skus = list(SKU.objects.filter(product__catalog=catalog).order_by("position"))
    for sku, color in zip(skus, ["Ecru", "Black", "Navy"], strict=True):
        SKU.objects.filter(pk=sku.pk).update(color=color)
    return skus


def test_a_line_shows_its_colours_first_image_else_the_first_for_every_colour(
    catalog: Any, skus: list[SKU], django_assert_num_queries: Any
) -> None:
    product = catalog.products.get()
    every = factories.add_product_image(product)
    black = factories.add_product_image(product, color="Black")
    first_ecru = factories.add_product_image(product, color="Ecru")
    factories.add_product_image(product, color="Ecru")

    with django_assert_num_queries(1):
        chosen = sku_line_images(sku_ids=[sku.pk for sku in skus])

    ecru_sku, black_sku, navy_sku = skus
    assert chosen[ecru_sku.pk] == first_ecru  # its colour's, though the others come first
    assert chosen[black_sku.pk] == black
    assert chosen[navy_sku.pk] == every  # no Navy image: the one for every colour


def test_a_line_whose_colour_has_no_image_and_none_for_every_colour_shows_the_main_one(
    catalog: Any, skus: list[SKU]
) -> None:
    ecru = factories.add_product_image(catalog.products.get(), color="Ecru")

    chosen = sku_line_images(sku_ids=[sku.pk for sku in skus])

    assert {sku_id: image.pk for sku_id, image in chosen.items()} == {
        sku.pk: ecru.pk for sku in skus
    }


def test_lines_of_a_product_without_images_have_none(
    skus: list[SKU], django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        assert sku_line_images(sku_ids=[sku.pk for sku in skus]) == {}
    with django_assert_num_queries(0):
        assert sku_line_images(sku_ids=[]) == {}
