"""The Content-Security-Policy blocks nothing the pages of either app need, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests import factories
from tests.integration.security.world import World, build_world

pytestmark = pytest.mark.browser

# Listens before any page script runs: every violation of the policy is kept for the test.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
});
"""


def log_in(page: Page, email: str) -> None:
    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def violations(page: Page, paths: list[str]) -> list[str]:
    found = []
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert "/login/" not in page.url or path == "/login/", page.url
        page.wait_for_load_state("load")
        found += [f"{path}: {item}" for item in page.evaluate("window.cspViolations")]
    return found


def brand_pages(world: World) -> list[str]:
    base = f"/brand/{world.brand.slug}"
    orders = world.orders
    return [
        f"{base}/orders/",
        f"{base}/orders/{orders['awaiting_oc'].code}/",
        f"{base}/orders/{orders['oc_confirmed'].code}/",
        f"{base}/orders/{orders['awaiting_oc'].code}/return/",
        f"{base}/orders/{orders['awaiting_oc'].code}/confirmation/",
        f"{base}/catalogs/{world.catalog.pk}/",
        f"{base}/catalogs/{world.catalog.pk}/order-links/",
        f"{base}/catalogs/{world.catalog.pk}/products/new/",
        f"{base}/catalogs/{world.catalog.pk}/products/{world.catalog.products.first().pk}/",
        f"{base}/buyers/{world.offline_buyer.pk}/order/?catalog={world.catalog.pk}",
        f"{base}/orders/import/",
        f"{base}/settings/numbering/",
        f"{base}/analytics/",
    ]


def buyer_pages(world: World) -> list[str]:
    return [
        "/brands/",
        f"/catalogs/{world.side_catalog.pk}/",
        f"/catalogs/{world.side_catalog.pk}/products/{world.side_catalog.products.first().pk}/",
        "/carts/",
        f"/carts/{world.cart.pk}/",
        "/orders/",
        f"/orders/{world.orders['oc_created'].pk}/",
    ]


def test_no_page_of_either_app_breaks_the_policy(page: Page) -> None:
    world = build_world()
    page.add_init_script(RECORD_VIOLATIONS)

    found = violations(page, ["/login/", "/register/", f"/l/{world.order_link.token}/"])
    log_in(page, world.owner.email)
    found += violations(page, brand_pages(world))
    page.context.clear_cookies()
    log_in(page, world.buyer_user.email)
    found += violations(page, buyer_pages(world))

    assert found == []


def test_the_policy_refuses_an_inline_style_slipped_into_a_page(page: Page) -> None:
    """The listener above does hear violations: markup with a style attribute is refused."""
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto("/login/")

    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_function("window.cspViolations.length > 0")

    assert page.evaluate("window.cspViolations")[0].startswith("style-src")
