"""A cart changed by one request while another orders or deletes it: refused with a code,
never a database error (found by the soak)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction

from linesheet.ordering.errors import OrderError
from linesheet.ordering.models import Cart, CartLine
from linesheet.ordering.services import cart_delete, cart_set_lines, cart_update, order_place
from tests import factories

# Committing transactions: the foreign keys are checked at commit, where the bug showed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cart_and_buyer() -> tuple[Cart, Any]:
    brand = factories.make_brand()
    catalog = factories.make_catalog(brand=brand, skus=3)
    buyer = factories.make_connected_buyer(brand=brand)
    return factories.make_cart(buyer=buyer, catalog=catalog), buyer


def test_setting_lines_on_a_cart_ordered_a_moment_ago_is_refused_as_not_found(
    cart_and_buyer: tuple[Cart, Any],
) -> None:
    cart, buyer = cart_and_buyer
    found_before_the_order = Cart.objects.get(pk=cart.pk)
    order_place(cart_id=cart.pk, organization=buyer.organization, placed_by=None)
    number = factories.sku_numbers(cart.catalog)[0]

    with pytest.raises(OrderError) as refusal:
        cart_set_lines(cart=found_before_the_order, quantities={number: 5})

    assert refusal.value.code == "cart_not_found"
    assert refusal.value.status == 404
    assert not CartLine.objects.filter(cart_id=cart.pk).exists()


def test_updating_a_cart_ordered_a_moment_ago_is_refused_as_not_found(
    cart_and_buyer: tuple[Cart, Any],
) -> None:
    cart, buyer = cart_and_buyer
    found_before_the_order = Cart.objects.get(pk=cart.pk)
    order_place(cart_id=cart.pk, organization=buyer.organization, placed_by=None)

    with pytest.raises(OrderError) as refusal:
        cart_update(cart=found_before_the_order, comment="Deliver in March")

    assert refusal.value.code == "cart_not_found"
    assert refusal.value.status == 404


@pytest.mark.postgres_only
def test_deleting_a_cart_while_its_lines_are_being_set_deletes_cart_and_lines(
    cart_and_buyer: tuple[Cart, Any],
) -> None:
    cart, _buyer = cart_and_buyer
    number = factories.sku_numbers(cart.catalog)[1]
    lines_written, commit_lines = threading.Event(), threading.Event()
    outcome: dict[str, Any] = {}

    def set_lines() -> None:
        try:
            with transaction.atomic():
                cart_set_lines(cart=cart, quantities={number: 7})
                lines_written.set()
                commit_lines.wait(timeout=10)
            outcome["set_lines"] = "committed"
        except Exception as exc:
            outcome["set_lines"] = exc
        finally:
            lines_written.set()
            connection.close()

    def delete() -> None:
        try:
            cart_delete(cart=cart)
            outcome["delete"] = "committed"
        except Exception as exc:
            outcome["delete"] = exc
        finally:
            connection.close()

    setter = threading.Thread(target=set_lines)
    setter.start()
    assert lines_written.wait(timeout=10)
    deleter = threading.Thread(target=delete)
    deleter.start()
    deleter.join(timeout=0.5)  # the delete waits for the lines' transaction (after the fix)
    commit_lines.set()
    setter.join(timeout=10)
    deleter.join(timeout=10)

    assert outcome == {"set_lines": "committed", "delete": "committed"}
    assert not Cart.objects.filter(pk=cart.pk).exists()
    assert not CartLine.objects.filter(cart_id=cart.pk).exists()
