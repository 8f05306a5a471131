"""Passcode guessing: an order link's passcode takes a limited number of wrong tries per link
and per client address, at the API and on the link's page alike, then refuses every try (429)
until the failures are older than the window."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from linesheet.accounts.models import FailedAttempt
from linesheet.catalog.models import Catalog
from linesheet.ordering import services as ordering
from linesheet.ordering.models import Cart, OrderLink
from tests import factories
from tests.integration.api.conftest import client_for

pytestmark = pytest.mark.django_db

PASSCODE = "spring-27"
ADDRESS = "198.51.100.30"


@pytest.fixture
def catalog(brand: Any) -> Catalog:
    return factories.make_catalog(brand=brand, name="Spring Summer 2027", code="SS27", skus=2)


def guarded(catalog: Catalog, owner: Any) -> OrderLink:
    return ordering.order_link_create(catalog=catalog, created_by=owner, passcode=PASSCODE)


@pytest.fixture
def link(catalog: Catalog, owner: Any) -> OrderLink:
    return guarded(catalog, owner)


class Shop:
    """A buyer with an organisation, trying a link from one address through the API or the web."""

    def __init__(self, name: str, address: str = ADDRESS) -> None:
        self.user = factories.make_user(email=f"{name}@shop.test")
        self.organization = factories.make_organization(name=name, members=[self.user])
        self.address = address

    def api(self, link: OrderLink, passcode: str, **headers: str) -> Any:
        client = client_for(self.user)
        client.defaults["REMOTE_ADDR"] = self.address
        return client.post(
            f"/api/v1/buyer-orgs/{self.organization.pk}/carts",
            {"order_link": link.token, "passcode": passcode},
            format="json",
            **headers,
        )

    def web(self, link: OrderLink, passcode: str) -> Any:
        client = Client(REMOTE_ADDR=self.address)
        client.force_login(self.user)
        return client.post(
            reverse("order-link", args=[link.token]),
            {"organization": str(self.organization.pk), "passcode": passcode},
        )


def test_ten_wrong_passcodes_lock_the_link_then_even_the_right_one_is_refused_in_the_api(
    link: OrderLink,
) -> None:
    shop = Shop("guesser")
    for number in range(10):
        assert shop.api(link, f"guess-{number}").json()["code"] == "passcode_wrong"

    response = shop.api(link, PASSCODE)

    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "too_many_attempts"
    assert 0 < int(response["Retry-After"]) <= 900
    assert response.json()["retry_after"] == int(response["Retry-After"])
    assert not Cart.objects.exists()


def test_a_new_idempotency_key_for_each_guess_counts_all_the_same(link: OrderLink) -> None:
    shop = Shop("guesser")
    for number in range(10):
        response = shop.api(link, f"guess-{number}", HTTP_IDEMPOTENCY_KEY=f"key-{number}")
        assert response.json()["code"] == "passcode_wrong"

    response = shop.api(link, PASSCODE, HTTP_IDEMPOTENCY_KEY="key-right")

    assert response.status_code == 429
    assert not Cart.objects.exists()


def test_the_links_page_refuses_a_locked_link_with_429_and_the_message(link: OrderLink) -> None:
    shop = Shop("guesser")
    for number in range(10):
        assert shop.web(link, f"guess-{number}").status_code == 403

    response = shop.web(link, PASSCODE)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 900
    assert response.context["form"].errors["passcode"] == [
        "Too many wrong passcodes for this link or from your network. Try again in 15 minutes."
    ]
    assert not Cart.objects.exists()


def test_guesses_in_the_api_and_on_the_page_count_together(link: OrderLink) -> None:
    shop = Shop("guesser")
    for number in range(5):
        shop.api(link, f"api-{number}")
        shop.web(link, f"web-{number}")

    assert shop.api(link, PASSCODE).status_code == 429
    assert shop.web(link, PASSCODE).status_code == 429


def test_a_locked_link_refuses_every_address_while_other_links_stay_open(
    catalog: Catalog, owner: Any, link: OrderLink
) -> None:
    for number in range(10):
        Shop(f"guesser{number}", address=f"192.0.2.{number}").api(link, "wrong")
    other_link = guarded(catalog, owner)
    shop = Shop("honest", address="203.0.113.77")

    assert shop.api(link, PASSCODE).status_code == 429
    assert shop.api(other_link, PASSCODE).status_code == 201


def test_twenty_wrong_passcodes_from_one_address_lock_it_for_every_link(
    catalog: Catalog, owner: Any
) -> None:
    links = [guarded(catalog, owner) for _ in range(4)]
    guesser = Shop("guesser")
    for link in links[:3]:
        for _ in range(7):
            guesser.api(link, "wrong")
    assert FailedAttempt.objects.count() == 20  # 7, 7 and 6: the twenty-first try was refused

    elsewhere = Shop("elsewhere", address="203.0.113.78")
    assert Shop("colleague").api(links[3], PASSCODE).status_code == 429
    assert elsewhere.api(links[3], PASSCODE).status_code == 201


def test_the_lock_lifts_when_the_failures_leave_the_window(link: OrderLink) -> None:
    shop = Shop("guesser")
    for _ in range(10):
        shop.api(link, "wrong")
    FailedAttempt.objects.update(failed_at=timezone.now() - datetime.timedelta(seconds=901))

    assert shop.api(link, PASSCODE).status_code == 201


def test_a_right_passcode_leaves_no_failure_behind(link: OrderLink) -> None:
    shop = Shop("buyer")
    shop.api(link, "wrong")

    assert shop.api(link, PASSCODE).status_code == 201
    assert FailedAttempt.objects.count() == 1


def test_the_limits_follow_the_settings(link: OrderLink, settings: Any) -> None:
    settings.PASSCODE_FAILURES_PER_LINK = 2
    shop = Shop("guesser")
    shop.api(link, "wrong")
    shop.api(link, "wrong")

    assert shop.api(link, PASSCODE).status_code == 429


def test_the_brands_link_form_says_the_limit(
    client: Client, brand: Any, owner: Any, catalog: Catalog
) -> None:
    client.force_login(owner)

    page = client.get(reverse("brand-catalog-order-links", args=[brand.slug, catalog.pk]))

    assert (
        "After 10 wrong passcodes within 15 minutes (20 from one network), the link refuses "
        "every passcode until those failures are 15 minutes old."
    ) in page.text
