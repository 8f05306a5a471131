"""A service's `operation()` takes a savepoint inside a caller's transaction, unless the caller
opened `all_or_nothing()`: then any error ends the whole transaction."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from linesheet.accounts.models import Brand
from linesheet.core.transactions import all_or_nothing, operation
from tests import factories

pytestmark = pytest.mark.django_db


class Refused(Exception):
    pass


def _service(slug: str, *, refuse: bool) -> None:
    """A stand-in service: writes, then refuses when told to."""
    with operation():
        Brand.objects.filter(slug=slug).update(name="changed")
        if refuse:
            raise Refused()


def _savepoints(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "SAVEPOINT" in q["sql"].upper()]


def test_in_a_callers_transaction_a_refusal_is_undone_and_the_caller_goes_on() -> None:
    brand = factories.make_brand()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        with pytest.raises(Refused):
            _service(brand.slug, refuse=True)
        # The savepoint undid the service's write, and the transaction is still usable.
        assert Brand.objects.get(pk=brand.pk).name == brand.name
    assert _savepoints(queries)


def test_inside_all_or_nothing_a_service_takes_no_savepoint() -> None:
    brand = factories.make_brand()
    with all_or_nothing(), CaptureQueriesContext(connection) as queries:
        _service(brand.slug, refuse=False)
    assert len(queries.captured_queries) == 1  # the UPDATE alone
    assert Brand.objects.get(pk=brand.pk).name == "changed"


def test_inside_all_or_nothing_an_error_rolls_back_everything() -> None:
    brand, other = factories.make_brand(), factories.make_brand()
    with pytest.raises(Refused), all_or_nothing():
        Brand.objects.filter(pk=other.pk).update(name="written first")
        _service(brand.slug, refuse=True)
    assert Brand.objects.get(pk=other.pk).name == other.name
    assert Brand.objects.get(pk=brand.pk).name == brand.name


def test_all_or_nothing_ends_with_its_block() -> None:
    brand = factories.make_brand()
    with transaction.atomic():
        with all_or_nothing():
            pass
        with CaptureQueriesContext(connection) as queries, pytest.raises(Refused):
            _service(brand.slug, refuse=True)
        assert _savepoints(queries)
        assert Brand.objects.get(pk=brand.pk).name == brand.name
