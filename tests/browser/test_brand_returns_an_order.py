from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from linesheet.documents.services import (
    confirmation_confirm,
    confirmation_save,
    delivery_note_create,
)
from linesheet.notifications.models import OutboundEmail
from linesheet.ordering.models import Cart, Order
from tests import factories

pytestmark = pytest.mark.browser


def log_in(page: Page, email: str) -> None:
    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_the_brand_returns_an_order_and_both_apps_show_the_new_order_that_replaces_it(
    page: Page,
) -> None:
    brand = factories.make_brand(slug="atelier", name="Atelier")
    owner = factories.make_member(brand=brand, user=factories.make_user(email="owner@atelier.test"))
    catalog = factories.make_catalog(brand=brand, name="Spring Summer 2026", skus=2)
    first, second = factories.sku_numbers(catalog)
    shopper = factories.make_user(email="claire@maison.test")
    buyer = factories.make_connected_buyer(
        brand=brand, members=[shopper], recipients=["orders@maison.test"]
    )
    old = factories.make_order(buyer=buyer, catalog=catalog, quantities={first: 2, second: 3})

    # The brand: the order page, the dialog, the message, the confirmation.
    log_in(page, owner.email)
    page.goto(f"/brand/atelier/orders/{old.code}/")
    page.get_by_role("link", name="Return to buyer's cart").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Email the buyer")).to_be_checked()
    dialog.get_by_label("Message to the buyer").fill("Please <b>split</b> the sizes")
    dialog.get_by_label("I understand that a return cannot be undone.").check()
    dialog.get_by_role("button", name="Return order to cart").click()

    expect(page.get_by_role("status")).to_contain_text("returned")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Returned to cart")
    cart = Cart.objects.get()
    assert (cart.returned_by_brand, cart.source_order_id) == (True, old.pk)
    assert OutboundEmail.objects.get().to == ["orders@maison.test"]
    page.get_by_role("button", name="Log out").click()

    # The buyer: the badge, a changed quantity, the new order.
    log_in(page, shopper.email)
    page.goto(f"/carts/{cart.pk}/")
    expect(page.locator(".return-banner")).to_contain_text("Returned by Atelier")
    expect(page.locator(".return-message")).to_contain_text("Please <b>split</b> the sizes")
    page.get_by_label(f"Quantity of {second}").fill("1")
    page.get_by_role("button", name="Save quantities").click()
    page.get_by_role("button", name="Place the order").click()
    page.get_by_role("dialog").get_by_role("button", name="Place the order").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your order is placed")
    new = Order.objects.exclude(pk=old.pk).get()
    assert new.code != old.code and new.replaces_id == old.pk
    expect(page.locator(".placed__code")).to_contain_text(new.code)
    page.get_by_role("button", name="Log out").click()

    # The brand again: the returned order links to the order that replaces it.
    log_in(page, owner.email)
    page.goto(f"/brand/atelier/orders/{old.code}/")
    page.get_by_role("link", name=new.code).first.click()
    expect(page).to_have_url(re.compile(rf"/brand/atelier/orders/{re.escape(new.code)}/$"))
    expect(page.locator("body")).to_contain_text(f"{old.code}")


def test_a_blocked_return_and_a_blocked_rejection_look_and_act_disabled_with_their_reasons(
    page: Page,
) -> None:
    brand = factories.make_brand(slug="atelier", name="Atelier")
    owner = factories.make_member(brand=brand, user=factories.make_user(email="owner@atelier.test"))
    catalog = factories.make_catalog(brand=brand, name="Spring Summer 2026", skus=2)
    first, second = factories.sku_numbers(catalog)
    buyer = factories.make_connected_buyer(brand=brand)
    order = factories.make_order(buyer=buyer, catalog=catalog, quantities={first: 2, second: 3})
    confirmation_save(
        order_id=order.pk,
        quantities={first: 2, second: 3},
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
    )
    confirmation_confirm(order_id=order.pk, actor=owner, notify=False)
    note = delivery_note_create(order_id=order.pk, actor=owner)

    log_in(page, owner.email)
    page.goto(f"/brand/atelier/orders/{order.code}/")

    panel = page.locator("#return-to-cart")
    button = panel.get_by_role("button", name="Return to buyer's cart")
    expect(button).to_be_disabled()
    expect(panel.get_by_role("link", name="Return to buyer's cart")).to_have_count(0)
    expect(button).to_have_accessible_description(re.compile(f"Delivery note {note.number}"))
    button.click(force=True)  # a click on it opens nothing
    expect(page.get_by_role("dialog")).to_have_count(0)
    # Its look is the look of the operations under "Not possible now" (reject among them).
    rejected = page.locator('[data-action="reject"] button')
    expect(rejected).to_be_disabled()
    look = "el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]"
    assert button.evaluate(look) == rejected.evaluate(look)
    expect(page.locator('[data-action="reject"]')).to_contain_text(
        f"Delivery note {note.number} references this order. Delete it before rejecting"
    )
