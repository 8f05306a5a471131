"""An order event's email is queued in the operation's transaction but written (rendered) by
the task that sends it: the brand's request pays for the outbox row and its task only."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext

from linesheet.accounts.models import Brand
from linesheet.notifications.models import EmailStatus, OutboundEmail
from linesheet.notifications.tasks import email_message_id
from linesheet.ordering import services as ordering
from linesheet.ordering.events import OrderEventType
from linesheet.ordering.models import Order, OrderEvent
from tests import factories
from tests.integration.notifications.conftest import Clock
from tests.smtp_inbox import mail_parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(buyer: Any, catalog: Any, shop_user: Any) -> Order:
    order: Order = factories.make_order(buyer=buyer, catalog=catalog, user=shop_user)
    return order


@pytest.fixture
def templates_rendered() -> Iterator[list[str]]:
    """The names of the templates rendered while the test runs."""
    names: list[str] = []

    def note(sender: Any, template: Any, **kwargs: Any) -> None:
        names.append(template.name)

    template_rendered.connect(note)
    yield names
    template_rendered.disconnect(note)


def return_(order: Order, owner: Any) -> None:
    ordering.order_return_to_cart(
        order_id=order.pk, actor=owner, notify=True, message="Split by colour"
    )


def test_the_return_queues_the_email_unwritten_and_renders_nothing_in_its_transaction(
    order: Order, owner: Any, templates_rendered: list[str]
) -> None:
    with CaptureQueriesContext(connection) as queries:
        return_(order, owner)

    email = OutboundEmail.objects.get()
    assert email.to == ["orders@shop.test"]
    assert email.reference == f"order_event:{OrderEvent.objects.get(type='returned_to_cart').pk}"
    assert email.time_zone == order.organization.time_zone
    assert (email.subject, email.body_text, email.body_html) == ("", "", "")
    assert email.inline_images == []
    assert not email.is_written
    assert templates_rendered == []
    sql = [query["sql"] for query in queries.captured_queries]
    # The return copies the order's lines into the cart and checks their SKUs; nothing reads
    # them as the email shows them, nor any picture.
    assert [q for q in sql if '"ordering_orderline"."product_name"' in q] == []
    assert [q for q in sql if "catalog_productimage" in q] == []


def test_the_worker_writes_the_email_sends_it_and_keeps_what_it_sent(
    order: Order, owner: Any, smtp_server: Any, run_worker: Any
) -> None:
    return_(order, owner)

    run_worker()

    email = OutboundEmail.objects.get()
    assert email.status == EmailStatus.SENT
    assert email.subject == f"Atelier returned your order {order.code} to your cart"
    assert "Split by colour" in email.body_text
    assert "Split by colour" in email.body_html
    [sent] = smtp_server.messages
    parts = mail_parts(sent)
    assert sent["Subject"] == email.subject
    assert sent.get_all("Message-ID") == [email_message_id(email)]
    assert parts.text.replace("\r\n", "\n") == email.body_text
    assert parts.html.count('<tr class="email-line">') == 3
    recorded = OrderEvent.objects.get(type=OrderEventType.EMAIL_SENT)
    assert recorded.details["subject"] == email.subject


def test_a_retry_after_a_written_but_unsent_attempt_sends_what_was_written(
    order: Order,
    owner: Any,
    brand: Brand,
    smtp_server: Any,
    smtp_down: Any,
    clock: Clock,
    run_worker: Any,
) -> None:
    return_(order, owner)
    run_worker()  # written, then the mail server is down
    written = OutboundEmail.objects.get()
    assert written.status == EmailStatus.PENDING
    assert written.attempts == 1
    assert written.subject == f"Atelier returned your order {order.code} to your cart"

    Brand.objects.filter(pk=brand.pk).update(name="Renamed")  # a rewrite would differ
    bring_smtp_back = smtp_down
    bring_smtp_back()
    clock.advance(hours=1)
    run_worker()

    email = OutboundEmail.objects.get()
    assert email.status == EmailStatus.SENT
    assert (email.subject, email.body_text, email.body_html) == (
        written.subject,
        written.body_text,
        written.body_html,
    )
    [sent] = smtp_server.messages
    assert sent["Subject"] == written.subject
    assert sent.get_all("Message-ID") == [email_message_id(written)]


def test_an_email_that_cannot_be_written_is_a_failed_attempt_and_is_retried(
    order: Order, owner: Any, smtp_server: Any, clock: Clock, run_worker: Any, settings: Any
) -> None:
    settings.TASK_RETRY_BASE_SECONDS = 30
    return_(order, owner)
    email = OutboundEmail.objects.get()
    reference = email.reference
    OutboundEmail.objects.filter(pk=email.pk).update(reference="order_event:0")  # no such event

    run_worker()

    email.refresh_from_db()
    assert email.status == EmailStatus.PENDING
    assert email.attempts == 1
    assert email.last_error.startswith("EmailNotWritten: DoesNotExist")
    assert email.next_attempt_at is not None
    assert not email.is_written
    assert smtp_server.messages == []
    failed = OrderEvent.objects.get(type=OrderEventType.EMAIL_FAILED)
    assert failed.details["attempt"] == 1

    OutboundEmail.objects.filter(pk=email.pk).update(reference=reference)  # the fix
    clock.advance(seconds=31)
    run_worker()

    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert email.attempts == 2
    assert email.subject == f"Atelier returned your order {order.code} to your cart"
    [sent] = smtp_server.messages
    assert sent["Subject"] == email.subject
