"""Return-to-cart: the service in-process against the same transaction written by hand in SQL.

For orders of 1, 50 and 500 lines, every sample returns an order never returned before, with the
email on, so the service does all a brand's click does: the locks, the rules checked again under
them, the cart and its lines, the status, the event, the outbox email (its recipients, language
and time zone: the task that sends it writes it) and its delivery task. The SQL side is one
transaction on a psycopg connection of its own making the same reads and writes. The baseline
runs it with psycopg's defaults (a statement run five times gets prepared, as the app's own
connection does on PostgreSQL); the same transaction with every statement parsed and planned
afresh is shown beside it. Every organisation of the data set has a notification address, so
each return queues its email. Service and SQL samples alternate, so drift on a shared machine
hits them alike.

Each sample also sums the durations of the statements it sent (BEGIN and COMMIT included): the
app's database time against the hand-written transaction's, the same clock on both sides. The
budget: the same statements for 1 and 500 lines, database time within 1.5x of the hand-written
transaction's, and a median under 20 / 30 / 80 ms for 1 / 50 / 500 lines.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from bench import data
from bench.measure import Row, alternating, database_time, median, percentile, query_count
from linesheet.accounts.models import User
from linesheet.ordering.services import order_return_to_cart

SECTION = "returns"
SIZES = (1, 50, 500)
SAMPLES = 60
WARMUP = 5  # psycopg prepares a statement on its fifth run
DATABASE_RATIO = 1.5
MEDIAN_SECONDS = {1: 0.020, 50: 0.030, 500: 0.080}
MESSAGE = "Please split the order by colour and check the sizes before you order again."

# --- The transaction written by hand --------------------------------------------------------

LOCK_ORGANIZATION = (
    "SELECT org.name, org.time_zone FROM ordering_order o"
    " JOIN accounts_buyer b ON b.id = o.buyer_id"
    " JOIN accounts_buyerorganization org ON org.id = b.organization_id"
    " WHERE o.id = %s FOR UPDATE OF org"
)
LOCK_ORDER = (
    "SELECT o.id AS order_id, o.status, o.code, o.brand_id, o.catalog_id,"
    " o.desired_delivery_date, o.comment, o.delivery_address, o.billing_address,"
    " b.organization_id AS org, b.language, br.name AS brand, c.consignment"
    " FROM ordering_order o"
    " JOIN accounts_buyer b ON b.id = o.buyer_id"
    " JOIN accounts_brand br ON br.id = o.brand_id"
    " JOIN catalog_catalog c ON c.id = o.catalog_id"
    " WHERE o.id = %s FOR UPDATE OF o"
)
# Every blocker the rules know, and the unorderable lines the brand is warned about.
CHECKS = (
    "SELECT"
    " EXISTS (SELECT 1 FROM ordering_cart WHERE organization_id = %(org)s"
    "  AND catalog_id = %(catalog_id)s) AS cart,"
    " EXISTS (SELECT 1 FROM documents_deliverynote WHERE order_id = %(order_id)s) AS note,"
    " EXISTS (SELECT 1 FROM documents_invoice WHERE order_id = %(order_id)s) AS invoice,"
    " EXISTS (SELECT 1 FROM documents_backlogskulist WHERE order_id = %(order_id)s) AS backlog,"
    " EXISTS (SELECT 1 FROM documents_partnerinventoryslip WHERE order_id = %(order_id)s)"
    "  AS slip,"
    " EXISTS (SELECT 1 FROM ordering_orderline l JOIN catalog_sku s ON s.id = l.sku_id"
    "  WHERE l.order_id = %(order_id)s AND NOT s.is_active) AS unorderable"
)
BLOCKING = ("cart", "note", "invoice", "backlog", "slip")
INSERT_CART = (
    "INSERT INTO ordering_cart (organization_id, catalog_id, brand_id, desired_delivery_date,"
    " comment, delivery_address, billing_address, returned_by_brand, source_order_id,"
    " return_message, created_at, updated_at)"
    " VALUES (%(org)s, %(catalog_id)s, %(brand_id)s, %(desired_delivery_date)s, %(comment)s,"
    " %(delivery_address)s, %(billing_address)s, true, %(order_id)s, %(message)s, now(), now())"
    " RETURNING id"
)
COPY_LINES = (
    "INSERT INTO ordering_cartline (cart_id, sku_id, quantity)"
    " SELECT %s, sku_id, quantity FROM ordering_orderline WHERE order_id = %s"
    " ORDER BY position, id"
)
UPDATE_ORDER = (
    "UPDATE ordering_order SET status = 'returned_to_cart', sums_revision = sums_revision + 1,"
    " updated_at = now() WHERE id = %s"
)
INSERT_EVENT = (
    "INSERT INTO ordering_orderevent (order_id, type, actor_id, created_at, details)"
    " VALUES (%s, 'returned_to_cart', %s, now(), %s) RETURNING id"
)
# The recipients are read by the INSERT itself; no row when the organisation has none. The
# row names no task: the task that claims it names itself, as the service's rows. It is
# stored unwritten: the task that sends it writes its subject and bodies, as the service's.
INSERT_EMAIL = (
    'INSERT INTO notifications_outboundemail (kind, order_id, reference, "to", language,'
    " time_zone, subject, body_text, body_html, inline_images, status, attempts, last_error,"
    " cancel_reason, delivery_task_id, created_at)"
    " SELECT 'order_returned_to_cart', %(order_id)s, %(reference)s,"
    " jsonb_agg(DISTINCT lower(trim(email))), %(language)s, %(time_zone)s, '', '', '',"
    " '[]', 'pending', 0, '', '', '', now()"
    " FROM accounts_organizationrecipient WHERE organization_id = %(org)s"
    " HAVING count(*) > 0 RETURNING id"
)
INSERT_TASK = (
    "INSERT INTO django_tasks_database_dbtaskresult (id, status, enqueued_at, args_kwargs,"
    " priority, task_path, worker_ids, queue_name, backend_name, run_after,"
    " exception_class_path, traceback)"
    " VALUES (%s, 'READY', now(), %s, 0, 'linesheet.notifications.tasks.email_deliver', '[]',"
    " 'default', 'default', '9999-01-01T00:00:00Z', '', '')"
)
STATEMENTS = (
    LOCK_ORGANIZATION,
    LOCK_ORDER,
    CHECKS,
    INSERT_CART,
    COPY_LINES,
    UPDATE_ORDER,
    INSERT_EVENT,
    INSERT_EMAIL,
    INSERT_TASK,
)


def return_in_sql(
    sql: psycopg.Connection[Any], *, order_id: int, actor_id: int, spent: list[float]
) -> None:
    """Return the order to the cart in one hand-written transaction.

    Appends each statement's duration to `spent`: BEGIN, the nine statements and COMMIT.
    """
    with sql.cursor(row_factory=dict_row) as cursor:
        timed(cursor, spent, "BEGIN", prepare=False)
        try:
            _return_statements(cursor, spent, order_id=order_id, actor_id=actor_id)
        except BaseException:
            cursor.execute("ROLLBACK", prepare=False)
            raise
        timed(cursor, spent, "COMMIT", prepare=False)


def timed(
    cursor: psycopg.Cursor[dict[str, Any]],
    spent: list[float],
    query: str,
    args: Any = None,
    *,
    prepare: bool | None = None,
) -> psycopg.Cursor[dict[str, Any]]:
    """Execute `query` on `cursor`, appending its duration to `spent`."""
    started = time.perf_counter()
    try:
        return cursor.execute(query, args, prepare=prepare)  # type: ignore[arg-type]
    finally:
        spent.append(time.perf_counter() - started)


def _return_statements(
    cursor: psycopg.Cursor[dict[str, Any]], spent: list[float], *, order_id: int, actor_id: int
) -> None:
    def execute(query: str, args: Any) -> psycopg.Cursor[dict[str, Any]]:
        return timed(cursor, spent, query, args)

    organization = execute(LOCK_ORGANIZATION, (order_id,)).fetchone()
    order = execute(LOCK_ORDER, (order_id,)).fetchone()
    assert order is not None
    checks = execute(CHECKS, order).fetchone()
    assert checks is not None
    if (
        organization is None
        or order["status"] in ("returned_to_cart", "rejected")
        or order["consignment"]
        or any(checks[name] for name in BLOCKING)
    ):
        raise RuntimeError(f"order {order_id} is not returnable")
    cart = execute(INSERT_CART, order | {"message": MESSAGE}).fetchone()
    assert cart is not None
    execute(COPY_LINES, (cart["id"], order_id))
    execute(UPDATE_ORDER, (order_id,))
    details = {"previous": order["status"], "status": "returned_to_cart"}
    details |= {"cart_id": cart["id"], "organization": organization["name"]}
    details |= {"notify": True, "message": MESSAGE}
    event = execute(INSERT_EVENT, (order_id, actor_id, Jsonb(details))).fetchone()
    assert event is not None
    email = execute(
        INSERT_EMAIL,
        order | {"time_zone": organization["time_zone"], "reference": f"order_event:{event['id']}"},
    ).fetchone()
    assert email is not None
    task = {"args": [], "kwargs": {"email_id": email["id"]}}
    execute(INSERT_TASK, (uuid.uuid4(), Jsonb(task)))


# --- Measuring ----------------------------------------------------------------------------------


def one_after_another(ids: list[int], action: Callable[[int], object]) -> Callable[[], object]:
    """Return an action that applies `action` to the next id of `ids` on each call."""
    remaining = iter(ids)
    return lambda: action(next(remaining))


# How the hand-written side sends its statements: psycopg's default, preparing a statement
# from its fifth run on (as the app's connection does: the baseline), and plain, parsed and
# planned on every run (shown beside it).
SQL_PREPARE_THRESHOLDS = {"sql": 5, "sql_plain": None}


def measure_size(
    connections: dict[str, psycopg.Connection[Any]], *, lines: int, staff: User
) -> dict[str, Any]:
    """Time the service and the SQL on fresh orders of `lines` lines; count the queries.

    Returns each side's wall times and database times (the sum of its statements' durations).
    """
    needed = WARMUP + SAMPLES
    print(f"  {lines} line(s): making {(1 + len(connections)) * needed + 1} orders", flush=True)
    service_ids = data.fresh_orders(needed + 1, lines=lines)
    spent: dict[str, list[float]] = {name: [] for name in ["service", *connections]}

    def service(order_id: int) -> object:
        with database_time() as durations:
            result = order_return_to_cart(
                order_id=order_id, actor=staff, notify=True, message=MESSAGE
            )
        spent["service"].append(sum(durations))
        return result

    def by_hand(name: str, sql: psycopg.Connection[Any]) -> Callable[[int], object]:
        def action(order_id: int) -> None:
            durations: list[float] = []
            return_in_sql(sql, order_id=order_id, actor_id=staff.pk, spent=durations)
            spent[name].append(sum(durations))

        return action

    actions = {"service": one_after_another(service_ids, service)} | {
        name: one_after_another(data.fresh_orders(needed, lines=lines), by_hand(name, sql))
        for name, sql in connections.items()
    }
    queries = query_count(lambda: service(service_ids.pop()))
    print(f"  {lines} line(s): timing", flush=True)
    for durations in spent.values():
        durations.clear()
    times = alternating(actions, repeat=SAMPLES, warmup=WARMUP)
    database = {f"{name}_db": durations[WARMUP:] for name, durations in spent.items()}
    return {"lines": lines, "queries": queries, **times, **database}


def row(figures: dict[str, Any], *, queries_constant: bool) -> Row:
    service, sql, plain = (median(figures[name]) for name in ("service", "sql", "sql_plain"))
    service_db, sql_db = median(figures["service_db"]), median(figures["sql_db"])
    database_ratio = service_db / sql_db
    budget = MEDIAN_SECONDS[figures["lines"]]
    return Row(
        section=SECTION,
        what=f"return {figures['lines']}-line order (email on)",
        value=service,
        unit="s",
        baseline=sql,
        baseline_label="SQL",
        ratio=service / sql,
        target=(
            f"statements the same for {SIZES[0]} and {SIZES[-1]} lines; database time"
            f" <= {DATABASE_RATIO:g}x SQL; median < {budget * 1000:.0f} ms"
        ),
        met=queries_constant and database_ratio <= DATABASE_RATIO and service < budget,
        key=f"return:{figures['lines']}",
        details={
            "samples": len(figures["service"]),
            # Both count BEGIN and COMMIT.
            "service_round_trips": figures["queries"],
            "sql_round_trips": len(STATEMENTS) + 2,
            "queries_constant": queries_constant,
            "median_budget_ms": budget * 1000,
            "service_db_ms": round(service_db * 1000, 3),
            "sql_db_ms": round(sql_db * 1000, 3),
            "database_ratio": round(database_ratio, 3),
            "service_p95_ms": round(percentile(figures["service"], 0.95) * 1000, 2),
            "sql_p95_ms": round(percentile(figures["sql"], 0.95) * 1000, 2),
            "sql_plain_ms": round(plain * 1000, 2),
            "sql_plain_db_ms": round(median(figures["sql_plain_db"]) * 1000, 3),
            "ratio_to_sql_plain": round(service / plain, 2),
        },
    )


def run(loaded: data.DataSet) -> list[Row]:
    staff = User.objects.get(email=data.STAFF_EMAIL)
    connections = {
        name: psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
        for name in SQL_PREPARE_THRESHOLDS
    }
    try:
        for name, threshold in SQL_PREPARE_THRESHOLDS.items():
            connections[name].prepare_threshold = threshold
        measured = [measure_size(connections, lines=lines, staff=staff) for lines in SIZES]
    finally:
        for sql in connections.values():
            sql.close()
    constant = len({figures["queries"] for figures in measured}) == 1
    return [row(figures, queries_constant=constant) for figures in measured]
