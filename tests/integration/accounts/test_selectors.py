"""`brand_membership_get` reads the membership and its brand as the ORM would, in one query."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from linesheet.accounts.models import BrandMembership
from linesheet.accounts.selectors import brand_membership_get
from tests import factories
from tests.model_values import field_values

pytestmark = pytest.mark.django_db


def test_a_members_membership_comes_with_its_brand_in_one_query(
    django_assert_num_queries: Any,
) -> None:
    brand = factories.make_brand()
    user = factories.make_member(brand=brand, role="viewer")
    expected = BrandMembership.objects.select_related("brand").get(user=user, brand=brand)
    with django_assert_num_queries(1):
        membership = brand_membership_get(user=user, brand_slug=brand.slug)
        assert membership is not None
        assert membership.brand.slug == brand.slug  # cached: no second query
    assert field_values(membership) == field_values(expected)
    assert field_values(membership.brand) == field_values(expected.brand)
    assert membership.can_write is False


def test_no_membership_for_another_brand_an_unknown_slug_or_nobody() -> None:
    brand, other = factories.make_brand(), factories.make_brand()
    user = factories.make_member(brand=brand)
    assert brand_membership_get(user=user, brand_slug=other.slug) is None
    assert brand_membership_get(user=user, brand_slug="no-such-brand") is None
    assert brand_membership_get(user=AnonymousUser(), brand_slug=brand.slug) is None
    outsider = factories.make_member(brand=other)
    assert brand_membership_get(user=outsider, brand_slug=brand.slug) is None
