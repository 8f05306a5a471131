"""Pictures in email: the lines' thumbnails and the brand's logo travel inside the message as
multipart/related parts named by Content-ID, so no email needs a public address for a file."""

from __future__ import annotations

import datetime
import re
from email.message import Message
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from linesheet.accounts.logos import brand_logo_bytes, brand_logo_set
from linesheet.catalog.images import product_image_bytes
from linesheet.catalog.models import SKU
from linesheet.catalog.services import product_image_remove
from linesheet.notifications.models import OutboundEmail
from linesheet.notifications.tasks import email_message_id
from linesheet.ordering import services as ordering
from tests import factories
from tests.image_files import image_bytes, upload
from tests.integration.notifications.conftest import Clock
from tests.smtp_inbox import mail_parts

pytestmark = pytest.mark.django_db

EMAIL_DELIVER = "linesheet.notifications.tasks.email_deliver"


@pytest.fixture
def product(catalog: Any) -> Any:
    """The catalog's one product: its first SKU in Ecru, the other two in Black."""
    product = catalog.products.get()
    first = SKU.objects.filter(product=product).order_by("position").first()
    SKU.objects.filter(pk=first.pk).update(color="Ecru")
    return product


@pytest.fixture
def order(buyer: Any, catalog: Any, shop_user: Any, product: Any) -> Any:
    return factories.make_order(buyer=buyer, catalog=catalog, user=shop_user)


def reject(order: Any, owner: Any) -> None:
    ordering.order_reject(order_id=order.pk, actor=owner, notify=True, message="Sold out")


def cids(html: str) -> list[str]:
    return re.findall(r'<img src="cid:([^"]+)"', html)


def sent_email(smtp_server: Any) -> Message:
    [sent] = smtp_server.messages
    return sent


def test_the_lines_thumbnails_and_the_logo_are_related_parts_the_html_names_by_cid(
    order: Any, owner: Any, brand: Any, product: Any, smtp_server: Any, run_worker: Any
) -> None:
    every_colour = factories.add_product_image(product)
    ecru = factories.add_product_image(product, color="Ecru", rgb=(230, 220, 200))
    brand_logo_set(brand=brand, file=upload(image_bytes(format="PNG", size=(400, 100))), actor=None)

    reject(order, owner)
    run_worker()

    sent = sent_email(smtp_server)
    assert sent.get_content_type() == "multipart/alternative"
    text, related = sent.get_payload()
    assert (text.get_content_type(), related.get_content_type()) == (
        "text/plain",
        "multipart/related",
    )
    parts = mail_parts(sent)
    assert parts.related_types == ["text/html", "image/png", "image/jpeg", "image/jpeg"]
    logo = f"brand-logo-{brand.pk}@linesheet"
    ecru_cid, every_cid = (f"product-image-{i.pk}-s@linesheet" for i in (ecru, every_colour))
    # The logo, then the lines in order: the Ecru SKU shows its colour's image, the two Black
    # ones the image for every colour (one part, named twice).
    assert cids(parts.html) == [logo, ecru_cid, every_cid, every_cid]
    assert set(parts.images) == {logo, ecru_cid, every_cid}
    assert parts.images[logo].get_payload(decode=True) == brand_logo_bytes(brand)
    assert parts.images[ecru_cid].get_payload(decode=True) == product_image_bytes(ecru, "s")
    assert parts.images[every_cid]["Content-Disposition"].startswith("inline")
    assert 'width="160" height="40"' in parts.html  # the logo fits its box, drawn to scale
    assert "cid:" not in parts.text
    assert OutboundEmail.objects.get().inline_images == [
        {"cid": logo, "source": "brand_logo", "id": brand.pk},
        {"cid": ecru_cid, "source": "product_image", "id": ecru.pk},
        {"cid": every_cid, "source": "product_image", "id": every_colour.pk},
    ]


def test_a_line_whose_thumbnail_is_not_made_yet_shows_no_image_and_nothing_is_attached(
    order: Any, owner: Any, product: Any, smtp_server: Any, run_worker: Any
) -> None:
    factories.add_product_image(product, thumbnails=False)
    # The thumbnail's task waits (a busy or retrying worker) while the email is written.
    DBTaskResult.objects.exclude(task_path=EMAIL_DELIVER).update(
        run_after=timezone.now() + datetime.timedelta(hours=1)
    )

    reject(order, owner)
    run_worker()

    parts = mail_parts(sent_email(smtp_server))
    assert parts.images == {}
    assert parts.related_types == []
    assert "cid:" not in parts.html
    assert parts.html.count('<tr class="email-line">') == 3


def test_an_image_removed_before_the_email_is_sent_leaves_no_broken_reference(
    order: Any,
    owner: Any,
    product: Any,
    smtp_server: Any,
    smtp_down: Any,
    clock: Clock,
    run_worker: Any,
) -> None:
    image = factories.add_product_image(product)
    reject(order, owner)
    run_worker()  # the first attempt writes the email, then finds the mail server down
    assert cids(OutboundEmail.objects.get().body_html)  # written with the picture

    product_image_remove(image=image, actor=None)
    bring_smtp_back = smtp_down
    bring_smtp_back()
    clock.advance(hours=1)
    run_worker()

    parts = mail_parts(sent_email(smtp_server))
    assert "cid:" not in parts.html
    assert "<img " not in parts.html
    assert parts.images == {}
    assert parts.html.count('<tr class="email-line">') == 3


def test_an_email_with_images_keeps_its_one_message_id(
    order: Any, owner: Any, product: Any, smtp_server: Any, run_worker: Any
) -> None:
    factories.add_product_image(product)
    reject(order, owner)
    email = OutboundEmail.objects.get()

    run_worker()

    sent = sent_email(smtp_server)
    assert sent.get_all("Message-ID") == [email_message_id(email)]
    assert mail_parts(sent).images  # the picture went along
