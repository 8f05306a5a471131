"""`brand_membership_get`: the user's membership of a brand, with the brand, in one query."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from linesheet.accounts.selectors import brand_membership_get
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_members_membership_comes_with_its_brand_in_one_query(
    django_assert_num_queries: Any,
) -> None:
    brand = factories.make_brand()
    user = factories.make_member(brand=brand, role="viewer")
    with django_assert_num_queries(1):
        membership = brand_membership_get(user=user, brand_slug=brand.slug)
        assert membership is not None
        assert membership.brand.slug == brand.slug  # cached: no second query
    assert (membership.user_id, membership.brand_id, membership.role) == (
        user.pk,
        brand.pk,
        "viewer",
    )
    assert membership.can_write is False


def test_no_membership_for_another_brand_an_unknown_slug_or_nobody() -> None:
    brand, other = factories.make_brand(), factories.make_brand()
    user = factories.make_member(brand=brand)
    assert brand_membership_get(user=user, brand_slug=other.slug) is None
    assert brand_membership_get(user=user, brand_slug="no-such-brand") is None
    assert brand_membership_get(user=AnonymousUser(), brand_slug=brand.slug) is None
    outsider = factories.make_member(brand=other)
    assert brand_membership_get(user=outsider, brand_slug=brand.slug) is None
