"""Every secret that opens a door on its own is too long to guess: the links' tokens (an
invitation's, an order link's) and the API's bearer tokens carry at least 128 random bits, so
they need no attempt limit; the short secrets people type (passwords, passcodes) have one."""

from __future__ import annotations

import string
from collections.abc import Callable

import pytest

from linesheet.accounts.members import brand_member_invite
from linesheet.accounts.models import new_invitation_token
from linesheet.accounts.tokens import api_token_issue
from linesheet.ordering.models import new_link_token
from tests import factories

pytestmark = pytest.mark.django_db

URL_SAFE = set(string.ascii_letters + string.digits + "-_")
SECRETS: dict[str, Callable[[], str]] = {
    "invitation link": new_invitation_token,
    "order link": new_link_token,
    "API token": lambda: api_token_issue(user=factories.make_user())[1],
    "team invitation link": lambda: _member_invitation_token(),
}


def _member_invitation_token() -> str:
    brand = factories.make_brand()
    owner = factories.make_member(brand=brand)
    return brand_member_invite(brand=brand, actor=owner, email="x@example.test", role="staff")[1]


@pytest.mark.parametrize("make", SECRETS.values(), ids=SECRETS.keys())
def test_every_secret_that_opens_a_door_alone_carries_at_least_128_random_bits(
    make: Callable[[], str],
) -> None:
    samples = [make() for _ in range(50)]

    assert len(set(samples)) == len(samples)
    assert all(set(sample) <= URL_SAFE for sample in samples)  # 6 bits a character
    assert min(len(sample) for sample in samples) * 6 >= 128
