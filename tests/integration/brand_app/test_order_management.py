from __future__ import annotations

import datetime
import html
import re
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from linesheet.brand_app import order_views
from linesheet.brand_app.forms import order_search_query
from linesheet.ordering.models import Order, OrderRoute
from linesheet.ordering.selectors import OrderFilters
from linesheet.ordering.services import order_archive, order_place, order_reject, order_set_tags
from tests import factories

pytestmark = pytest.mark.django_db

NEXT_LINK = re.compile(r'href="([^"]+)" rel="next"')


@pytest.fixture
def catalog(brand: Any) -> Any:
    return factories.make_catalog(brand=brand, skus=3, code="SS27", name="Spring Summer 2027")


@pytest.fixture
def buyer(brand: Any) -> Any:
    return factories.make_connected_buyer(brand=brand)


def url(brand: Any, **params: Any) -> str:
    base = reverse("brand-orders", args=[brand.slug])
    return f"{base}?{urlencode(params)}" if params else base


def listed(response: Any) -> list[str]:
    page = response.context["page"]
    assert page is not None, response.context["form"].errors
    return [order.code for order in page.items]


def place(buyer: Any, catalog: Any, *, route: str = OrderRoute.BUYER_APP) -> Any:
    cart = factories.make_cart(buyer=buyer, catalog=catalog)
    return order_place(
        cart_id=cart.pk, organization=buyer.organization, placed_by=None, route=route
    )


def test_the_list_shows_the_brands_orders_newest_first_with_their_totals(
    owner_client: Client, brand: Any, catalog: Any, buyer: Any
) -> None:
    first = factories.make_order(buyer=buyer, catalog=catalog)
    second = factories.make_order(buyer=buyer, catalog=catalog)
    elsewhere = factories.make_order(
        buyer=(other := factories.make_connected_buyer(brand=factories.make_brand())),
        catalog=factories.make_catalog(brand=other.brand),
    )

    response = owner_client.get(url(brand))

    # Codes are unique per brand only: the other brand's first order has the same code.
    assert [order.pk for order in response.context["page"].items] == [second.pk, first.pk]
    assert elsewhere.pk not in [order.pk for order in response.context["page"].items]
    text = html.unescape(response.text)
    assert f'href="{reverse("brand-order-detail", args=[brand.slug, first.code])}"' in text
    assert buyer.name in text
    assert "SS27" in text
    assert "Buyer App" in text
    assert "Please create an OC" in text
    assert "awaiting_oc" in text  # the status badge's class
    # 3 SKUs x 2 units at 50.00 (retail 100.00 at the rate 0.5): 3 lines, 6 units, 300.00 EUR.
    row = text.split(first.code, 2)[2].split("</tr>")[0]
    cells = re.findall(r'<td class="[^"]*\bnum\b[^"]*"[^>]*>(.*?)</td>', row, re.S)
    assert [re.sub(r"<[^>]+>", "", cell).split() for cell in cells] == [
        ["3"],
        ["6"],
        ["300.00", "EUR"],
    ]


def test_a_brand_without_orders_sees_an_empty_state(owner_client: Client, brand: Any) -> None:
    response = owner_client.get(url(brand))

    assert listed(response) == []
    assert "No orders yet." in response.text


def test_each_filter_narrows_the_list(
    owner_client: Client, brand: Any, catalog: Any, buyer: Any
) -> None:
    other_buyer = factories.make_connected_buyer(brand=brand)
    other_catalog = factories.make_catalog(brand=brand, skus=1, code="AW27")
    plain = factories.make_order(buyer=buyer, catalog=catalog)
    proxy = place(other_buyer, catalog, route=OrderRoute.PROXY)
    winter = factories.make_order(buyer=buyer, catalog=other_catalog)
    old = factories.make_order(buyer=other_buyer, catalog=other_catalog)
    archived = factories.make_order(buyer=buyer, catalog=catalog)
    # Test set-up only: there is no operation yet that moves these facts this way.
    Order.objects.filter(pk=old.pk).update(
        placed_at=timezone.now() - datetime.timedelta(days=30), status="oc_created"
    )
    Order.objects.filter(pk=archived.pk).update(archived=True, status="rejected")
    today = timezone.localdate()

    def codes(**params: Any) -> set[str]:
        return set(listed(owner_client.get(url(brand, **params))))

    live = {plain.code, proxy.code, winter.code, old.code}
    assert codes() == live
    assert codes(status="oc_created") == {old.code}
    assert codes(status="awaiting_oc") == {plain.code, proxy.code, winter.code}
    assert codes(buyer=other_buyer.pk) == {proxy.code, old.code}
    assert codes(catalog=other_catalog.pk) == {winter.code, old.code}
    assert codes(route="proxy") == {proxy.code}
    assert codes(code=winter.code) == {winter.code}
    assert codes(code=winter.code[:-1]) >= {winter.code}
    assert codes(placed_to=(today - datetime.timedelta(days=1)).isoformat()) == {old.code}
    assert codes(placed_from=today.isoformat()) == live - {old.code}
    assert codes(placed_from=today.isoformat(), placed_to=today.isoformat()) == live - {old.code}
    assert codes(archived="yes") == {archived.code}
    assert codes(archived="all") == live | {archived.code}
    assert codes(archived="all", status="rejected") == {archived.code}
    assert codes(q=other_buyer.name) == {proxy.code, old.code}
    assert codes(q=winter.code) == {winter.code}
    assert codes(buyer=buyer.pk, catalog=catalog.pk) == {plain.code}


def test_the_status_filter_offers_the_brand_app_labels(owner_client: Client, brand: Any) -> None:
    response = owner_client.get(url(brand))

    text = html.unescape(response.text)
    for label in ("Please create an OC", "OC rejected by buyer", "Order rejected"):
        assert label in text
    assert "Awaiting OC creation" not in text  # the Buyer App's label


def test_bad_filter_values_show_field_errors_not_a_failure(
    owner_client: Client, brand: Any, catalog: Any, buyer: Any
) -> None:
    factories.make_order(buyer=buyer, catalog=catalog)
    stranger = factories.make_buyer(brand=factories.make_brand())

    response = owner_client.get(
        url(
            brand,
            status="bogus",
            buyer="abc",
            catalog=stranger.pk,
            route="pigeon",
            placed_from="2026-13-45",
            code="X" * 61,
            archived="maybe",
        )
    )

    assert response.status_code == 200
    assert response.context["page"] is None
    errors = response.context["form"].errors
    assert set(errors) == {
        "status",
        "buyer",
        "catalog",
        "route",
        "placed_from",
        "code",
        "archived",
    }
    assert "Correct the filters above to see the orders." in response.text
    assert 'aria-invalid="true"' in response.text


def test_an_end_date_before_the_start_date_is_a_field_error(
    owner_client: Client, brand: Any
) -> None:
    response = owner_client.get(url(brand, placed_from="2026-05-10", placed_to="2026-05-01"))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "placed_to": ["The end date is before the start date."]
    }
    assert response.context["page"] is None


def test_pages_walk_every_order_once_newest_first_keeping_the_filters(
    owner_client: Client,
    brand: Any,
    catalog: Any,
    buyer: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(order_views, "ORDERS_PER_PAGE", 3)
    placed = [factories.make_order(buyer=buyer, catalog=catalog) for _ in range(8)]
    # Two orders share a moment: the id keeps them apart without skipping or repeating one.
    Order.objects.filter(pk=placed[4].pk).update(placed_at=placed[5].placed_at)
    other_catalog = factories.make_catalog(brand=brand, skus=1)
    factories.make_order(buyer=buyer, catalog=other_catalog)

    seen: list[str] = []
    next_url: str | None = url(brand, catalog=catalog.pk)
    pages = 0
    while next_url:
        response = owner_client.get(next_url)
        seen.extend(listed(response))
        pages += 1
        links = NEXT_LINK.findall(response.text)
        # The link is a query string alone ("?..."): the browser keeps the page's path.
        next_url = urljoin(url(brand), html.unescape(links[0])) if links else None
        if next_url:
            query = parse_qs(urlsplit(next_url).query)
            assert query["catalog"] == [str(catalog.pk)]
            assert query["cursor"]
            assert "First page" in owner_client.get(next_url).text

    expected = list(
        Order.objects.filter(catalog=catalog)
        .order_by("-placed_at", "-id")
        .values_list("code", flat=True)
    )
    assert seen == expected
    assert len(seen) == 8
    assert pages == 3


PREVIOUS_LINK = re.compile(r'href="([^"]+)" rel="prev"')


def follow(client: Client, response: Any, link: re.Pattern[str]) -> Any:
    """Open the page's one link of the kind (the link is a query string: the path stays)."""
    found = link.findall(response.text)
    assert len(found) == 1, f"one {link.pattern} link"
    return client.get(urljoin(response.request["PATH_INFO"], html.unescape(found[0])))


def test_a_later_page_leads_back_page_by_page_to_the_first(
    owner_client: Client,
    brand: Any,
    catalog: Any,
    buyer: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(order_views, "ORDERS_PER_PAGE", 3)
    for _ in range(8):
        factories.make_order(buyer=buyer, catalog=catalog)
    newest_first = list(Order.objects.order_by("-placed_at", "-id").values_list("code", flat=True))

    first = owner_client.get(url(brand, status="awaiting_oc"))
    second = follow(owner_client, first, NEXT_LINK)
    third = follow(owner_client, second, NEXT_LINK)
    assert [listed(page) for page in (first, second, third)] == [
        newest_first[:3],
        newest_first[3:6],
        newest_first[6:],
    ]
    assert PREVIOUS_LINK.findall(first.text) == []
    back_to_second = follow(owner_client, third, PREVIOUS_LINK)
    assert listed(back_to_second) == newest_first[3:6]
    assert "First page" in back_to_second.text
    back_to_first = follow(owner_client, back_to_second, PREVIOUS_LINK)
    assert listed(back_to_first) == newest_first[:3]
    assert PREVIOUS_LINK.findall(back_to_first.text) == []
    assert listed(follow(owner_client, back_to_first, NEXT_LINK)) == newest_first[3:6]
    assert parse_qs(urlsplit(html.unescape(PREVIOUS_LINK.findall(third.text)[0])).query)[
        "status"
    ] == ["awaiting_oc"]


def test_a_previous_page_that_shrank_is_the_first_page_in_full(
    owner_client: Client,
    brand: Any,
    catalog: Any,
    buyer: Any,
    owner: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(order_views, "ORDERS_PER_PAGE", 3)
    placed = [factories.make_order(buyer=buyer, catalog=catalog) for _ in range(5)]

    second = follow(owner_client, owner_client.get(url(brand)), NEXT_LINK)
    assert listed(second) == [order.code for order in reversed(placed[:2])]
    # Two orders of the first page leave the default list before "Previous" is clicked.
    for order in placed[-2:]:
        order_reject(order_id=order.pk, actor=owner, notify=False)
        order_archive(order_id=order.pk, actor=owner)

    back = follow(owner_client, second, PREVIOUS_LINK)

    assert listed(back) == [order.code for order in reversed(placed[:3])]


def count_line(response: Any) -> str:
    found = re.findall(r'<p class="list-count"[^>]*>([^<]+)</p>', response.text)
    assert len(found) == 1
    return " ".join(html.unescape(found[0]).split())


def test_the_list_says_how_many_orders_match(
    owner_client: Client, brand: Any, catalog: Any, buyer: Any
) -> None:
    placed = [factories.make_order(buyer=buyer, catalog=catalog) for _ in range(3)]
    factories.make_order(buyer=factories.make_connected_buyer(brand=brand), catalog=catalog)

    assert count_line(owner_client.get(url(brand))) == "4 orders"
    assert count_line(owner_client.get(url(brand, buyer=buyer.pk))) == "3 orders"
    assert count_line(owner_client.get(url(brand, code=placed[0].code))) == "1 order"


def test_a_count_past_its_cap_says_more_than(
    owner_client: Client,
    brand: Any,
    catalog: Any,
    buyer: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(order_views, "ORDER_COUNT_CAP", 3)
    for _ in range(3):
        factories.make_order(buyer=buyer, catalog=catalog)
    assert count_line(owner_client.get(url(brand))) == "3 orders"

    factories.make_order(buyer=buyer, catalog=catalog)

    assert count_line(owner_client.get(url(brand))) == "More than 3 orders"


def test_a_forged_cursor_shows_a_plain_message_and_the_first_page(
    owner_client: Client, brand: Any, catalog: Any, buyer: Any
) -> None:
    order = factories.make_order(buyer=buyer, catalog=catalog)

    for cursor in ("not-a-cursor", "W10", "x" * 500):
        response = owner_client.get(url(brand, cursor=cursor))

        assert response.status_code == 200
        assert listed(response) == [order.code]
        assert "That page link is not valid any more, so this is the first page." in (
            html.unescape(response.text)
        )


def test_the_list_costs_the_same_queries_for_one_and_for_many_orders(
    owner_client: Client, brand: Any, catalog: Any, buyer: Any
) -> None:
    factories.make_order(buyer=buyer, catalog=catalog)

    def queries(**params: Any) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = owner_client.get(url(brand, **params))
        assert response.status_code == 200
        return len(captured)

    one = queries()
    one_filtered = queries(buyer=buyer.pk, status="awaiting_oc")
    for _ in range(3):
        more_buyer = factories.make_connected_buyer(brand=brand)
        more_catalog = factories.make_catalog(brand=brand, skus=2)
        for _ in range(4):
            factories.make_order(buyer=more_buyer, catalog=more_catalog)
            factories.make_order(buyer=buyer, catalog=catalog)

    assert queries() == one
    assert queries(buyer=buyer.pk, status="awaiting_oc") == one_filtered
    # Session, user, memberships, organisations, buyer, tag and catalog choices, the page, its
    # orders' tags and the count.
    assert one == 10


def test_an_archived_order_is_hidden_until_asked_for(
    owner_client: Client, brand: Any, catalog: Any, buyer: Any
) -> None:
    order = factories.make_order(buyer=buyer, catalog=catalog)
    Order.objects.filter(pk=order.pk).update(archived=True, status="returned_to_cart")

    assert listed(owner_client.get(url(brand))) == []
    assert listed(owner_client.get(url(brand, archived="yes"))) == [order.code]
    assert listed(owner_client.get(url(brand, archived="all"))) == [order.code]


def test_the_archive_filter_offers_all_orders_archived_or_not(
    owner_client: Client, brand: Any, catalog: Any, buyer: Any, owner: Any
) -> None:
    kept, archived = (factories.make_order(buyer=buyer, catalog=catalog) for _ in range(2))
    for order in (kept, archived):
        order_set_tags(order_id=order.pk, actor=owner, names=["Rush"])
    order_reject(order_id=archived.pk, actor=owner, notify=False)
    order_archive(order_id=archived.pk, actor=owner)

    response = owner_client.get(url(brand, archived="all", tag="Rush"))

    assert '<option value="all" selected>All, archived or not</option>' in response.text
    assert listed(response) == [archived.code, kept.code]
    assert listed(owner_client.get(url(brand, tag="Rush"))) == [kept.code]
    assert listed(owner_client.get(url(brand, archived="yes", tag="Rush"))) == [archived.code]


def test_a_viewer_reads_order_management(
    viewer_client: Client, brand: Any, catalog: Any, buyer: Any
) -> None:
    order = factories.make_order(buyer=buyer, catalog=catalog)

    response = viewer_client.get(url(brand))

    assert listed(response) == [order.code]
    assert viewer_client.post(url(brand)).status_code == 403


@pytest.mark.parametrize("archived", [False, True, None])
def test_a_search_written_as_a_link_reads_back_as_the_same_search(
    owner_client: Client, brand: Any, catalog: Any, buyer: Any, owner: Any, archived: Any
) -> None:
    order = factories.make_order(buyer=buyer, catalog=catalog)
    order_set_tags(order_id=order.pk, actor=owner, names=["Rush"])
    search = OrderFilters(
        status="awaiting_oc",
        buyer_id=buyer.pk,
        catalog_id=catalog.pk,
        route="buyer_app",
        code_prefix=order.code[:3],
        placed_from=datetime.date(2027, 3, 1),
        placed_to=datetime.date(2027, 3, 31),
        archived=archived,
        q="Shop",
        tag="Rush",
    )

    response = owner_client.get(f"{url(brand)}?{order_search_query(search)}")

    assert response.context["form"].filters() == search
