"""Real concurrency on PostgreSQL: uploads and a removal at once keep positions 0, 1, 2, ..."""

from __future__ import annotations

from typing import Any

import pytest

from linesheet.catalog.models import ProductImage
from linesheet.catalog.services import product_image_remove, product_images_add
from tests import factories
from tests.image_files import image_bytes, upload
from tests.integration.ordering.test_races import run_at_once

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


def test_two_uploads_and_a_removal_at_once_leave_the_positions_without_gaps_or_twins() -> None:
    for _round in range(ROUNDS):
        product = factories.make_catalog(brand=factories.make_brand()).products.get()
        [first] = product_images_add(
            product=product, files=[upload(image_bytes())], color="", actor=None
        )

        def add(count: int, product: Any = product) -> Any:
            files = [upload(image_bytes()) for _ in range(count)]
            return product_images_add(product=product, files=files, color="", actor=None)

        results = run_at_once(
            [
                lambda: add(2),
                lambda: add(3),
                lambda first=first: product_image_remove(image=first, actor=None),
            ]
        )

        assert not [result for result in results if isinstance(result, BaseException)], results
        positions = list(
            ProductImage.objects.filter(product=product).values_list("position", flat=True)
        )
        assert sorted(positions) == list(range(5)), positions
