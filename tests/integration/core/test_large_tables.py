"""The large tables: their indexes are built concurrently, their autovacuum runs early.

See docs/database.md, "Migrations on the large tables" and "Autovacuum".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, migrations, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState
from django.test.utils import CaptureQueriesContext

from linesheet.core.migration_operations import AddIndexConcurrently, RemoveIndexConcurrently

# Millions of rows at a brand with years of history: a plain CREATE INDEX blocks their writes.
LARGE_MODELS = {
    "ordering.order",
    "ordering.orderline",
    "ordering.cartline",
    "ordering.orderevent",
    "ordering.ordertag",
    "documents.orderconfirmationline",
}
# Written before the convention and applied everywhere since: a database that runs them
# today has few orders (a new installation), so they stay as they are.
BEFORE_THE_CONVENTION = {
    ("documents", "0002_oc_line_sums"),
    ("ordering", "0006_order_search_indexes"),
    ("ordering", "0007_report_indexes"),
    ("ordering", "0008_order_report_index"),
    ("ordering", "0009_lean_order_indexes"),
    ("ordering", "0010_order_sums_revision"),
    ("ordering", "0011_ordertag_listed"),
    ("ordering", "0014_indexes_for_archived_or_not"),
}
AUTOVACUUM = {
    "autovacuum_vacuum_scale_factor": "0.01",
    "autovacuum_vacuum_insert_scale_factor": "0.005",
    "autovacuum_analyze_scale_factor": "0.01",
}


def database_operations(operations: list[Any]) -> Iterator[Any]:
    for operation in operations:
        if isinstance(operation, migrations.SeparateDatabaseAndState):
            yield from database_operations(operation.database_operations)
        else:
            yield operation


def index_changes_on_large_tables() -> Iterator[tuple[tuple[str, str], Any, Any]]:
    """Yield (migration key, migration, operation) for every index added to or removed from a
    large table by a migration that did not create the table."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key, migration in sorted(loader.disk_migrations.items()):
        if not type(migration).__module__.startswith("linesheet."):
            continue
        created = {
            f"{migration.app_label}.{op.name.lower()}"
            for op in migration.operations
            if isinstance(op, migrations.CreateModel)
        }
        for operation in database_operations(migration.operations):
            if not isinstance(operation, migrations.AddIndex | migrations.RemoveIndex):
                continue
            model = f"{migration.app_label}.{operation.model_name.lower()}"
            if model in LARGE_MODELS and model not in created:
                yield key, migration, operation


def test_indexes_on_the_large_tables_are_added_and_removed_concurrently() -> None:
    found = list(index_changes_on_large_tables())
    # The scan sees the migrations it must (the ones written before the convention).
    assert {key for key, _migration, _op in found} >= BEFORE_THE_CONVENTION

    offending = [
        f"{app}.{name}: {type(operation).__name__} on {operation.model_name}"
        for (app, name), migration, operation in found
        if (app, name) not in BEFORE_THE_CONVENTION
        and not (
            isinstance(operation, AddIndexConcurrently | RemoveIndexConcurrently)
            and migration.atomic is False
        )
    ]

    assert offending == [], (
        "Index the large tables with linesheet.core.migration_operations.AddIndexConcurrently "
        "(or RemoveIndexConcurrently) in a migration with atomic = False: " + "; ".join(offending)
    )


def index_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


@pytest.mark.django_db(transaction=True)
def test_the_concurrent_index_is_built_and_dropped_on_either_database() -> None:
    """Outside a transaction, as a migration with atomic = False runs it."""
    index = models.Index(fields=["sku_number"], name="order_line_sku_number_test")
    add = AddIndexConcurrently("orderline", index)
    remove = RemoveIndexConcurrently("orderline", index.name)
    before = ProjectState.from_apps(apps)
    after = before.clone()
    add.state_forwards("ordering", after)
    table = "ordering_orderline"

    with (
        connection.schema_editor(atomic=False) as editor,
        CaptureQueriesContext(connection) as built,
    ):
        add.database_forwards("ordering", editor, before, after)
    assert index.name in index_names(table)
    with (
        connection.schema_editor(atomic=False) as editor,
        CaptureQueriesContext(connection) as dropped,
    ):
        remove.database_forwards("ordering", editor, after, before)
    assert index.name not in index_names(table)

    if connection.vendor == "postgresql":
        assert any("CREATE INDEX CONCURRENTLY" in query["sql"] for query in built)
        assert any("DROP INDEX CONCURRENTLY" in query["sql"] for query in dropped)


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_the_line_tables_and_orders_are_vacuumed_after_a_small_share_changed() -> None:
    tables = [
        "ordering_order",
        "ordering_orderline",
        "ordering_cartline",
        "ordering_orderevent",
        "documents_orderconfirmationline",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)", [tables])
        found = {
            name: dict(option.split("=", 1) for option in options or [])
            for name, options in cursor.fetchall()
        }

    assert found == dict.fromkeys(tables, AUTOVACUUM)
