"""Identical requests for a document at the same moment are given one document (PostgreSQL)."""

from __future__ import annotations

import pytest

from linesheet.reporting.generation import document_request
from linesheet.reporting.line_sheet import line_sheet_for_brand
from linesheet.reporting.models import GeneratedDocument
from tests import factories
from tests.integration.ordering.test_races import run_at_once

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


def test_identical_requests_at_once_are_given_one_document() -> None:
    for _round in range(ROUNDS):
        brand = factories.make_brand()
        catalog = factories.make_catalog(brand=brand, skus=3)
        asked = line_sheet_for_brand(catalog=catalog, prices="both")

        results = run_at_once([lambda asked=asked: document_request(request=asked, user=None)] * 4)

        assert all(isinstance(result, GeneratedDocument) for result in results), results
        assert len({result.pk for result in results}) == 1
        assert GeneratedDocument.objects.filter(catalog=catalog).count() == 1
