"""The whole return loop in both apps, with the real worker delivering over real SMTP."""

from __future__ import annotations

import re
from email.message import Message
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from linesheet.documents.services import confirmation_save
from linesheet.ordering.models import Order
from tests import factories
from tests.browser.test_brand_returns_an_order import log_in
from tests.smtp_inbox import SmtpInbox

pytestmark = pytest.mark.browser


def text_of(message: Message) -> str:
    text, _html = (part.get_payload(decode=True).decode() for part in message.get_payload())
    return text


def link_in(message: Message) -> str:
    [link] = re.findall(r"https?://\S+", text_of(message))
    return link


def test_the_brand_returns_an_order_the_buyer_corrects_it_and_the_brand_sees_what_changed(
    page: Page, live_server: Any, settings: Any, smtp_server: SmtpInbox, run_worker: Any
) -> None:
    settings.BASE_URL = live_server.url  # the emails' links lead to this server
    brand = factories.make_brand(slug="atelier", name="Atelier")
    owner = factories.make_member(
        brand=brand, user=factories.make_user(email="olivia@atelier.test", full_name="Olivia")
    )
    catalog = factories.make_catalog(brand=brand, name="Autumn Winter 2027", skus=3)
    coat, scarf, hat = factories.sku_numbers(catalog)  # 50.00 each at the buyer's rate
    shopper = factories.make_user(email="claire@maison.test")
    buyer = factories.make_connected_buyer(
        brand=brand, members=[shopper], recipients=["orders@maison.test"]
    )
    old = factories.make_order(
        buyer=buyer, catalog=catalog, quantities={coat: 2, scarf: 3, hat: 1}, user=shopper
    )
    # The brand's OC: more coats, no hats.
    confirmation_save(
        order_id=old.pk,
        quantities={coat: 4, scarf: 3},
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
    )

    # The brand returns the order with a message.
    log_in(page, owner.email)
    page.goto(f"/brand/atelier/orders/{old.code}/")
    page.get_by_role("link", name="Return to buyer's cart").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Message to the buyer").fill("Please take our coat quantity.")
    dialog.get_by_label("I understand that a return cannot be undone.").check()
    dialog.get_by_role("button", name="Return order to cart").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Returned to cart")
    page.get_by_role("button", name="Log out").click()

    # The buyer's email leads to the returned cart, with the message and the OC.
    run_worker()
    [to_buyer] = smtp_server.messages
    assert to_buyer["X-Envelope-To"] == "orders@maison.test"
    log_in(page, shopper.email)
    page.goto(link_in(to_buyer))
    expect(page.locator(".return-message")).to_contain_text("Please take our coat quantity.")
    proposals = page.locator(".oc-proposals")
    expect(proposals.get_by_role("row").filter(has_text=coat).locator(".oc-qty")).to_have_text("4")
    expect(proposals.get_by_role("row").filter(has_text=hat).locator(".oc-qty")).to_have_text("0")

    # The buyer takes the coats, orders more scarves, keeps the hat, and orders again.
    proposals.get_by_role("row").filter(has_text=coat).get_by_role(
        "button", name="Use the brand's quantity"
    ).click()
    expect(page.get_by_label(f"Quantity of {coat}")).to_have_value("4")
    page.get_by_label(f"Quantity of {scarf}").fill("5")
    page.get_by_role("button", name="Save quantities").click()
    expect(page.get_by_role("status")).to_contain_text("The quantities were saved.")
    page.get_by_role("button", name="Place the order").click()
    page.get_by_role("dialog").get_by_role("button", name="Place the order").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your order is placed")
    new = Order.objects.get(replaces=old)
    page.get_by_role("button", name="Log out").click()

    # The brand staff member who returned it gets the email, with both codes and the link.
    run_worker()
    to_brand = smtp_server.messages[-1]
    assert to_brand["X-Envelope-To"] == owner.email
    assert old.code in to_brand["Subject"] and new.code in to_brand["Subject"]
    log_in(page, owner.email)
    page.goto(link_in(to_brand))

    # The new order's page shows what the buyer changed, and how it compares with the OC.
    expect(page.get_by_role("heading", level=1)).to_contain_text(new.code)
    changes = page.locator(".order-changes")
    expect(changes).to_contain_text(f"Against the returned order {old.code}")
    expect(changes).to_contain_text("2 lines changed")
    expect(changes).to_contain_text("Total quantity 6 → 10; amount 300.00 → 500.00 EUR.")
    expect(changes).to_contain_text(
        "The returned order's OC changed 2 lines; this order took the brand's quantities on 1 "
        "of them."
    )
    expect(changes).to_contain_text(f"Not taken: {hat} (OC 0, ordered 1)")
    expect(changes.get_by_role("row").filter(has_text=coat)).to_contain_text("2 → 4")
    expect(changes.get_by_role("row").filter(has_text=scarf)).to_contain_text("3 → 5")
    expect(changes.get_by_role("row").filter(has_text=hat)).to_have_count(0)
    changes.get_by_role("link", name=old.code).click()
    expect(page).to_have_url(re.compile(rf"/brand/atelier/orders/{re.escape(old.code)}/$"))
    history = page.locator(".timeline")
    expect(history).to_contain_text("Placed again as a new order")
    expect(history).to_contain_text(f"{owner.email}, who returned it, gets an email about it.")
