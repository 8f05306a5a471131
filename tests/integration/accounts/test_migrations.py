"""The accounts migrations keep what counts: failed logins, and the tokens issued before."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from rest_framework.test import APIClient

from linesheet.accounts.models import ApiToken, FailedAttempt
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def migrate_back() -> Iterator[Callable[[str], Any]]:
    """Return a function that unapplies accounts' migrations after the one named and gives
    that state's models; migrate to the latest after the test."""

    def back(name: str) -> Any:
        target = [("accounts", name)]
        executor = MigrationExecutor(connection)
        executor.migrate(target)
        return executor.loader.project_state(target).apps

    yield back
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def migrate_forward() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_failed_logins_go_on_counting_as_failed_attempts_at_the_login(
    migrate_back: Callable[[str], Any],
) -> None:
    old_apps = migrate_back("0004_time_zones")
    failed_at = timezone.now() - datetime.timedelta(minutes=3)
    old_apps.get_model("accounts", "LoginFailure").objects.create(
        email="owner@atelier.test", address="198.51.100.7", failed_at=failed_at
    )

    migrate_forward()

    assert list(FailedAttempt.objects.values_list("door", "subject", "address", "failed_at")) == [
        ("login", "owner@atelier.test", "198.51.100.7", failed_at)
    ]


def test_tokens_kept_in_plain_text_before_are_carried_over_as_digests(
    migrate_back: Callable[[str], Any], settings: Any
) -> None:
    migrate_back("0005_failed_attempts")
    user = factories.make_user()
    key, created = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b", timezone.now()
    created_type = "timestamp with time zone" if connection.vendor == "postgresql" else "datetime"
    with connection.cursor() as cursor:  # DRF's authtoken table, as it was
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) NOT NULL PRIMARY KEY, "
            f"created {created_type} NOT NULL, user_id bigint NOT NULL UNIQUE)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [key, connection.ops.adapt_datetimefield_value(created), user.pk],
        )
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)",
            ["authtoken", "0001_initial", connection.ops.adapt_datetimefield_value(created)],
        )

    migrate_forward()

    token = ApiToken.objects.get()
    assert (token.user_id, token.digest) == (user.pk, hashlib.sha256(key.encode()).hexdigest())
    assert token.created_at == created
    assert token.expires_at > timezone.now() + datetime.timedelta(days=89)
    assert "authtoken_token" not in connection.introspection.table_names()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations WHERE app = 'authtoken'")
        assert cursor.fetchone() == (0,)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/me").status_code == 200


def test_every_brand_comes_out_of_the_migration_with_exactly_one_owner(
    migrate_back: Callable[[str], Any],
) -> None:
    old_apps = migrate_back("0006_api_tokens")
    Brand = old_apps.get_model("accounts", "Brand")
    User = old_apps.get_model("accounts", "User")
    BrandMembership = old_apps.get_model("accounts", "BrandMembership")

    def members(slug: str, roles: list[str]) -> list[int]:
        brand = Brand.objects.create(slug=slug, name=slug)
        return [
            BrandMembership.objects.create(
                brand=brand,
                user=User.objects.create(email=f"{slug}-{number}@example.test"),
                role=role,
            ).pk
            for number, role in enumerate(roles)
        ]

    only = members("only", ["staff"])
    staff_first = members("staff-first", ["viewer", "staff", "admin", "admin"])
    two_owners = members("two-owners", ["owner", "staff", "owner"])
    fine = members("fine", ["viewer", "owner"])
    Brand.objects.create(slug="empty", name="empty")

    migrate_forward()

    def roles(ids: list[int]) -> list[str]:
        from linesheet.accounts.models import BrandMembership as Membership

        return [Membership.objects.get(pk=pk).role for pk in ids]

    assert roles(only) == ["owner"]
    # The earliest member of the highest role there is becomes the owner.
    assert roles(staff_first) == ["viewer", "staff", "owner", "admin"]
    assert roles(two_owners) == ["owner", "staff", "admin"]
    assert roles(fine) == ["viewer", "owner"]


def test_an_organisations_addresses_become_the_defaults_of_its_address_book(
    migrate_back: Callable[[str], Any],
) -> None:
    old_apps = migrate_back("0007_brand_members")
    BuyerOrganization = old_apps.get_model("accounts", "BuyerOrganization")
    both = BuyerOrganization.objects.create(
        name="Both", delivery_address="1 Shop St\nParis", billing_address="Accounts, Paris"
    )
    none = BuyerOrganization.objects.create(name="None", delivery_address=" ")

    migrate_forward()

    from linesheet.accounts.models import OrganizationAddress

    assert sorted(
        OrganizationAddress.objects.filter(organization_id=both.pk).values_list(
            "kind", "text", "is_default"
        )
    ) == [("billing", "Accounts, Paris", True), ("delivery", "1 Shop St\nParis", True)]
    assert not OrganizationAddress.objects.filter(organization_id=none.pk).exists()
