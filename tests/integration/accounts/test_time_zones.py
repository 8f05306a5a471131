"""Times are shown in the viewer's zone, labelled; documents in the brand's, emails in the
recipients'; the days rules count stay those of TIME_ZONE."""

from __future__ import annotations

import datetime
import io
import zoneinfo
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from linesheet.accounts.models import Invitation, User
from linesheet.accounts.services import invitation_create
from linesheet.notifications.models import OutboundEmail
from linesheet.notifications.services import email_enqueue
from linesheet.ordering.models import Order
from tests import factories
from tests.integration.reporting.pdf_text import text_of

pytestmark = pytest.mark.django_db

# Placed at 23:30 UTC on 1 March: 2 March in Tokyo and Paris, 1 March in New York.
PLACED = datetime.datetime(2027, 3, 1, 23, 30, tzinfo=datetime.UTC)


@pytest.fixture
def world() -> dict[str, Any]:
    brand = factories.make_brand(slug="atelier", name="Atelier", time_zone="Asia/Tokyo")
    owner = factories.make_member(brand=brand, role="owner")
    catalog = factories.make_catalog(brand=brand)
    shopper = factories.make_user(email="claire@maison.test")
    buyer = factories.make_connected_buyer(brand=brand, members=[shopper])
    organization = buyer.organization
    organization.time_zone = "America/New_York"
    organization.save(update_fields=["time_zone"])
    order = factories.make_order(buyer=buyer, catalog=catalog)
    Order.objects.filter(pk=order.pk).update(placed_at=PLACED)
    return {"brand": brand, "owner": owner, "shopper": shopper, "order": order}


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def brand_page(world: dict[str, Any], user: User) -> str:
    url = reverse("brand-order-detail", args=["atelier", world["order"].code])
    return logged_in(user).get(url).content.decode()


def test_brand_staff_see_the_brands_zone_unless_they_chose_their_own(
    world: dict[str, Any],
) -> None:
    owner: User = world["owner"]

    assert "2027-03-02 08:30 JST" in brand_page(world, owner)
    listed = logged_in(owner).get(reverse("brand-orders", args=["atelier"])).content.decode()
    assert '2027-03-02</span> <span class="nowrap">08:30 JST' in listed

    owner.time_zone = "Europe/Paris"
    owner.save(update_fields=["time_zone"])
    page = brand_page(world, owner)
    assert "2027-03-02 00:30 CET" in page
    assert "JST" not in page


def test_a_buyer_sees_the_organisations_zone_unless_they_chose_their_own(
    world: dict[str, Any],
) -> None:
    shopper: User = world["shopper"]
    url = reverse("buyer-order", args=[world["order"].pk])

    assert "2027-03-01 18:30 EST" in logged_in(shopper).get(url).content.decode()

    shopper.time_zone = "UTC"
    shopper.save(update_fields=["time_zone"])
    assert "2027-03-01 23:30 UTC" in logged_in(shopper).get(url).content.decode()


def test_the_account_page_sets_the_users_zone_and_refuses_a_made_up_one(
    world: dict[str, Any],
) -> None:
    owner: User = world["owner"]
    client = logged_in(owner)
    page = client.get(reverse("account")).content.decode()
    assert "Atelier: Asia/Tokyo (JST, UTC+09:00)" in page

    refused = client.post(reverse("account"), {"time_zone": "Mars/Olympus"})
    assert refused.status_code == 400
    assert "Choose a time zone from the list." in refused.content.decode()
    owner.refresh_from_db()
    assert owner.time_zone == ""

    saved = client.post(reverse("account"), {"time_zone": "Europe/Paris"}, follow=True)
    assert "Your settings were saved." in saved.content.decode()
    assert "Times are shown in Europe/Paris (" in saved.content.decode()
    owner.refresh_from_db()
    assert owner.time_zone == "Europe/Paris"

    client.post(reverse("account"), {"time_zone": ""})
    owner.refresh_from_db()
    assert owner.time_zone == ""


def test_someone_logged_out_is_asked_to_log_in_for_the_account_page(client: Client) -> None:
    response = client.get(reverse("account"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_header_links_to_the_account_page(world: dict[str, Any]) -> None:
    assert f'href="{reverse("account")}"' in brand_page(world, world["owner"])


def test_owners_set_the_brands_zone_and_viewers_only_read_it(world: dict[str, Any]) -> None:
    url = reverse("brand-settings-time-zone", args=["atelier"])
    viewer = factories.make_member(brand=world["brand"], role="viewer")

    assert logged_in(viewer).post(url, {"time_zone": "UTC"}).status_code == 403
    assert logged_in(world["owner"]).post(url, {"time_zone": "Nowhere"}).status_code == 400
    saved = logged_in(world["owner"]).post(url, {"time_zone": "Europe/Oslo"}, follow=True)

    assert "The time zone was saved." in saved.content.decode()
    world["brand"].refresh_from_db()
    assert world["brand"].time_zone == "Europe/Oslo"
    assert "2027-03-02 00:30 CET" in brand_page(world, world["owner"])


def test_documents_show_the_brands_zone_whoever_downloads_them(world: dict[str, Any]) -> None:
    shopper: User = world["shopper"]
    shopper.time_zone = "Europe/Paris"
    shopper.save(update_fields=["time_zone"])

    pdf = logged_in(shopper).get(reverse("buyer-order-pdf", args=[world["order"].pk]))
    text = text_of(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)

    assert "2027-03-02 08:30 JST" in text
    assert "CET" not in text


def test_the_excel_export_writes_the_brands_clock_and_names_the_zone(
    world: dict[str, Any],
) -> None:
    owner: User = world["owner"]
    owner.time_zone = "Europe/Paris"
    owner.save(update_fields=["time_zone"])

    response = logged_in(owner).get(reverse("brand-orders-xlsx", args=["atelier"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))

    column = rows[0].index("Placed at (Asia/Tokyo)")
    assert rows[1][column] == datetime.datetime(2027, 3, 2, 8, 30)


def test_an_email_shows_times_in_its_recipients_zone_not_the_senders(
    world: dict[str, Any],
) -> None:
    invitation = invitation_create(
        brand=world["brand"], email="new@shop.test", created_by=world["owner"], name="New Shop"
    )
    # Ends at 20:00 UTC on 30 April: 1 May in the brand's Tokyo, where the shop is invited.
    invitation.expires_at = datetime.datetime(2027, 4, 30, 20, 0, tzinfo=datetime.UTC)

    with timezone.override("America/Los_Angeles"):  # the sender's zone, on the request
        email = email_enqueue(
            kind="invitation",
            reference="invitation:again",
            to=["new@shop.test"],
            language="en",
            template="notifications/email/invitation",
            context={"brand": world["brand"], "invitation": invitation, "accept_url": "x"},
            time_zone=world["brand"].time_zone,
        )
        sent = OutboundEmail.objects.get(reference=f"invitation:{invitation.pk}")

    assert email is not None
    assert "The invitation is valid until 2027-05-01." in email.body_text
    expires = timezone.localdate(
        Invitation.objects.get(pk=invitation.pk).expires_at, zoneinfo.ZoneInfo("Asia/Tokyo")
    )
    assert f"The invitation is valid until {expires:%Y-%m-%d}." in sent.body_text
