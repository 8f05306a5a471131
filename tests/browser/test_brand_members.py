from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from linesheet.ordering.models import Order
from tests import factories
from tests.browser.test_brand_returns_an_order import log_in
from tests.smtp_inbox import SmtpInbox

pytestmark = pytest.mark.browser


def test_an_owner_invites_a_viewer_who_signs_up_from_the_email_reads_and_changes_after_promotion(
    page: Page,
    browser: Browser,
    live_server: Any,
    settings: Any,
    smtp_server: SmtpInbox,
    run_worker: Any,
) -> None:
    settings.BASE_URL = live_server.url  # the email's link leads to this server
    brand = factories.make_brand(slug="atelier", name="Atelier")
    owner = factories.make_member(brand=brand, user=factories.make_user(email="owner@atelier.test"))
    catalog = factories.make_catalog(brand=brand, name="Spring Summer 2026", skus=2)
    order = factories.make_order(buyer=factories.make_connected_buyer(brand=brand), catalog=catalog)

    # The owner invites a colleague as viewer from Settings > Members.
    log_in(page, owner.email)
    page.goto("/brand/atelier/settings/numbering/")
    page.locator(".settings-nav").get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Members")
    expect(
        page.locator("#permissions [data-permission=members_manage] [data-role=staff]")
    ).to_have_text("—")
    page.get_by_label("Email", exact=True).fill("colleague@atelier.test")
    page.get_by_label("Role", exact=True).select_option("viewer")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text("The invitation to colleague@atelier.test")
    expect(page.locator("#invitations")).to_contain_text("colleague@atelier.test")

    # The email goes out through the worker and real SMTP; its link is the way in.
    run_worker()
    [email] = smtp_server.messages
    assert email["To"] == "colleague@atelier.test"
    text = email.get_payload(0).get_payload(decode=True).decode()
    link = re.search(rf"{re.escape(live_server.url)}/join/brand/[\w-]+/", text)
    assert link is not None, text

    colleague = browser.new_context(base_url=live_server.url).new_page()
    colleague.set_default_timeout(5_000)
    colleague.goto(link.group(0))
    expect(colleague.get_by_role("heading", level=1)).to_have_text("Join Atelier on linesheet")
    colleague.get_by_role("link", name="Create an account").click()
    expect(colleague.get_by_label("Email")).to_have_value("colleague@atelier.test")
    colleague.get_by_label("Your name").fill("Camille Roux")
    colleague.get_by_label("Password").fill("plum-velvet-harbour")
    colleague.get_by_role("button", name="Create account").click()
    colleague.get_by_role("button", name="Join Atelier").click()

    # A viewer: the orders are there, nothing can be changed.
    expect(colleague.get_by_role("status")).to_contain_text(
        "Welcome to Atelier. Your role is viewer."
    )
    expect(colleague.locator("body")).to_contain_text(order.code)
    expect(colleague.get_by_text("Read only")).to_be_visible()
    colleague.goto(f"/brand/atelier/orders/{order.code}/")
    expect(colleague.locator("#actions")).to_contain_text("Your role is viewer")
    expect(colleague.get_by_text("Add tags")).to_have_count(0)
    colleague.goto("/brand/atelier/settings/members/")
    expect(colleague.get_by_role("button", name="Send invitation")).to_be_disabled()
    expect(colleague.locator("#why-not-manage")).to_contain_text("viewer")
    refused = colleague.request.post(
        f"/brand/atelier/orders/{order.code}/tags/", form={"tags-tags": "sneaky"}
    )
    assert refused.status == 403
    assert not Order.objects.get(pk=order.pk).tags.exists()

    # The owner promotes them to staff; the same colleague can now work the order.
    page.reload()
    row = page.locator("#members tr", has_text="colleague@atelier.test")
    row.get_by_label("Role of colleague@atelier.test").select_option("staff")
    row.get_by_role("button", name="Change role").click()
    expect(page.get_by_role("status")).to_contain_text("colleague@atelier.test is now staff.")
    expect(page.locator("#history")).to_contain_text("Changed a role")

    colleague.goto(f"/brand/atelier/orders/{order.code}/")
    expect(colleague.get_by_text("Read only")).to_have_count(0)
    colleague.get_by_text("Add tags").click()
    colleague.get_by_label("Tags").fill("urgent")
    colleague.get_by_role("button", name="Save tags").click()
    expect(colleague.locator(".tag-list")).to_contain_text("urgent")
    assert list(Order.objects.get(pk=order.pk).tags.values_list("name", flat=True)) == ["urgent"]
