"""`drop_foreign_key_index` drops a foreign key's own index and leaves its constraint alone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from linesheet.documents.models import OrderConfirmationLine

BEFORE = [("documents", "0002_oc_line_sums")]
TABLE = OrderConfirmationLine._meta.db_table
COLUMN = "confirmation_id"


def on_the_column() -> dict[str, dict[str, Any]]:
    """The indexes and constraints on the OC line's confirmation column alone."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    return {name: found for name, found in constraints.items() if found["columns"] == [COLUMN]}


def migrate(target: list[tuple[str, str]]) -> list[str]:
    executor = MigrationExecutor(connection)
    with CaptureQueriesContext(connection) as captured:
        executor.migrate(target)
    return [query["sql"] for query in captured]


@pytest.fixture
def migrated_back() -> Iterator[None]:
    migrate(BEFORE)
    try:
        yield
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_index_goes_and_comes_back_and_the_constraint_stays(migrated_back: None) -> None:
    before = on_the_column()
    assert [name for name, found in before.items() if found["index"]] != []

    forwards = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    after = on_the_column()
    assert [name for name, found in after.items() if found["index"]] == []
    assert any("DROP INDEX" in sql for sql in forwards)
    # The foreign key was neither dropped nor added again (which would check every row).
    assert not any("FOREIGN KEY" in sql or "DROP CONSTRAINT" in sql for sql in forwards)
    if connection.vendor == "postgresql":
        assert (
            {n for n, f in after.items() if f["foreign_key"]}
            == {n for n, f in before.items() if f["foreign_key"]}
            != set()
        )

    migrate(BEFORE)
    assert [name for name, found in on_the_column().items() if found["index"]] != []
