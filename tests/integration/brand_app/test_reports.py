"""Brand App reporting pages: PDF downloads, the Excel export and the analytics page."""

from __future__ import annotations

import datetime
import html
import io
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from linesheet.ordering import services as ordering
from linesheet.ordering.models import Order, OrderNumbering
from tests import factories
from tests.integration.reporting.dataset import Dataset, build, make_catalog, place
from tests.integration.reporting.pdf_text import text_of as pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(brand: Any, owner: Any) -> Dataset:
    return build(brand=brand, owner=owner)


def page_text(response: Any) -> str:
    assert response.status_code == 200
    return " ".join(html.unescape(response.content.decode()).split())


def visible_text(response: Any) -> str:
    """The page's words without its markup."""
    return " ".join(re.sub(r"<[^>]+>", " ", page_text(response)).split())


def streamed(response: Any) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def po_url(brand: Any, code: str) -> str:
    return reverse("brand-order-pdf", args=[brand.slug, code])


def oc_url(brand: Any, code: str) -> str:
    return reverse("brand-order-confirmation-pdf", args=[brand.slug, code])


# --- PDF --------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["open", "confirmed", "rejected", "returned", "replacement"])
def test_a_viewer_downloads_the_purchase_order_in_every_status(
    viewer_client: Client, brand: Any, data: Dataset, which: str
) -> None:
    order = getattr(data, which)

    response = viewer_client.get(po_url(brand, order.code))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="order-{order.code}.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(response.content)
    assert f"Purchase order {order.code}" in text


def test_the_confirmation_pdf_needs_an_oc(owner_client: Client, brand: Any, data: Dataset) -> None:
    response = owner_client.get(oc_url(brand, data.confirmed.code))

    assert "Total 240.00 EUR" in pdf_text(response.content)
    assert owner_client.get(oc_url(brand, data.open.code)).status_code == 404


def test_a_code_issued_with_a_slash_downloads(owner_client: Client, brand: Any) -> None:
    # A rule saved before prefixes lost "/" (the service refuses it now).
    OrderNumbering.objects.create(brand=brand, prefix="AT/", width=3)
    catalog = make_catalog(brand=brand, code="SS", currency="EUR", model="M", prefix="S", skus=1)
    order = place(
        buyer=factories.make_connected_buyer(brand=brand),
        catalog=catalog,
        quantities={"S-0": 1},
        user=None,
    )

    response = owner_client.get(po_url(brand, order.code))

    assert order.code == "AT/001"
    assert response["Content-Disposition"] == 'attachment; filename="order-AT-001.pdf"'
    assert "Purchase order AT/001" in pdf_text(response.content)


def test_another_brands_order_is_not_found(owner_client: Client, brand: Any, data: Dataset) -> None:
    assert owner_client.get(po_url(brand, data.foreign.code)).status_code == 404
    assert owner_client.get(po_url(data.foreign.brand, data.foreign.code)).status_code == 404
    assert owner_client.get(oc_url(brand, "NO-SUCH")).status_code == 404


def test_the_order_page_links_its_documents(
    owner_client: Client, brand: Any, data: Dataset
) -> None:
    def page(order: Any) -> str:
        return owner_client.get(
            reverse("brand-order-detail", args=[brand.slug, order.code])
        ).content.decode()

    with_oc, without = page(data.confirmed), page(data.returned)

    assert f'href="{po_url(brand, data.confirmed.code)}"' in with_oc
    assert f'href="{oc_url(brand, data.confirmed.code)}"' in with_oc
    assert f'href="{po_url(brand, data.returned.code)}"' in without
    assert oc_url(brand, data.returned.code) not in without


# --- Excel ------------------------------------------------------------------------------------


def xlsx_rows(response: Any) -> list[list[Any]]:
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(streamed(response))).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_a_viewer_exports_the_search_with_its_filters(
    viewer_client: Client, brand: Any, data: Dataset
) -> None:
    url = reverse("brand-orders-xlsx", args=[brand.slug])

    response = viewer_client.get(url, {"status": "returned_to_cart", "cursor": "ignored"})

    assert response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="orders-atelier-')
    rows = xlsx_rows(response)
    assert rows[1][:4] == [data.returned.code, "Returned to cart", "Buyer App", "Maison Claire"]
    assert rows[1][6] == "SS-1" and rows[1][11] == 7
    assert len(rows) == 2


def test_the_whole_search_exports_every_line_of_the_brand(
    owner_client: Client, brand: Any, data: Dataset
) -> None:
    rows = xlsx_rows(owner_client.get(reverse("brand-orders-xlsx", args=[brand.slug])))

    assert len(rows) == 1 + 10
    assert data.foreign.code not in {row[0] for row in rows}


def test_a_bad_filter_goes_back_to_order_management(
    owner_client: Client, brand: Any, data: Dataset
) -> None:
    response = owner_client.get(
        reverse("brand-orders-xlsx", args=[brand.slug]), {"status": "lost", "cursor": "x"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("brand-orders", args=[brand.slug]) + "?status=lost"


def test_order_management_offers_the_export_of_its_search(
    owner_client: Client, brand: Any, data: Dataset
) -> None:
    text = owner_client.get(
        reverse("brand-orders", args=[brand.slug]), {"status": "rejected"}
    ).content.decode()

    assert f'href="{reverse("brand-orders-xlsx", args=[brand.slug])}?status=rejected"' in text
    assert "Export to Excel" in text


# --- Analytics --------------------------------------------------------------------------------


def analytics(client: Client, brand: Any, **params: str) -> Any:
    return client.get(reverse("brand-analytics", args=[brand.slug]), params)


def test_the_navigation_leads_to_analytics(viewer_client: Client, brand: Any) -> None:
    text = viewer_client.get(reverse("brand-orders", args=[brand.slug])).content.decode()

    assert f'href="{reverse("brand-analytics", args=[brand.slug])}"' in text


def test_a_viewer_sees_products_per_currency_with_a_chart(
    viewer_client: Client, brand: Any, data: Dataset
) -> None:
    response = analytics(viewer_client, brand)
    text, words = page_text(response), visible_text(response)

    assert "Product · EUR" in words and "Product · NOK" in words
    assert "M-SS Model M-SS 3 17 790.00" in words
    assert "M-FW Model M-FW 1 3 120.00" in words
    assert 'role="img"' in text
    assert "<title" in text and "Amount in EUR by product" in text
    assert "Model M-SS: 790.00" in text
    assert "<script" not in text.split("</header>")[1]


def test_buyers_link_to_their_page(owner_client: Client, brand: Any, data: Dataset) -> None:
    response = analytics(owner_client, brand, by="buyer")

    link = reverse("brand-buyer-detail", args=[brand.slug, data.maison.pk])
    assert f'href="{link}"' in page_text(response)
    assert "Maison Claire 2 11 550.00" in visible_text(response)


def test_the_returns_panel_shows_the_periods_figures(
    owner_client: Client, brand: Any, data: Dataset
) -> None:
    words = visible_text(analytics(owner_client, brand))

    assert "Returned to cart 1 Placed again 1 Not placed again yet 0" in words
    assert "Median time to place again less than a minute" in words


def returned_order(brand: Any, owner: Any, catalog: Any, *, placed_days_ago: int) -> Any:
    """An order placed that many days ago, returned to its buyer's cart today."""
    buyer = factories.make_connected_buyer(brand=brand)
    order = factories.make_order(buyer=buyer, catalog=catalog)
    Order.objects.filter(pk=order.pk).update(
        placed_at=timezone.now() - datetime.timedelta(days=placed_days_ago)
    )
    ordering.order_return_to_cart(order_id=order.pk, actor=owner, notify=False)
    return order


def listed_codes(response: Any) -> list[str]:
    """The order codes of Order Management's table."""
    table = page_text(response).split("<tbody>")[1].split("</tbody>")[0]
    return re.findall(r'<th scope="row"[^>]*><a class="code" href="[^"]+">([^<]+)</a>', table)


def test_the_returns_count_is_what_its_link_lands_on(
    owner_client: Client, brand: Any, owner: Any
) -> None:
    catalog = factories.make_catalog(brand=brand)
    shown = returned_order(brand, owner, catalog, placed_days_ago=10)
    archived = returned_order(brand, owner, catalog, placed_days_ago=20)
    ordering.order_archive(order_id=archived.pk, actor=owner)
    returned_order(brand, owner, catalog, placed_days_ago=200)  # placed before the period

    response = analytics(owner_client, brand, **{"from": "", "to": ""})
    words = visible_text(response)
    link = re.search(
        r'href="([^"]+)">See the returned orders in Order Management', page_text(response)
    )

    assert "Returned to cart 2 " in words
    assert link is not None
    assert sorted(listed_codes(owner_client.get(link.group(1)))) == sorted(
        [shown.code, archived.code]
    )


def test_a_bad_period_is_explained(owner_client: Client, brand: Any) -> None:
    text = page_text(analytics(owner_client, brand, **{"from": "2027-03-10", "to": "2027-03-01"}))

    assert "The end date is before the start date." in text
    assert "Correct the choices above" in text


def test_user_text_in_labels_is_escaped(owner_client: Client, brand: Any) -> None:
    buyer = factories.make_buyer(
        brand=brand,
        organization=factories.make_organization(name="x"),
        name="<b>Bold</b> & Co",
    )
    catalog = make_catalog(brand=brand, code="SS", currency="EUR", model="M", prefix="S", skus=1)
    place(buyer=buyer, catalog=catalog, quantities={"S-0": 1}, user=None)

    raw = analytics(owner_client, brand, by="buyer").content.decode()

    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in raw
    assert "<b>Bold</b>" not in raw


def test_the_analytics_page_costs_the_same_queries_for_more_orders(
    owner_client: Client, brand: Any, data: Dataset
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert analytics(owner_client, brand, by="sku").status_code == 200
        return len(captured)

    few = queries()
    for n in range(3):
        place(
            buyer=factories.make_connected_buyer(brand=brand),
            catalog=make_catalog(
                brand=brand, code=f"N{n}", currency="DKK", model=f"N{n}", prefix=f"N{n}", skus=3
            ),
            quantities={f"N{n}-0": 1, f"N{n}-2": 2},
            user=None,
        )

    assert queries() == few
    # Session, user, memberships, organisations; three for the sums, one naming the rows, one
    # for the returns; on PostgreSQL, the tuning of the two reports' transactions.
    assert few == {"sqlite": 9, "postgresql": 11}[connection.vendor]
