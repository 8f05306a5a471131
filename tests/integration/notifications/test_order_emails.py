"""Order notifications: queued with the change, sent over real SMTP by the real worker."""

from __future__ import annotations

from decimal import Decimal
from email.message import Message
from typing import Any

import pytest

from linesheet.documents import services as documents
from linesheet.notifications.models import OutboundEmail
from linesheet.ordering import services as ordering
from linesheet.ordering.models import OrderEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(brand: Any) -> Any:
    return factories.make_connected_buyer(
        brand=brand, recipients=["orders@shop.test", "boss@shop.test"]
    )


@pytest.fixture
def order(buyer: Any, brand: Any) -> Any:
    catalog = factories.make_catalog(brand=brand, skus=2)
    return factories.make_order(buyer=buyer, catalog=catalog)


def parts(message: Message) -> tuple[str, str]:
    text, html = (part.get_payload(decode=True).decode() for part in message.get_payload())
    return text, html


def test_rejecting_with_a_message_emails_every_recipient_with_it_escaped_in_html(
    order: Any, owner: Any, smtp_server: Any, run_worker: Any
) -> None:
    message = "Sorry — <b>sold out</b> & gone"
    ordering.order_reject(order_id=order.pk, actor=owner, notify=True, message=message)
    run_worker()

    [sent] = smtp_server.messages
    assert sent["X-Envelope-To"] == "boss@shop.test, orders@shop.test"
    assert sent["Subject"] == f"Atelier declined your order {order.code}"
    text, html = parts(sent)
    assert message in text
    assert "&lt;b&gt;sold out&lt;/b&gt; &amp; gone" in html
    assert "<b>sold out</b>" not in html
    assert f"/orders/{order.pk}/" in text
    assert [e.type for e in OrderEvent.objects.filter(order=order)][-2:] == [
        "rejected",
        "email_sent",
    ]


def test_switching_notification_off_sends_nothing(
    order: Any, owner: Any, smtp_server: Any, run_worker: Any
) -> None:
    documents.confirmation_save(
        order_id=order.pk,
        quantities={order.lines.first().sku_number: 3},
        allow_buyer_approval=False,
        actor=owner,
        notify=False,
        message="not to be sent",
    )
    documents.confirmation_confirm(order_id=order.pk, actor=owner, notify=False)
    run_worker()
    assert smtp_server.messages == []
    assert not OutboundEmail.objects.exists()
    event = OrderEvent.objects.get(order=order, type="oc_created")
    assert event.details["notify"] is False
    assert event.details["message"] == ""


@pytest.mark.parametrize(
    ("step", "subject"),
    [
        ("oc_created", "Atelier: please check the order confirmation for {code}"),
        ("oc_confirmed", "Atelier confirmed your order {code}"),
        ("oc_reopened", "Atelier is revising the confirmation of your order {code}"),
    ],
)
def test_each_oc_step_notifies_with_its_own_subject(
    order: Any, owner: Any, smtp_server: Any, run_worker: Any, step: str, subject: str
) -> None:
    documents.confirmation_save(
        order_id=order.pk,
        quantities={order.lines.first().sku_number: 3},
        allow_buyer_approval=False,
        actor=owner,
        notify=step == "oc_created",
    )
    if step in {"oc_confirmed", "oc_reopened"}:
        documents.confirmation_confirm(
            order_id=order.pk, actor=owner, notify=step == "oc_confirmed"
        )
    if step == "oc_reopened":
        documents.confirmation_reopen(order_id=order.pk, actor=owner, notify=True)
    run_worker()
    assert [m["Subject"] for m in smtp_server.messages] == [subject.format(code=order.code)]


def test_a_refused_operation_queues_no_email(order: Any, owner: Any) -> None:
    from linesheet.ordering.errors import OrderError

    ordering.order_reject(order_id=order.pk, actor=owner, notify=True)
    with pytest.raises(OrderError):
        ordering.order_reject(order_id=order.pk, actor=owner, notify=True)
    assert OutboundEmail.objects.count() == 1  # the first reject's, not the refused second's


def test_a_failed_delivery_is_recorded_on_the_order(
    order: Any, owner: Any, settings: Any, closed_port: int, run_worker: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    ordering.order_reject(order_id=order.pk, actor=owner, notify=True, message="x")
    run_worker()
    failed = OrderEvent.objects.get(order=order, type="email_failed")
    assert failed.details["attempt"] == 1
    assert failed.details["retry_at"] is not None
    assert "Connection refused" in failed.details["error"]


def test_a_message_over_the_limit_is_refused_and_nothing_changes(order: Any, owner: Any) -> None:
    from linesheet.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as refusal:
        ordering.order_reject(order_id=order.pk, actor=owner, notify=True, message="x" * 2001)
    assert refusal.value.params["errors"]["message"][0]["code"] == "too_long"
    order.refresh_from_db()
    assert order.status == "awaiting_oc"
    assert not OutboundEmail.objects.exists()


# --- The brand hears when a returned order is ordered again --------------------------------------


@pytest.fixture
def shopper(buyer: Any) -> Any:
    user = factories.make_user(email="claire@shop.test")
    buyer.organization.memberships.create(user=user)
    return user


def return_and_order_again(order: Any, *, actor: Any, shopper: Any, **quantities: int) -> Any:
    """Return `order` as `actor` (no email to the buyer), and place the cart again."""
    _returned, cart = ordering.order_return_to_cart(order_id=order.pk, actor=actor, notify=False)
    if quantities:
        ordering.cart_set_lines(cart=cart, quantities=quantities)
    return ordering.order_place(cart_id=cart.pk, organization=order.organization, placed_by=shopper)


def test_who_returned_the_order_is_emailed_both_codes_and_the_link_when_it_is_ordered_again(
    order: Any,
    owner: Any,
    shopper: Any,
    smtp_server: Any,
    run_worker: Any,
    brand: Any,
    settings: Any,
) -> None:
    colleague = factories.make_member(brand=brand, role="staff")
    first, second = (line.sku_number for line in order.lines.all())
    new = return_and_order_again(order, actor=owner, shopper=shopper, **{first: 9, second: 2})
    run_worker()

    [sent] = smtp_server.messages
    assert sent["X-Envelope-To"] == owner.email  # not the colleague, nor the buyer
    assert colleague.email not in sent["X-Envelope-To"]
    shop = order.buyer.name
    assert sent["Subject"] == f"{shop} ordered {order.code} again as {new.code}"
    text, html = parts(sent)
    link = f"{settings.BASE_URL}/brand/atelier/orders/{new.code}/#changes"
    assert f"{order.code} that you returned to their cart. The new order is {new.code}." in text
    assert "Returned order: 4 pieces, 200.00 EUR. New order: 11 pieces, 550.00 EUR." in text
    assert link in text
    assert f'href="{link}"' in html
    # The lineage on both orders' histories; the delivery on the new order's.
    replaced = OrderEvent.objects.get(order=order, type="replaced")
    assert replaced.details["replaced_by"] == new.code
    assert replaced.details["notify_member"] == owner.email
    placed = OrderEvent.objects.get(order=new, type="placed")
    assert placed.details["replaces"] == order.code
    delivered = OrderEvent.objects.get(order=new, type="email_sent")
    assert delivered.details["to"] == [owner.email]
    assert OutboundEmail.objects.get().kind == "order_reordered"


@pytest.mark.parametrize("gone", ["removed from the brand", "deactivated"])
def test_nobody_is_emailed_when_who_returned_the_order_is_no_longer_an_active_member(
    order: Any, owner: Any, shopper: Any, smtp_server: Any, run_worker: Any, brand: Any, gone: str
) -> None:
    staff = factories.make_member(brand=brand, role="staff")
    _returned, cart = ordering.order_return_to_cart(order_id=order.pk, actor=staff, notify=False)
    if gone == "deactivated":
        type(staff).objects.filter(pk=staff.pk).update(is_active=False)
    else:
        staff.brand_memberships.all().delete()
    # A membership of another brand does not count for this one.
    factories.make_member(brand=factories.make_brand(), user=staff)

    new = ordering.order_place(cart_id=cart.pk, organization=order.organization, placed_by=shopper)
    run_worker()

    assert new.replaces_id == order.pk
    assert "notify_member" not in OrderEvent.objects.get(order=order, type="replaced").details
    assert smtp_server.messages == []
    assert not OutboundEmail.objects.exists()


def test_a_return_without_an_actor_emails_nobody_when_ordered_again(
    order: Any, shopper: Any
) -> None:
    return_and_order_again(order, actor=None, shopper=shopper)
    assert not OutboundEmail.objects.exists()


def test_an_order_placed_from_an_ordinary_cart_emails_the_brand_nobody(
    buyer: Any, brand: Any, owner: Any, shopper: Any
) -> None:
    factories.make_order(buyer=buyer, catalog=factories.make_catalog(brand=brand), user=shopper)
    assert not OutboundEmail.objects.exists()


def test_a_refused_placing_of_a_returned_cart_queues_no_email_to_the_brand(
    order: Any, owner: Any, shopper: Any
) -> None:
    from linesheet.catalog.models import SKU
    from linesheet.ordering.errors import OrderError

    _returned, cart = ordering.order_return_to_cart(order_id=order.pk, actor=owner, notify=False)
    SKU.objects.filter(sku_number=order.lines.first().sku_number).update(is_active=False)

    with pytest.raises(OrderError) as refusal:
        ordering.order_place(cart_id=cart.pk, organization=order.organization, placed_by=shopper)

    assert refusal.value.code == "sku_not_orderable"
    assert not OutboundEmail.objects.exists()
    assert not OrderEvent.objects.filter(type="replaced").exists()


def test_the_oc_email_shows_net_tax_per_rate_and_gross_as_the_oc_was_saved(
    brand: Any, buyer: Any, owner: Any, smtp_server: Any, run_worker: Any
) -> None:
    factories.make_tax_rates(brand=brand)
    buyer.country = "FR"
    buyer.save(update_fields=["country"])
    catalog = factories.make_catalog(brand=brand, skus=0)
    factories.make_product(catalog=catalog, model_number="LAMP", retail_price=Decimal("33.33"))
    factories.make_product(
        catalog=catalog, model_number="BOOK", retail_price=Decimal("9.99"), tax_class="reduced"
    )
    order = factories.make_order(
        buyer=buyer, catalog=catalog, quantities={"LAMP-Black-M": 3, "BOOK-Black-M": 7}
    )

    documents.confirmation_save(
        order_id=order.pk,
        quantities={"LAMP-Black-M": 3, "BOOK-Black-M": 7},
        allow_buyer_approval=False,
        actor=owner,
        notify=True,
    )
    run_worker()

    [sent] = smtp_server.messages
    text, html = parts(sent)
    # 3 x 16.67 = 50.01 at 20 %: 10.00 (half up, per line); 7 x 5.00 = 35.00 at 5.5 %: 1.93.
    assert "Tax TVA 20 % on 50.01: 10.00 EUR" in text
    assert "Tax TVA 5.5 % on 35.00: 1.93 EUR" in text
    assert "Gross: 96.94 EUR" in text
    assert "Tax TVA 20 % on 50.01" in html
    assert "96.94 EUR" in html


def test_the_oc_email_shows_the_shipping_fee_the_brand_set_with_its_tax_in_the_gross(
    brand: Any, buyer: Any, owner: Any, smtp_server: Any, run_worker: Any
) -> None:
    factories.make_tax_rates(brand=brand)
    buyer.country = "DE"
    buyer.save(update_fields=["country"])
    catalog = factories.make_catalog(brand=brand, skus=0)
    factories.make_shipping_group(brand=brand, catalog=catalog)  # DE: 9.90 below 200.00
    factories.make_product(catalog=catalog, model_number="LAMP", retail_price=Decimal("40.00"))
    order = factories.make_order(buyer=buyer, catalog=catalog, quantities={"LAMP-Black-M": 3})

    documents.confirmation_save(
        order_id=order.pk,
        quantities={"LAMP-Black-M": 3},
        allow_buyer_approval=False,
        actor=owner,
        notify=True,
        shipping="5.00",
    )
    run_worker()

    [sent] = smtp_server.messages
    text, html = parts(sent)
    # 3 x 20.00 = 60.00 and the fee 5.00, both at 19 %: 11.40 + 0.95.
    assert "Shipping: 5.00 EUR" in text
    assert "Tax VAT 19 % on 65.00: 12.35 EUR" in text
    assert "Gross: 77.35 EUR" in text
    assert "Shipping" in html and "77.35 EUR" in html
