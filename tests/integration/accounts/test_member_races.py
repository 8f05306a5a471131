"""Real concurrency on PostgreSQL: two members changing the team at once keep one owner."""

from __future__ import annotations

import pytest

from linesheet.accounts.errors import AccountsError, AccountsErrorCode
from linesheet.accounts.members import brand_member_role_change, brand_ownership_transfer
from linesheet.accounts.models import BrandMembership
from tests import factories
from tests.integration.ordering.test_races import run_at_once

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

ROUNDS = 10


def test_a_hand_over_and_a_demotion_of_the_heir_at_once_leave_exactly_one_owner() -> None:
    """Unlocked, the demotion could read the heir as staff, then write viewer over the owner."""
    outcomes = []
    for _round in range(ROUNDS):
        brand = factories.make_brand()
        owner = factories.make_member(brand=brand, role="owner")
        admin = factories.make_member(brand=brand, role="admin")
        heir = BrandMembership.objects.get(
            user=factories.make_member(brand=brand, role="staff"), brand=brand
        )

        results = run_at_once(
            [
                lambda brand=brand, owner=owner, heir=heir: brand_ownership_transfer(
                    brand=brand, actor=owner, member_id=heir.pk
                ),
                lambda brand=brand, admin=admin, heir=heir: brand_member_role_change(
                    brand=brand, actor=admin, member_id=heir.pk, role="viewer"
                ),
            ]
        )

        owners = list(
            BrandMembership.objects.filter(brand=brand, role="owner").values_list(
                "user_id", flat=True
            )
        )
        assert len(owners) == 1, (results, owners)
        transferred, demoted = results
        assert isinstance(transferred, BrandMembership), results
        if isinstance(demoted, AccountsError):
            # The hand-over came first: the heir is the owner, whom no role change touches.
            assert demoted.code == AccountsErrorCode.LAST_OWNER
            assert owners == [heir.user_id]
        else:
            # The demotion came first; the viewer was then made owner.
            assert owners == [heir.user_id]
        outcomes.append(type(demoted).__name__)
    print(f"\nhand-over against demotion, {ROUNDS} rounds: {sorted(outcomes)}")
