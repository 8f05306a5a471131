"""Every email in the brand's layout: a text part and an HTML part with the brand's name, the
order's lines where it is about an order, and one button, sent by the real worker over SMTP."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from linesheet.accounts.members import brand_member_invite
from linesheet.accounts.organization_members import organization_member_invite
from linesheet.accounts.services import invitation_create
from linesheet.catalog.models import Product
from linesheet.documents import services as documents
from linesheet.notifications.models import OutboundEmail
from linesheet.notifications.order_emails import order_lines_summary
from linesheet.ordering import services as ordering
from tests import factories
from tests.smtp_inbox import mail_parts

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><b>Bold</b> & Co'
HOSTILE_ESCAPED = (
    "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;Bold&lt;/b&gt; &amp; Co"
)


@pytest.fixture
def order(buyer: Any, catalog: Any, shop_user: Any) -> Any:
    return factories.make_order(buyer=buyer, catalog=catalog, user=shop_user)


def url(path: str) -> str:
    return f"{django_settings.BASE_URL}{path}"


def rejected(order: Any, owner: Any, **_: Any) -> str:
    ordering.order_reject(order_id=order.pk, actor=owner, notify=True, message="Sold out")
    return url(reverse("buyer-order", args=[order.pk]))


def oc_created(order: Any, owner: Any, **_: Any) -> str:
    documents.confirmation_save(
        order_id=order.pk,
        quantities=factories.oc_quantities(order),
        allow_buyer_approval=False,
        actor=owner,
        notify=True,
    )
    return url(reverse("buyer-order", args=[order.pk]))


def returned(order: Any, owner: Any, **_: Any) -> str:
    _order, cart = ordering.order_return_to_cart(order_id=order.pk, actor=owner, notify=True)
    return url(reverse("buyer-cart", args=[cart.pk]))


def reordered(order: Any, owner: Any, shop_user: Any, **_: Any) -> str:
    _order, cart = ordering.order_return_to_cart(order_id=order.pk, actor=owner, notify=False)
    new = ordering.order_place(
        cart_id=cart.pk, organization=order.organization, placed_by=shop_user
    )
    return url(reverse("brand-order-detail", args=[new.brand.slug, new.code]) + "#changes")


def cart_withdrawn(order: Any, owner: Any, **_: Any) -> str:
    catalog = order.catalog
    catalog.status = "limited"
    catalog.save(update_fields=["status"])
    catalog.access_buyers.add(order.buyer)
    cart = factories.make_cart(buyer=order.buyer, catalog=catalog)
    ordering.catalog_access_set(catalog=catalog, buyer_ids=[], group_ids=[], actor=owner)
    return url(reverse("buyer-cart", args=[cart.pk]))


def invitation(order: Any, owner: Any, **_: Any) -> str:
    sent = invitation_create(
        brand=order.brand, email="new@shop.test", created_by=owner, name="New shop"
    )
    return url(reverse("invitation-accept", args=[sent.token]))


def member_invitation(order: Any, owner: Any, **_: Any) -> str:
    _sent, token = brand_member_invite(
        brand=order.brand, actor=owner, email="colleague@atelier.test", role="viewer"
    )
    return url(reverse("member-invitation-accept", args=[token]))


def organization_invitation(order: Any, shop_user: Any, **_: Any) -> str:
    _sent, token = organization_member_invite(
        organization=order.organization, actor=shop_user, email="colleague@shop.test"
    )
    return url(reverse("organization-invitation-accept", args=[token]))


KINDS: dict[str, tuple[Callable[..., str], int]] = {
    # kind: (what sends it, the lines it summarises: the order's three, the OC's two, none)
    "order_rejected": (rejected, 3),
    "order_oc_created": (oc_created, 2),
    "order_returned_to_cart": (returned, 3),
    "order_reordered": (reordered, 3),
    "cart_withdrawn": (cart_withdrawn, 0),
    "invitation": (invitation, 0),
    "member_invitation": (member_invitation, 0),
    "organization_invitation": (organization_invitation, 0),
}


def button_hrefs(html: str) -> list[str]:
    return re.findall(r'<a class="email-button" href="([^"]+)"', html)


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_email_has_a_text_and_an_html_part_with_the_name_and_one_button(
    kind: str, order: Any, owner: Any, shop_user: Any, smtp_server: Any, run_worker: Any
) -> None:
    sends, summarised = KINDS[kind]
    smtp_server.messages.clear()
    OutboundEmail.objects.all().delete()

    link = sends(order=order, owner=owner, shop_user=shop_user)
    run_worker()

    [sent] = smtp_server.messages
    assert OutboundEmail.objects.get().kind == kind
    assert sent.get_content_type() == "multipart/alternative"
    parts = mail_parts(sent)
    assert parts.text and parts.html
    assert "<!doctype html>" in parts.html
    name = order.organization.name if kind == "organization_invitation" else "Atelier"
    assert f">{name}</td>" in parts.html
    assert button_hrefs(parts.html) == [link]
    assert link in parts.text
    lines = re.findall(r'<tr class="email-line">', parts.html)
    assert len(lines) == summarised
    if summarised:
        assert "Model " in parts.html and "Total" in parts.html
        assert "EUR" in parts.text and "Total:" in parts.text
    assert "cid:" not in parts.html  # nothing sent inside it: no image to point at
    assert parts.images == {}


def test_the_order_summary_lists_the_lines_with_quantities_prices_and_totals(
    order: Any, owner: Any, smtp_server: Any, run_worker: Any
) -> None:
    rejected(order=order, owner=owner)
    run_worker()

    parts = mail_parts(smtp_server.messages[0])
    first = order.lines.order_by("position", "id").first()
    row = parts.html.split('<tr class="email-line">')[1]
    assert first.product_name in row and first.sku_number in row
    assert ">2</td>" in row and ">50.00</td>" in row and ">100.00</td>" in row
    assert f">{order.total_quantity}</td>" in parts.html
    assert "300.00 EUR" in parts.html
    assert f"{first.product_name} ({first.model_number}, Black, 36, {first.sku_number}): " in (
        parts.text
    )
    assert "2 x 50.00 = 100.00 EUR" in parts.text
    assert "Total: 6 pieces, 300.00 EUR" in parts.text


def test_the_oc_email_summarises_the_oc_not_the_original_order(
    order: Any, owner: Any, smtp_server: Any, run_worker: Any
) -> None:
    first = order.lines.order_by("position", "id").first()
    documents.confirmation_save(
        order_id=order.pk,
        quantities={first.sku_number: 7},
        allow_buyer_approval=False,
        actor=owner,
        notify=True,
    )
    run_worker()

    parts = mail_parts(smtp_server.messages[0])
    assert "Order confirmation" in parts.html
    assert f"{first.sku_number}): 7 x 50.00 = 350.00 EUR" in parts.text


def test_product_names_and_the_buyers_comment_show_as_text_not_html(
    order: Any, owner: Any, shop_user: Any, smtp_server: Any, run_worker: Any
) -> None:
    Product.objects.filter(catalog=order.catalog).update(name=HOSTILE)
    _order, cart = ordering.order_return_to_cart(order_id=order.pk, actor=owner, notify=False)
    cart.comment = HOSTILE
    cart.save(update_fields=["comment"])
    new = ordering.order_place(
        cart_id=cart.pk, organization=order.organization, placed_by=shop_user
    )
    assert new.comment == HOSTILE and new.lines.first().product_name == HOSTILE
    run_worker()

    parts = mail_parts(smtp_server.messages[0])
    assert "<script>" not in parts.html and "<b>Bold" not in parts.html
    assert parts.html.count(HOSTILE_ESCAPED) == 4  # three lines and the comment
    assert parts.text.count(HOSTILE) == 4  # plain text as typed


def test_a_long_order_shows_its_first_twenty_lines_and_counts_the_rest(
    brand: Any, buyer: Any, owner: Any, shop_user: Any, smtp_server: Any, run_worker: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=25)
    order = factories.make_order(buyer=buyer, catalog=catalog, user=shop_user)
    assert order.line_count == 25

    returned(order=order, owner=owner)
    run_worker()

    parts = mail_parts(smtp_server.messages[0])
    assert parts.html.count('<tr class="email-line">') == 20
    assert "and 5 more lines" in parts.html
    assert "and 5 more lines" in parts.text
    assert "Total: 50 pieces, 2,500.00 EUR" in parts.text  # all 25 lines, 2 at 50.00 each


def test_the_summary_of_a_long_order_reads_only_the_lines_it_shows(
    brand: Any, buyer: Any, shop_user: Any
) -> None:
    catalog = factories.make_catalog(brand=brand, skus=25)
    order = factories.make_order(buyer=buyer, catalog=catalog, user=shop_user)

    with CaptureQueriesContext(connection) as queries:
        summary = order_lines_summary(order=order, title="Your order")

    [lines_query] = [q["sql"] for q in queries if "ordering_orderline" in q["sql"]]
    assert "LIMIT 20" in lines_query
    assert (len(summary.lines), summary.more) == (20, 5)
