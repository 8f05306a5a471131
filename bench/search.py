"""Order Management search: the Brand API's order list against the same query in plain SQL.

Six typical filter combinations, and two over archived orders too (`archived=all`), each on its
first page and on a page deep into its results. The API side is the whole request in-process
(authentication, brand membership, filters, the page query, serialization); the SQL side is
the one keyset query written by hand, with the columns the API shows, on a connection of its
own. Beside each search, the count Order Management shows ("More than 1,000 orders").
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import psycopg
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.utils import timezone

from bench.data import DataSet
from bench.measure import (
    Row,
    alternating,
    captured_queries,
    median,
    percentile,
    query_count,
    timings,
)
from linesheet.accounts.models import Brand
from linesheet.api.orders.serializers import OrderFiltersSerializer, order_filters
from linesheet.brand_app.order_views import ORDER_COUNT_CAP
from linesheet.core.clock import day_start
from linesheet.core.keyset import encode_cursor
from linesheet.ordering.selectors import orders_count, orders_of_brand

SECTION = "search"
LIMIT = 50  # the API's default page size
DEEP_ROW = 10_000
SAMPLES = 50
WARMUP = 5
TARGET_SECONDS = 0.050
TARGET = "p95 < 50 ms; statements per page constant"

# What OrderSummarySerializer shows, with the buyer and catalog joined as select_related does.
SELECT = (
    "SELECT o.id, o.code, o.status, o.route, o.placed_at, o.desired_delivery_date,"
    " o.total_quantity, o.total_amount, o.currency, o.line_count, o.archived,"
    " b.id, b.name, c.id, c.name, c.code"
    " FROM ordering_order o"
    " JOIN accounts_buyer b ON b.id = o.buyer_id"
    " JOIN catalog_catalog c ON c.id = o.catalog_id"
)


@dataclass(frozen=True)
class Search:
    """One filter combination: its API query parameters and the same condition in SQL.

    `joins` and `keyset` (the columns the pages are ordered and bounded by) are the orders' own
    unless the app reads the page from another table's index: for a tag, the tag rows' copy of
    placed_at (see OrderTag).
    """

    name: str
    params: dict[str, str]
    condition: str
    args: tuple[Any, ...]
    joins: str = ""
    keyset: tuple[str, str] = ("o.placed_at", "o.id")
    archived: bool | None = False  # None: archived or not (archived=all)

    @property
    def slot(self) -> str:
        """The filters it sets, whatever their values: the same search on any data set."""
        return "+".join(sorted(self.params))

    def order(self) -> str:
        moment, pk = self.keyset
        return f" ORDER BY {moment} DESC, {pk} DESC"


@dataclass(frozen=True)
class Page:
    """One page of a search: first (no cursor) or deep (after the row at `after`)."""

    search: Search
    label: str
    after: tuple[datetime.datetime, int] | None


def run(data: DataSet) -> list[Row]:
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as sql:
        # psycopg's defaults, as in the return section's floor: a statement run five times is
        # prepared, so the hand-written side plans each search once.
        searches = typical_searches(sql, data)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {data.staff_token}")
        rows = []
        for search in searches:
            for page in pages(sql, data, search):
                print(f"  {search.name}: {page.label}", flush=True)
                rows.append(measure(sql, client, data, page))
            rows.append(count(data, search))
        rows.append(request_floor(client))
    return rows


# --- The searches ------------------------------------------------------------------------------


def typical_searches(sql: psycopg.Connection[Any], data: DataSet) -> list[Search]:
    """Pick the filter values from the loaded history, the same ones on every run."""
    brand = data.brand_id
    year_ago = timezone.localdate() - datetime.timedelta(days=365)
    # Counted on orders older than a year, which later runs do not add to.
    history = (brand, day_start(year_ago))
    (buyer,) = busiest(sql, "o.buyer_id", "", history)
    (catalog,) = busiest(sql, "o.catalog_id", "", history)
    tag_id, tag = busiest(
        sql,
        "t.id, t.name",
        " JOIN ordering_ordertag ot ON ot.order_id = o.id JOIN ordering_tag t ON t.id = ot.tag_id",
        history,
    )
    month_start = year_ago.replace(day=1)
    next_month = (month_start + datetime.timedelta(days=31)).replace(day=1)
    # The code of an order from a year ago without its last two digits: about a hundred orders.
    (code,) = one_row(
        sql,
        "SELECT code FROM ordering_order WHERE brand_id = %s AND placed_at < %s"
        " ORDER BY placed_at DESC, id DESC LIMIT 1",
        history,
    )
    prefix = code[:-2]
    return [
        Search("status=awaiting_oc", {"status": "awaiting_oc"}, "o.status = %s", ("awaiting_oc",)),
        Search(f"buyer={buyer}", {"buyer": str(buyer)}, "o.buyer_id = %s", (buyer,)),
        Search(f"catalog={catalog}", {"catalog": str(catalog)}, "o.catalog_id = %s", (catalog,)),
        Search(
            f"placed in {month_start:%Y-%m}",
            {
                "placed_from": month_start.isoformat(),
                "placed_to": (next_month - datetime.timedelta(days=1)).isoformat(),
            },
            "o.placed_at >= %s AND o.placed_at < %s",
            (day_start(month_start), day_start(next_month)),
        ),
        Search(
            f"tag={tag}",
            {"tag": tag},
            "ot.tag_id = %s AND NOT ot.archived",
            (tag_id,),
            joins=" JOIN ordering_ordertag ot ON ot.order_id = o.id",
            keyset=("ot.placed_at", "ot.order_id"),
        ),
        Search(f"code={prefix}", {"code": prefix}, "o.code LIKE %s", (prefix + "%",)),
        Search("archived=all", {"archived": "all"}, "TRUE", (), archived=None),
        Search(
            f"archived=all, tag={tag}",
            {"archived": "all", "tag": tag},
            "ot.tag_id = %s",
            (tag_id,),
            joins=" JOIN ordering_ordertag ot ON ot.order_id = o.id",
            keyset=("ot.placed_at", "ot.order_id"),
            archived=None,
        ),
    ]


def busiest(
    sql: psycopg.Connection[Any], columns: str, joins: str, history: tuple[Any, ...]
) -> tuple[Any, ...]:
    """The `columns` found on most of the brand's live orders placed before a moment."""
    return one_row(
        sql,
        f"SELECT {columns} FROM ordering_order o{joins}"
        " WHERE o.brand_id = %s AND NOT o.archived AND o.placed_at < %s"
        f" GROUP BY {columns} ORDER BY count(*) DESC, {columns} LIMIT 1",
        history,
    )


def one_row(sql: psycopg.Connection[Any], query: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
    found = sql.execute(query, args).fetchone()
    assert found is not None, query
    return tuple(found)


def where(data: DataSet, search: Search) -> tuple[str, tuple[Any, ...]]:
    """The search's joins and WHERE as the API applies them: the brand, archived or not, the
    filter."""
    archived = {False: " AND NOT o.archived", True: " AND o.archived", None: ""}[search.archived]
    return (
        f"{search.joins} WHERE o.brand_id = %s{archived} AND {search.condition}",
        (data.brand_id, *search.args),
    )


def pages(sql: psycopg.Connection[Any], data: DataSet, search: Search) -> list[Page]:
    """The first page, and the page at row 10,000 (or half way when there are fewer)."""
    clause, args = where(data, search)
    (matches,) = one_row(sql, f"SELECT count(*) FROM ordering_order o{clause}", args)
    deep = min(DEEP_ROW, matches // 2)
    previous = sql.execute(
        f"SELECT o.placed_at, o.id FROM ordering_order o{clause}{search.order()} OFFSET %s LIMIT 1",
        (*args, deep - 1),
    ).fetchone()
    assert previous is not None, f"{search.name}: too few orders ({matches})"
    return [
        Page(search, f"first page of {matches:,}", None),
        Page(search, f"page at row {deep:,}", (previous[0], previous[1])),
    ]


# --- Measuring one page ------------------------------------------------------------------------


def measure(sql: psycopg.Connection[Any], client: Client, data: DataSet, page: Page) -> Row:
    url = api_url(data, page)
    same = api_page(client, url) == sql_page(sql, data, page)
    times = alternating(
        {"api": lambda: api_page(client, url), "sql": lambda: sql_page(sql, data, page)},
        repeat=SAMPLES,
        warmup=WARMUP,
    )
    api, hand = times["api"], times["sql"]
    api_p95, sql_p95 = percentile(api, 0.95), percentile(hand, 0.95)
    queries = [query["sql"] for query in captured_queries(lambda: api_page(client, url))]
    return Row(
        section=SECTION,
        what=f"order search {page.search.name}, {page.label}",
        value=api_p95,
        unit="s",
        baseline=sql_p95,
        baseline_label="SQL p95",
        ratio=api_p95 / sql_p95,
        target=TARGET,
        met=same and api_p95 < TARGET_SECONDS,
        key=f"search:{page.search.slot}:{'deep' if page.after else 'first'}",
        details={
            # Every sample, so that another run (a smaller data set) can be compared with this.
            "api_ms": [round(t * 1000, 3) for t in api],
            "api_p50_ms": round(median(api) * 1000, 2),
            "sql_p50_ms": round(median(hand) * 1000, 2),
            "api_queries": len(queries),
            "same_rows": same,
            "indexes": indexes_planned(next(q for q in queries if "ordering_order" in q)),
            "url": url,
        },
    )


def count(data: DataSet, search: Search) -> Row:
    """How many orders the search finds as Order Management counts them: up to its cap."""
    params = OrderFiltersSerializer(data=QueryDict(urlencode(search.params)))  # as a query
    assert params.is_valid(), params.errors
    brand = Brand.objects.get(pk=data.brand_id)

    def counted() -> int:
        orders = orders_of_brand(brand=brand, filters=order_filters(params.validated_data))
        return orders_count(orders, cap=ORDER_COUNT_CAP)

    found = counted()
    times = timings(counted, repeat=SAMPLES, warmup=WARMUP)
    p95 = percentile(times, 0.95)
    shown = f"more than {ORDER_COUNT_CAP:,}" if found > ORDER_COUNT_CAP else f"{found:,}"
    return Row(
        section=SECTION,
        what=f"order count {search.name}: {shown}",
        value=p95,
        unit="s",
        target=f"p95 < {TARGET_SECONDS * 1000:.0f} ms",
        met=p95 < TARGET_SECONDS,
        details={"p50_ms": round(median(times) * 1000, 2), "queries": query_count(counted)},
    )


def request_floor(client: Client) -> Row:
    """The app's trivial endpoint, GET /api/v1/me, with the same client and token.

    Its whole request (middleware, authentication, one small query, JSON) is what any API
    request costs before its own work, so no search can take less. Shown beside the searches,
    not held to a target: against a query of about a millisecond, it alone is near 3x.
    """

    def me() -> None:
        response = client.get("/api/v1/me")
        assert response.status_code == 200, response.content[:300]
        response.json()

    times = timings(me, repeat=SAMPLES, warmup=WARMUP)
    return Row(
        section=SECTION,
        what="request floor: GET /api/v1/me, the same client and token",
        value=percentile(times, 0.95),
        unit="s",
        details={"p50_ms": round(median(times) * 1000, 2), "queries": query_count(me)},
    )


def api_url(data: DataSet, page: Page) -> str:
    params = dict(page.search.params)
    if page.after is not None:
        params["cursor"] = encode_cursor(*page.after)
    return f"/api/v1/brands/{data.brand_slug}/orders?{urlencode(params)}"


def api_page(client: Client, url: str) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return [order["id"] for order in response.json()["results"]]


def sql_page(sql: psycopg.Connection[Any], data: DataSet, page: Page) -> list[int]:
    search = page.search
    clause, args = where(data, search)
    if page.after is not None:
        clause += f" AND ({', '.join(search.keyset)}) < (%s, %s)"
        args = (*args, *page.after)
    rows = sql.execute(f"{SELECT}{clause}{search.order()} LIMIT %s", (*args, LIMIT + 1)).fetchall()
    return [row[0] for row in rows[:LIMIT]]


def indexes_planned(query: str) -> list[str]:
    """The indexes PostgreSQL plans to use for `query`."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {query}")
        plan = "\n".join(line for (line,) in cursor.fetchall())
    return sorted(set(re.findall(r"Index (?:Only )?Scan(?: Backward)? (?:using|on) (\S+)", plan)))
