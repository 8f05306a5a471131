"""Migration operations the schema editor has no cheap form of."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.postgres import operations as postgres_operations
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def _own_indexes(schema_editor: BaseDatabaseSchemaEditor, table: str, column: str) -> list[str]:
    """Return the names of the plain (not unique) indexes on `column` alone."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return sorted(
        name
        for name, found in constraints.items()
        if found["index"]
        and found["columns"] == [column]
        and not found["unique"]
        and not found["primary_key"]
    )


def drop_foreign_key_index(
    app_label: str, model_name: str, name: str, field: models.ForeignKey[Any, Any]
) -> migrations.SeparateDatabaseAndState:
    """Take a foreign key's own index away, as AlterField(db_index=False) does, and no more.

    AlterField also drops the foreign key constraint and adds it again, which makes PostgreSQL
    check every row of the table under a lock that blocks its writes: long on a table of
    millions of lines. This drops the index alone; the state becomes `field` (db_index=False).
    Undone, it builds the index again.
    """

    def column(apps: Any) -> tuple[type[models.Model], str]:
        model = apps.get_model(app_label, model_name)
        return model, model._meta.get_field(name).column

    def drop(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        model, found_column = column(apps)
        table = model._meta.db_table
        for index in _own_indexes(schema_editor, table, found_column):
            schema_editor.execute(
                schema_editor.sql_delete_index
                % {
                    "table": schema_editor.quote_name(table),
                    "name": schema_editor.quote_name(index),
                }
            )

    def build(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        model, found_column = column(apps)
        table = model._meta.db_table
        if not _own_indexes(schema_editor, table, found_column):
            index = models.Index(fields=[name], name=f"{table}_{found_column}"[:23] + "_fk_idx")
            schema_editor.add_index(model, index)

    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AlterField(model_name, name, field)],
        database_operations=[migrations.RunPython(drop, build)],
    )


class _ConcurrentOnPostgreSQL(migrations.operations.base.Operation):
    """Run the concurrent form on PostgreSQL, and `plain`'s on other databases (SQLite)."""

    plain: Any

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: Any,
        to_state: Any,
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            self.plain.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: Any,
        to_state: Any,
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            self.plain.database_backwards(self, app_label, schema_editor, from_state, to_state)


class AddIndexConcurrently(_ConcurrentOnPostgreSQL, postgres_operations.AddIndexConcurrently):
    """Add an index without blocking the table's writes while it is built.

    On PostgreSQL, CREATE INDEX CONCURRENTLY: the table takes inserts, updates and deletes
    while the index is built (it reads the table twice and waits for transactions that
    started before it), where a plain CREATE INDEX blocks every write to a table of millions
    of lines for minutes. It cannot run inside a transaction: the migration says
    `atomic = False`, and holds this operation alone. On other databases (SQLite), the plain
    AddIndex. Every index added to a large table is added this way (docs/database.md).
    """

    plain = migrations.AddIndex


class RemoveIndexConcurrently(_ConcurrentOnPostgreSQL, postgres_operations.RemoveIndexConcurrently):
    """Remove an index without queueing the table's reads and writes behind the drop.

    On PostgreSQL, DROP INDEX CONCURRENTLY (a plain DROP INDEX waits for every query on the
    table to end, and every query after it waits for the drop); elsewhere the plain
    RemoveIndex. The migration says `atomic = False`.
    """

    plain = migrations.RemoveIndex


def set_autovacuum(app_label: str, model_name: str, **storage: float | int) -> migrations.RunPython:
    """Set a table's autovacuum storage parameters on PostgreSQL; nothing elsewhere.

    `storage` maps parameter to value, e.g. autovacuum_vacuum_scale_factor=0.01. Undone, the
    parameters go back to the server's defaults.
    """

    for key, value in storage.items():
        # Written into the SQL: names and numbers from a migration's source, checked anyway.
        if not re.fullmatch(r"[a-z_]+", key) or not isinstance(value, int | float):
            raise ValueError(f"not a storage parameter: {key}={value!r}")

    def table(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> str | None:
        if schema_editor.connection.vendor != "postgresql":
            return None
        model = apps.get_model(app_label, model_name)
        return str(schema_editor.quote_name(model._meta.db_table))

    def apply(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        name = table(apps, schema_editor)
        if name is not None:
            values = ", ".join(f"{key} = {value}" for key, value in storage.items())
            schema_editor.execute(f"ALTER TABLE {name} SET ({values})")

    def reset(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        name = table(apps, schema_editor)
        if name is not None:
            schema_editor.execute(f"ALTER TABLE {name} RESET ({', '.join(storage)})")

    return migrations.RunPython(apply, reset)
